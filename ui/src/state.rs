//! What every page shares, provided once by the app frame as context: the page shown, a
//! `changed` tick bumped whenever data may have changed (a sync finished, a decision was
//! stored), the run in flight, and the app's mode.
//!
//! Pages read data with `LocalResource::new(move || { shared.changed.get(); api::… })`, so a
//! sync started from the tray or the schedule shows up in an open window without a reload.

use leptos::prelude::*;
use timebridge_types::setup::AppMode;
use timebridge_types::sync::{SyncProgress, SyncResultView};
use timebridge_types::updates::UpdateView;

/// The pages of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Page {
    /// First-run wizard (also reachable later to add connections).
    Setup,
    /// Last and next sync, counts, this month's hours.
    Dashboard,
    /// Every entry, filtered, virtualized.
    Entries,
    /// Offline conflict review.
    Conflicts,
    /// Runs, audit, undo.
    History,
    /// Month-end billing.
    Billing,
    /// Mapping rules.
    Mappings,
    /// Schedule, notifications, theme, language, timezone.
    Settings,
    /// Version, data directory, schema.
    Status,
}

impl Page {
    /// The element id suffix (`nav-<id>`, `page-<id>`), stable for the end-to-end tests.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Dashboard => "dashboard",
            Self::Entries => "entries",
            Self::Conflicts => "conflicts",
            Self::History => "history",
            Self::Billing => "billing",
            Self::Mappings => "mappings",
            Self::Settings => "settings",
            Self::Status => "status",
        }
    }

    /// The page of an id ([`Page::id`]).
    pub(crate) fn from_id(id: &str) -> Option<Self> {
        ALL_PAGES.into_iter().find(|p| p.id() == id)
    }
}

/// Every page.
const ALL_PAGES: [Page; 9] = [
    Page::Setup,
    Page::Dashboard,
    Page::Entries,
    Page::Conflicts,
    Page::History,
    Page::Billing,
    Page::Mappings,
    Page::Settings,
    Page::Status,
];

/// The shared state (`use_context::<Shared>()`, or [`shared`]).
#[derive(Clone, Copy)]
pub(crate) struct Shared {
    /// The page shown.
    pub(crate) page: RwSignal<Page>,
    /// Bumped when data may have changed; resources read it to refetch.
    pub(crate) changed: RwSignal<u64>,
    /// The run in flight (from `sync://progress`), `None` when idle.
    pub(crate) progress: RwSignal<Option<SyncProgress>>,
    /// The last "Sync now" result of this window, for the sync bar.
    pub(crate) last_result: RwSignal<Option<Result<SyncResultView, String>>>,
    /// First run, normal or demo (`None` until known).
    pub(crate) mode: RwSignal<Option<AppMode>>,
    /// The updater's state as the shell last said it (`update://changed`).
    pub(crate) update: RwSignal<Option<UpdateView>>,
}

impl Shared {
    pub(crate) fn new() -> Self {
        Self {
            page: RwSignal::new(Page::Dashboard),
            changed: RwSignal::new(0),
            progress: RwSignal::new(None),
            last_result: RwSignal::new(None),
            mode: RwSignal::new(None),
            update: RwSignal::new(None),
        }
    }

    /// Tells every page to refetch.
    pub(crate) fn bump(&self) {
        self.changed.update(|n| *n += 1);
    }

    /// Shows `page` (and keeps it for a reopened window).
    pub(crate) fn go(&self, page: Page) {
        self.page.set(page);
        crate::memory::keep(timebridge_types::view::PAGE, Some(&page.id()));
    }

    /// Shows the page the window showed before it was closed, if it kept one.
    pub(crate) fn restore_page(&self) {
        if let Some(page) = crate::memory::get::<String>(timebridge_types::view::PAGE)
            .and_then(|id| Page::from_id(&id))
        {
            self.page.set(page);
        }
    }
}

/// The shared state; panics if called outside the app frame (a programming error). A task
/// started with `spawn_local` runs outside it: take the state before spawning (it is `Copy`)
/// and use that copy inside the task.
pub(crate) fn shared() -> Shared {
    expect_context::<Shared>()
}

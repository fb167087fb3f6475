//! The desktop app's adapter over the core: one method per UI command, returning the
//! `timebridge_types` DTOs the webview renders, with every core error worded as an `ApiError`
//! code the UI branches on (`error`: the one place that happens). It knows nothing of Tauri —
//! the shell's commands are one-liners into it — so everything the UI can do is tested here
//! against the simulators on a real SQLite file, without GTK.
//!
//! An [`App`] is one data directory with its secret store and its background [`Scheduler`];
//! the [`Host`] holds the app in use, which "Try with demo data" swaps for a demo app
//! (`demo`): the simulators in-process, a separate data directory, tokens only in memory.
//!
//! # Example
//!
//! The demo end to end, as the window drives it: the built-in Kimai and Zammad simulators
//! start on loopback, a fresh data directory gets connections to them (tokens in memory), one
//! sync books the helpdesks' time into Kimai, and the result is read back as the UI reads it.
//!
//! ```
//! use std::sync::Arc;
//!
//! use timebridge_app::Host;
//! use timebridge_core::secrets::MemoryStore;
//! use timebridge_core::{Clock, DataDir, Startup};
//! use timebridge_types::entries::{EntryQuery, EntryState};
//!
//! # #[tokio::main(flavor = "multi_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! // A fixed "now": the demo lays its tickets out around it, and the sync's months follow it.
//! let clock = Clock::fixed("2026-11-18T11:00:00Z".parse()?);
//! let host = Host::with_clock(
//!     Startup::new(Some(DataDir::at(dir.path().join("profile"))), None),
//!     Arc::new(MemoryStore::default()),
//!     Some(DataDir::at(dir.path().join("demo"))),
//!     clock,
//! );
//! let app = host.start_demo().await?;
//!
//! let first = app.sync_now().await?;
//! assert_eq!(first.outcome, "ok");
//! assert!(first.created > 0);
//!
//! // Every booked entry is listed with its Kimai timesheet; the unmapped organization's
//! // entries wait, parked, for a mapping.
//! let synced = app.list_entries(&EntryQuery {
//!     state: Some(EntryState::Synced),
//!     ..EntryQuery::default()
//! })?;
//! assert_eq!(synced.total, first.created);
//! let waiting = app.list_entries(&EntryQuery {
//!     state: Some(EntryState::NeedsMapping),
//!     ..EntryQuery::default()
//! })?;
//! assert!(waiting.total > 0);
//!
//! // Nothing changed since: the next sync writes nothing.
//! let second = app.sync_now().await?;
//! assert_eq!((second.created, second.updated, second.deleted), (0, 0, 0));
//! # app.scheduler().shutdown().await?;
//! # Ok(())
//! # }
//! ```

mod billing;
mod catalog;
mod checks;
mod conflicts;
mod connections;
mod dashboard;
mod demo;
mod entries;
mod entries_index;
mod error;
mod history;
mod host;
mod job;
mod known;
mod settings;
mod stored_settings;
mod suggest;
mod sync;
mod tray_texts;
mod view_memory;
mod views;

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_billing;
#[cfg(test)]
mod tests_entries;
#[cfg(test)]
mod tests_twins;
#[cfg(test)]
mod tests_wizard;

use std::sync::Arc;

use parking_lot::Mutex;
use timebridge_types::setup::AppMode;

use timebridge_core::ops::Workspace;
use timebridge_core::schedule::Scheduler;
use timebridge_core::secrets::SecretStore;
use timebridge_core::{Actor, Clock, Core, Store};

pub use catalog::Catalog;
pub use demo::{DemoWorld, DEMO_DIR};
pub use entries::MAX_PAGE;
pub use error::api_error;
pub use host::Host;
pub use stored_settings::cron_of;
pub use sync::{schedule_view, tray_view, QuietLock};
pub use view_memory::ViewMemory;

/// One data directory in use by the app: its database, its tokens, its schedule.
pub struct App {
    core: Arc<Core>,
    secrets: Arc<dyn SecretStore>,
    /// Where every "now" of the app comes from (fixed in tests).
    clock: Clock,
    mode: AppMode,
    scheduler: Scheduler,
    catalog: Arc<Mutex<Option<Catalog>>>,
    last: job::LastReport,
    /// The entries list's order, cached while the database is unchanged.
    entry_index: entries_index::EntryIndex,
    /// The demo's simulators, kept running while the demo app lives.
    _demo: Option<DemoWorld>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("data_dir", &self.core.data_dir().root())
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl App {
    /// The app over an opened core. `secrets` is the OS keychain (the demo: a memory store).
    /// The scheduler is created with the stored schedule but not started
    /// ([`App::start_schedule`]).
    pub fn new(
        core: Arc<Core>,
        secrets: Arc<dyn SecretStore>,
    ) -> Result<Self, timebridge_types::ApiError> {
        Self::build(core, secrets, Clock::system(), None)
    }

    /// As [`App::new`], reading the time from `clock` (tests fix it).
    pub fn with_clock(
        core: Arc<Core>,
        secrets: Arc<dyn SecretStore>,
        clock: Clock,
    ) -> Result<Self, timebridge_types::ApiError> {
        Self::build(core, secrets, clock, None)
    }

    fn build(
        core: Arc<Core>,
        secrets: Arc<dyn SecretStore>,
        clock: Clock,
        demo: Option<DemoWorld>,
    ) -> Result<Self, timebridge_types::ApiError> {
        let catalog = Arc::new(Mutex::new(catalog::load_cached(core.store())));
        let config = stored_settings::schedule_config(core.store()).map_err(api_error)?;
        let last = job::LastReport::default();
        let job = job::job(
            Arc::clone(&core),
            Arc::clone(&secrets),
            Arc::clone(&catalog),
            Arc::clone(&last),
            clock.clone(),
        );
        let scheduler = Scheduler::with_clock(job, config, clock.clone()).map_err(api_error)?;
        let mode = if demo.is_some() {
            AppMode::Demo
        } else {
            AppMode::Normal
        };
        Ok(Self {
            core,
            secrets,
            clock,
            mode,
            scheduler,
            catalog,
            last,
            entry_index: entries_index::EntryIndex::default(),
            _demo: demo,
        })
    }

    /// The window closed: what only it reads is dropped (the entries list's sorted index, built
    /// again when the window next asks), so the app in the tray holds no copy of every entry.
    pub fn window_closed(&self) {
        self.entry_index.clear();
    }

    /// The local database (`timebridge.db` in the data directory).
    pub fn store(&self) -> &Store {
        self.core.store()
    }

    /// The operations shared with the CLI, over this app's database and secret store,
    /// acting as the user.
    pub fn workspace(&self) -> Workspace<'_> {
        Workspace::new(
            self.core.store(),
            &*self.secrets,
            self.core.data_dir().root(),
            Actor::User,
        )
    }

    /// The core (data directory, status).
    pub fn core(&self) -> &Arc<Core> {
        &self.core
    }

    /// The background scheduler (the shell subscribes to its status and events).
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// The demo's simulators, when this is the demo (tests act on them as a human would).
    pub fn demo_world(&self) -> Option<&DemoWorld> {
        self._demo.as_ref()
    }

    /// The current time, as this app reads it.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Whether this is the demo.
    pub fn is_demo(&self) -> bool {
        self.mode == AppMode::Demo
    }
}

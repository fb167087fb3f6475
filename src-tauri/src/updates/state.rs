//! What the updater knows, behind one lock: the view the Settings page shows, the update on
//! offer (kept so "Install" installs exactly what the check announced), and the steps'
//! allowed order (one check or install at a time; install only what is on offer).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use tauri_plugin_updater::Update;
use timebridge_types::updates::{UpdateProblem, UpdateState, UpdateView};

/// A day between background checks.
const DAY: chrono::Duration = chrono::Duration::hours(24);

/// Bytes downloaded so far (the download callback adds to it without taking the lock).
#[derive(Debug, Default)]
pub(crate) struct Progress {
    downloaded: AtomicU64,
    /// The size, or 0 while unknown.
    total: AtomicU64,
}

impl Progress {
    pub(crate) fn add(&self, bytes: u64, total: Option<u64>) {
        self.downloaded.fetch_add(bytes, Ordering::Relaxed);
        if let Some(total) = total {
            self.total.store(total, Ordering::Relaxed);
        }
    }

    fn read(&self) -> (u64, Option<u64>) {
        let total = self.total.load(Ordering::Relaxed);
        (
            self.downloaded.load(Ordering::Relaxed),
            (total > 0).then_some(total),
        )
    }
}

struct Inner {
    view: UpdateView,
    offer: Option<Update>,
    checked_at: Option<DateTime<Utc>>,
    told: Option<String>,
    progress: Arc<Progress>,
}

/// The updater's state, managed by the shell (present in every build; `configured` only when
/// the build names a release server and key).
pub(crate) struct Updates {
    configured: bool,
    inner: Mutex<Inner>,
}

impl Updates {
    /// A fresh state for a build that is (or is not) configured for updates.
    pub(crate) fn new(current: &str, configured: bool) -> Self {
        let state = if configured {
            UpdateState::NotChecked
        } else {
            UpdateState::NotConfigured
        };
        Self {
            configured,
            inner: Mutex::new(Inner {
                view: UpdateView {
                    current: current.to_string(),
                    state,
                    available: None,
                    notes: None,
                    problem: None,
                    detail: None,
                    last_checked: None,
                    downloaded: None,
                },
                offer: None,
                checked_at: None,
                told: None,
                progress: Arc::default(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn configured(&self) -> bool {
        self.configured
    }

    /// The view, with the download's progress while installing.
    pub(crate) fn view(&self) -> UpdateView {
        let inner = self.lock();
        let mut view = inner.view.clone();
        if matches!(
            view.state,
            UpdateState::Installing | UpdateState::WaitingForSync
        ) {
            view.downloaded = Some(inner.progress.read());
        }
        view
    }

    /// Whether a background check is due at `now` (never checked, or a day ago).
    pub(crate) fn due(&self, now: DateTime<Utc>) -> bool {
        self.lock().checked_at.is_none_or(|at| now - at >= DAY)
    }

    /// Whether `version` is news for a notification (true once per version).
    pub(crate) fn first_told(&self, version: &str) -> bool {
        let mut inner = self.lock();
        if inner.told.as_deref() == Some(version) {
            return false;
        }
        inner.told = Some(version.to_string());
        true
    }

    /// Starts a check; `false` when none may start (not configured, or an install is going
    /// or done: its offer must not be replaced under it).
    pub(crate) fn begin_check(&self) -> bool {
        let mut inner = self.lock();
        let free = matches!(
            inner.view.state,
            UpdateState::NotChecked
                | UpdateState::UpToDate
                | UpdateState::Available
                | UpdateState::Failed
        );
        if !self.configured || !free {
            return false;
        }
        inner.view.state = UpdateState::Checking;
        inner.view.problem = None;
        inner.view.detail = None;
        true
    }

    fn checked(inner: &mut Inner) {
        let now = Utc::now();
        inner.checked_at = Some(now);
        inner.view.last_checked = Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }

    /// A newer version is on offer.
    pub(crate) fn offer(&self, update: Update) {
        let mut inner = self.lock();
        Self::checked(&mut inner);
        inner.view.state = UpdateState::Available;
        inner.view.available = Some(update.version.clone());
        inner.view.notes = update.body.clone();
        inner.offer = Some(update);
    }

    /// The running version is the newest.
    pub(crate) fn up_to_date(&self) {
        let mut inner = self.lock();
        Self::checked(&mut inner);
        inner.view.state = UpdateState::UpToDate;
        inner.view.available = None;
        inner.view.notes = None;
        inner.offer = None;
    }

    /// A check failed (an earlier offer is forgotten: it may be gone).
    pub(crate) fn fail(&self, problem: UpdateProblem, detail: String) {
        let mut inner = self.lock();
        Self::checked(&mut inner);
        inner.view.state = UpdateState::Failed;
        inner.view.problem = Some(problem);
        inner.view.detail = Some(detail);
        inner.view.available = None;
        inner.offer = None;
    }

    /// Starts installing the update on offer, if there is one and nothing else is going.
    pub(crate) fn begin_install(&self) -> Option<Update> {
        let mut inner = self.lock();
        if inner.view.state != UpdateState::Available && inner.view.state != UpdateState::Failed {
            return None;
        }
        let update = inner.offer.take()?;
        inner.view.state = UpdateState::Installing;
        inner.view.problem = None;
        inner.view.detail = None;
        inner.progress = Arc::default();
        Some(update)
    }

    /// The download's progress counter.
    pub(crate) fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.lock().progress)
    }

    pub(crate) fn waiting_for_sync(&self) {
        self.lock().view.state = UpdateState::WaitingForSync;
    }

    pub(crate) fn installing(&self) {
        self.lock().view.state = UpdateState::Installing;
    }

    /// Installed; it runs after a restart.
    pub(crate) fn installed(&self, version: &str) {
        let mut inner = self.lock();
        inner.view.state = UpdateState::Installed;
        inner.view.available = Some(version.to_string());
    }

    /// The install failed; the offer stands, so the user may try again (a refused signature
    /// fails again: the message says why).
    pub(crate) fn install_failed(&self, update: Update, problem: UpdateProblem, detail: String) {
        let mut inner = self.lock();
        inner.view.state = UpdateState::Failed;
        inner.view.problem = Some(problem);
        inner.view.detail = Some(detail);
        inner.offer = Some(update);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_only_when_configured_and_one_at_a_time() {
        let off = Updates::new("1.0.0", false);
        assert!(!off.begin_check());
        assert_eq!(off.view().state, UpdateState::NotConfigured);

        let on = Updates::new("1.0.0", true);
        assert_eq!(on.view().state, UpdateState::NotChecked);
        assert!(on.begin_check());
        assert!(!on.begin_check(), "a second check waits for the first");
        on.fail(UpdateProblem::Network, "offline".into());
        let view = on.view();
        assert_eq!(view.state, UpdateState::Failed);
        assert_eq!(view.problem, Some(UpdateProblem::Network));
        assert!(view.last_checked.is_some());
        assert!(
            on.begin_install().is_none(),
            "nothing on offer after a failed check"
        );
        assert!(on.begin_check(), "a failed check may be repeated");
        on.up_to_date();
        assert_eq!(on.view().state, UpdateState::UpToDate);
        assert_eq!(on.view().problem, None);
    }

    #[test]
    fn a_day_passes_between_background_checks_and_each_version_is_told_once() {
        let on = Updates::new("1.0.0", true);
        let now = Utc::now();
        assert!(on.due(now), "never checked");
        assert!(on.begin_check());
        on.up_to_date();
        assert!(!on.due(now + chrono::Duration::hours(23)));
        assert!(on.due(now + chrono::Duration::hours(25)));
        assert!(on.first_told("1.1.0"));
        assert!(!on.first_told("1.1.0"));
        assert!(on.first_told("1.2.0"));
    }

    #[test]
    fn progress_is_shown_only_while_installing() {
        let on = Updates::new("1.0.0", true);
        on.progress().add(10, Some(40));
        assert_eq!(on.view().downloaded, None);
        on.installing();
        assert_eq!(on.view().downloaded, Some((10, Some(40))));
    }
}

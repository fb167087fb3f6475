//! Desktop notifications, only for what needs the user: new conflicts, writes Kimai refused,
//! a Kimai that rounds times by its own rule (once ever),
//! a rejected or expired token, a schedule that keeps failing, a new version on offer. Each is said once (until the situation changes), and
//! only when the user left notifications on, in the language setting's language. Without a
//! notification daemon (Xvfb, CI) showing fails; that is logged and nothing else happens.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use timebridge_app::App;
use timebridge_core::schedule::{LastRun, SyncOutcome, Trigger};

use crate::texts::{self, Texts};

/// Scheduled failures in a row before "background sync is failing" is said.
pub(crate) const FAILING_AFTER: u32 = 3;

/// What to tell the user after a run, if anything.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Notice {
    NewConflicts(u32),
    Refused(u32),
    KimaiRounds,
    TokenRejected(String),
    ScheduleFailing(String),
}

/// Remembers what was already said.
#[derive(Debug, Default)]
pub(crate) struct Notifier {
    conflicts: u32,
    told_token: bool,
    told_failing: bool,
    failures: u32,
}

impl Notice {
    /// The notification's title and body in one language (the core's error message as is).
    pub(crate) fn message(&self, t: &Texts) -> (String, String) {
        match self {
            Notice::NewConflicts(n) => (t.conflicts_title.into(), (t.conflicts_body)(*n)),
            Notice::Refused(n) => (t.refused_title.into(), (t.refused_body)(*n)),
            Notice::KimaiRounds => (t.rounds_title.into(), t.rounds_body.into()),
            Notice::TokenRejected(m) => (t.token_title.into(), (t.token_body)(m)),
            Notice::ScheduleFailing(m) => (t.failing_title.into(), (t.failing_body)(m)),
        }
    }
}

fn is_token_problem(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("token") || m.contains("authentication") || m.contains("401")
}

impl Notifier {
    /// Starts from the conflicts open now (they were known before this session's runs).
    pub(crate) fn new(core: Option<&App>) -> Self {
        let conflicts = core.and_then(|c| c.open_conflict_count().ok()).unwrap_or(0);
        Self {
            conflicts,
            ..Self::default()
        }
    }

    /// What a finished run with `conflicts` now open calls for.
    pub(crate) fn decide(&mut self, last: &LastRun, conflicts: u32) -> Vec<Notice> {
        let mut out = Vec::new();
        if conflicts > self.conflicts {
            out.push(Notice::NewConflicts(conflicts - self.conflicts));
        }
        self.conflicts = conflicts;
        // A refusal is reported by the run that met it; later runs hold the entry silently.
        if let Some(n) = last.summary.map(|s| s.refused).filter(|n| *n > 0) {
            out.push(Notice::Refused(n));
        }
        // Said once ever: the core records the first run that met it.
        if last.summary.is_some_and(|s| s.kimai_rounds_first) {
            out.push(Notice::KimaiRounds);
        }
        match last.outcome {
            SyncOutcome::Failed => {
                let message = last
                    .error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                if last.trigger == Trigger::Schedule {
                    self.failures += 1;
                }
                if is_token_problem(&message) {
                    if !self.told_token {
                        self.told_token = true;
                        out.push(Notice::TokenRejected(message));
                    }
                } else if self.failures >= FAILING_AFTER && !self.told_failing {
                    self.told_failing = true;
                    out.push(Notice::ScheduleFailing(message));
                }
            }
            SyncOutcome::Succeeded => {
                self.failures = 0;
                self.told_token = false;
                self.told_failing = false;
            }
            SyncOutcome::Offline => {}
        }
        out
    }

    /// Tells the user what `last` calls for (if notifications are on).
    pub(crate) fn after_run<R: Runtime>(
        &mut self,
        handle: &AppHandle<R>,
        core: &App,
        last: &LastRun,
    ) {
        let conflicts = core.open_conflict_count().unwrap_or(self.conflicts);
        let notices = self.decide(last, conflicts);
        let settings = core.get_settings().ok();
        if settings.as_ref().is_some_and(|s| !s.notifications) {
            return;
        }
        let t = texts::of(settings.map(|s| s.language).unwrap_or_default());
        for notice in notices {
            let (title, body) = notice.message(t);
            show(handle, &title, &body);
        }
    }
}

/// Says that `version` is on offer (when notifications are on), in the settings' language.
pub(crate) fn update_available<R: Runtime>(handle: &AppHandle<R>, version: &str) {
    let settings = handle
        .state::<crate::state::AppState>()
        .app()
        .and_then(|core| core.get_settings())
        .ok();
    if settings.as_ref().is_some_and(|s| !s.notifications) {
        return;
    }
    let t = texts::of(settings.map(|s| s.language).unwrap_or_default());
    show(handle, t.update_title, &(t.update_body)(version));
}

/// Shows one notification; without a notification service that is logged and nothing else.
fn show<R: Runtime>(handle: &AppHandle<R>, title: &str, body: &str) {
    if let Err(e) = handle
        .notification()
        .builder()
        .title(title)
        .body(body)
        .show()
    {
        tracing::info!(error = %e, "could not show a notification (no notification service?)");
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use timebridge_core::schedule::JobError;

    use super::*;

    fn run(trigger: Trigger, outcome: SyncOutcome, error: Option<&str>) -> LastRun {
        // Notifications depend on outcomes and counts, never on times: any fixed time does.
        let at: DateTime<Utc> = DateTime::UNIX_EPOCH;
        LastRun {
            trigger,
            started_at: at,
            finished_at: at,
            outcome,
            summary: None,
            error: error.map(JobError::permanent),
        }
    }

    #[test]
    fn writes_kimai_refused_are_told_by_the_run_that_met_them() {
        let mut n = Notifier::default();
        let mut ok = run(Trigger::Schedule, SyncOutcome::Succeeded, None);
        ok.summary = Some(timebridge_core::schedule::RunSummary {
            refused: 3,
            ..Default::default()
        });
        assert_eq!(n.decide(&ok, 0), vec![Notice::Refused(3)]);
        ok.summary = Some(timebridge_core::schedule::RunSummary::default());
        assert!(
            n.decide(&ok, 0).is_empty(),
            "held entries are not told again"
        );
        let (title, body) = Notice::Refused(3).message(texts::of(Default::default()));
        assert!(
            title.contains("refused") && body.contains('3'),
            "{title} {body}"
        );
    }

    #[test]
    fn kimais_own_rounding_is_told_by_the_run_the_core_marks_first() {
        let mut n = Notifier::default();
        let mut ok = run(Trigger::Schedule, SyncOutcome::Succeeded, None);
        ok.summary = Some(timebridge_core::schedule::RunSummary {
            kimai_rounds_first: true,
            ..Default::default()
        });
        assert_eq!(n.decide(&ok, 0), vec![Notice::KimaiRounds]);
        ok.summary = Some(timebridge_core::schedule::RunSummary::default());
        assert!(n.decide(&ok, 0).is_empty());
        let (title, body) = Notice::KimaiRounds.message(texts::of(Default::default()));
        assert!(
            title.contains("rounds") && body.contains("Kimai"),
            "{title}"
        );
    }

    #[test]
    fn new_conflicts_are_told_once_and_only_when_more_appear() {
        let mut n = Notifier::default();
        let ok = run(Trigger::Schedule, SyncOutcome::Succeeded, None);
        assert_eq!(n.decide(&ok, 2), vec![Notice::NewConflicts(2)]);
        assert!(n.decide(&ok, 2).is_empty());
        assert!(n.decide(&ok, 1).is_empty(), "one was resolved");
        assert_eq!(n.decide(&ok, 3), vec![Notice::NewConflicts(2)]);
    }

    #[test]
    fn a_rejected_token_is_told_once_and_a_failing_schedule_after_three_failures() {
        let mut n = Notifier::default();
        let token = run(
            Trigger::Schedule,
            SyncOutcome::Failed,
            Some("Kimai: the API token was rejected (401)"),
        );
        assert!(matches!(
            n.decide(&token, 0)[..],
            [Notice::TokenRejected(_)]
        ));
        assert!(n.decide(&token, 0).is_empty(), "said once");
        let mut n = Notifier::default();
        let failing = run(
            Trigger::Schedule,
            SyncOutcome::Failed,
            Some("Kimai: server error 500"),
        );
        assert!(n.decide(&failing, 0).is_empty());
        assert!(n.decide(&failing, 0).is_empty());
        assert!(matches!(
            n.decide(&failing, 0)[..],
            [Notice::ScheduleFailing(_)]
        ));
        assert!(n.decide(&failing, 0).is_empty());
        let manual = run(
            Trigger::Manual,
            SyncOutcome::Failed,
            Some("Kimai: server error 500"),
        );
        let mut m = Notifier::default();
        for _ in 0..5 {
            assert!(
                m.decide(&manual, 0).is_empty(),
                "manual failures are shown in the window"
            );
        }
        let offline = run(Trigger::Schedule, SyncOutcome::Offline, None);
        assert!(m.decide(&offline, 0).is_empty(), "offline is not an error");
    }

    #[test]
    fn notices_are_worded_in_english_and_in_german() {
        let token = "Kimai: the API token was rejected (401)";
        let cases = [
            (
                Notice::NewConflicts(1),
                "Timebridge: conflicts to review",
                "1 new conflict needs your decision.",
                "Timebridge: Konflikte zu prüfen",
                "1 neuer Konflikt wartet auf Ihre Entscheidung.",
            ),
            (
                Notice::NewConflicts(3),
                "Timebridge: conflicts to review",
                "3 new conflicts need your decision.",
                "Timebridge: Konflikte zu prüfen",
                "3 neue Konflikte warten auf Ihre Entscheidung.",
            ),
            (
                Notice::TokenRejected(token.into()),
                "Timebridge: a token was rejected",
                "Kimai: the API token was rejected (401) Enter a new token under Connections.",
                "Timebridge: Ein Token wurde abgelehnt",
                "Kimai: the API token was rejected (401) Geben Sie unter Verbindungen einen neuen Token ein.",
            ),
            (
                Notice::ScheduleFailing("Kimai: server error 500".into()),
                "Timebridge: background sync is failing",
                "Kimai: server error 500 Background sync keeps trying.",
                "Timebridge: Hintergrund-Sync schlägt fehl",
                "Kimai: server error 500 Der Hintergrund-Sync versucht es weiter.",
            ),
        ];
        for (notice, en_title, en_body, de_title, de_body) in cases {
            let en = notice.message(&texts::EN);
            let de = notice.message(&texts::DE);
            assert_eq!((en.0.as_str(), en.1.as_str()), (en_title, en_body));
            assert_eq!((de.0.as_str(), de.1.as_str()), (de_title, de_body));
        }
    }
}

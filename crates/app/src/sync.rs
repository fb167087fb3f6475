//! Syncing from the app: "Sync now" through the scheduler that runs its job (`job`; single
//! flight: refused with `sync_running` while a run is going), the first sync's go-ahead, the
//! schedule and tray views, and the quiet lock an update install holds.

use std::sync::Arc;

use chrono::{DateTime, Local, Utc};

use timebridge_types::dashboard::{FirstSyncView, GoAheadRequest};
use timebridge_types::settings::Language;
use timebridge_types::sync::{
    LastSyncView, SchedulePhase, ScheduleView, SyncResultView, TrayState, TrayView,
};
use timebridge_types::{ApiError, ErrorCode};

use super::tray_texts::tooltip_texts;
use super::views::{name_of, rfc3339};
use super::{api_error, App};
use timebridge_core::schedule::{
    RunNowError, ScheduleStatus, SchedulerState, SyncOutcome, Trigger,
};
use timebridge_core::sync::entries::InstanceKey;

/// The schedule's status as the UI shows it.
pub fn schedule_view(s: &ScheduleStatus) -> ScheduleView {
    ScheduleView {
        phase: match s.state {
            SchedulerState::Idle => SchedulePhase::Idle,
            SchedulerState::Running => SchedulePhase::Running,
            SchedulerState::Paused => SchedulePhase::Paused,
            SchedulerState::BackingOff => SchedulePhase::BackingOff,
        },
        cron: s.cron.clone(),
        running_since: s.running_since.map(rfc3339),
        last: s.last_run.as_ref().map(|r| LastSyncView {
            finished_at: rfc3339(r.finished_at),
            outcome: name_of(&r.outcome),
            trigger: name_of(&r.trigger),
            writes: r.summary.map_or(0, |s| s.writes),
            conflicts: r.summary.map_or(0, |s| s.conflicts),
            error: r.error.as_ref().map(|e| e.message.clone()),
        }),
        next_run: s.next_run.map(rfc3339),
        consecutive_failures: s.consecutive_failures,
        last_error: s.last_error.clone(),
    }
}

/// The tray's state from the schedule and the open conflicts, its tooltip in `lang`. Pure,
/// for the shell's tests.
pub fn tray_view(s: &ScheduleStatus, conflicts: u32, parked: u32, lang: Language) -> TrayView {
    let last_outcome = s.last_run.as_ref().map(|r| r.outcome);
    let state = if s.state == SchedulerState::Running {
        TrayState::Syncing
    } else if last_outcome == Some(SyncOutcome::Failed) {
        TrayState::Error
    } else if last_outcome == Some(SyncOutcome::Offline) {
        TrayState::Offline
    } else if conflicts + parked > 0 {
        TrayState::NeedsAttention
    } else {
        TrayState::Idle
    };
    let last_sync = s.last_run.as_ref().map(|r| local_hh_mm(r.finished_at));
    let t = tooltip_texts(lang);
    let said = match state {
        TrayState::Syncing => t.syncing.to_string(),
        // The error itself is the engine's (English) message.
        TrayState::Error => match s.last_error.as_deref() {
            Some(e) => format!("{}: {e}", t.failed),
            None => t.failed.to_string(),
        },
        TrayState::Offline => t.offline.to_string(),
        TrayState::NeedsAttention => t.attention(conflicts, parked),
        TrayState::Idle => match &last_sync {
            Some(at) => (t.all_synced)(at),
            None => t.not_synced.to_string(),
        },
    };
    TrayView {
        state,
        tooltip: format!("Timebridge: {said}"),
        conflicts,
        last_sync,
        paused: s.state == SchedulerState::Paused,
    }
}

fn local_hh_mm(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%H:%M").to_string()
}

impl App {
    /// Starts the background schedule (idempotent).
    pub async fn start_schedule(&self) -> Result<(), ApiError> {
        self.scheduler.start().await.map_err(api_error)
    }

    /// "Sync now": one run through the scheduler. While a run is going (from the schedule,
    /// the tray or the window) it is refused with `sync_running`, never queued. A run that
    /// ends offline or failed is a result (its outcome says so), not an error.
    pub async fn sync_now(&self) -> Result<SyncResultView, ApiError> {
        let slot = Arc::clone(&self.last);
        match self.scheduler.run_now(Trigger::Manual).await {
            Ok(_) | Err(RunNowError::Failed(_)) => {}
            Err(e) => return Err(api_error(e)),
        }
        let last = slot.lock().clone();
        match last {
            Some(Ok(view)) => Ok(view),
            Some(Err(e)) => Err(e),
            None => Err(ApiError::new(ErrorCode::Internal, "the run left no report")),
        }
    }

    /// The user's go-ahead for a helpdesk's first sync (and, if asked, for rewriting the
    /// previous service's timesheets), then that sync, now.
    pub async fn first_sync_go_ahead(
        &self,
        req: &GoAheadRequest,
    ) -> Result<SyncResultView, ApiError> {
        let key = InstanceKey::new(&req.instance)
            .map_err(|e| ApiError::new(ErrorCode::Validation, e.to_string()))?;
        self.workspace().helpdesk(&key).map_err(api_error)?;
        // The rewrite is set as the card shows it, ticked or not, with the go-ahead.
        let went = self
            .workspace()
            .go_ahead(&key, Some(req.rewrite_previous))
            .map_err(api_error)?;
        if !went {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!("{:?} is not waiting for a go-ahead", req.instance),
            ));
        }
        self.sync_now().await
    }

    /// The helpdesks whose first sync waits for the go-ahead, with what it would do.
    pub fn first_sync_views(&self) -> Result<Vec<FirstSyncView>, ApiError> {
        let ws = self.workspace();
        let names: std::collections::BTreeMap<String, String> = ws
            .connections()
            .map_err(api_error)?
            .into_iter()
            .filter_map(|l| {
                Some((
                    l.connection.instance?.as_str().to_string(),
                    l.connection.name,
                ))
            })
            .collect();
        let rewriting: std::collections::BTreeSet<String> = ws
            .helpdesk_settings()
            .map_err(api_error)?
            .into_iter()
            .filter(|i| i.settings.rewrite_previous)
            .map(|i| i.key.as_str().to_string())
            .collect();
        let awaiting = ws.awaiting_go_ahead().map_err(api_error)?;
        Ok(awaiting
            .into_iter()
            .map(|(instance, planned)| {
                let p = planned.clone().unwrap_or_default();
                FirstSyncView {
                    name: names
                        .get(&instance)
                        .cloned()
                        .unwrap_or_else(|| instance.clone()),
                    rewrite_previous: rewriting.contains(&instance),
                    instance,
                    planned: planned.is_some(),
                    creates: p.creates,
                    adopted: p.adopted,
                    adopted_previous: p.adopted_previous,
                    rewritable: p.rewritable,
                    possible_twins: p.possible_twins,
                    conflicts: p.conflicts,
                    parked: p.parked,
                    other_writes: p.other_writes,
                }
            })
            .collect())
    }

    /// The schedule's status.
    pub fn schedule_status(&self) -> ScheduleView {
        schedule_view(&self.scheduler.status())
    }

    /// Pauses or resumes background runs (stored, so it holds after a restart).
    pub fn set_paused(&self, paused: bool) -> Result<ScheduleView, ApiError> {
        if paused {
            self.scheduler.pause();
        } else {
            self.scheduler.resume();
        }
        let mut settings = self.get_settings()?;
        settings.paused = paused;
        super::stored_settings::store_settings(self.store(), &settings)?;
        Ok(self.schedule_status())
    }

    /// How many conflicts are open now (what a notification after a run counts).
    pub fn open_conflict_count(&self) -> Result<u32, ApiError> {
        let open = self.workspace().open_decisions().map_err(api_error)?;
        Ok(open.conflicts.len() as u32)
    }

    /// The tray's icon state, tooltip (in the language setting's language) and menu facts.
    pub fn tray_state(&self) -> Result<TrayView, ApiError> {
        let open = self.workspace().open_decisions().map_err(api_error)?;
        let conflicts = open.conflicts.len() as u32;
        let parked = open.parked.len() as u32;
        let lang = self.get_settings()?.language;
        Ok(tray_view(&self.scheduler.status(), conflicts, parked, lang))
    }
}

/// Held while something must not overlap a sync or a billing run (installing an update of the
/// app): the same lock every run takes, across processes. Released when dropped.
pub use timebridge_core::ops::SyncLock as QuietLock;

impl App {
    /// Takes the sync lock if it is free: `Ok(None)` while a sync or billing run holds it (the
    /// caller waits and asks again). Runs started while it is held are refused with
    /// `sync_running` and the schedule tries again at its next tick.
    pub fn try_quiet_lock(&self) -> Result<Option<QuietLock>, ApiError> {
        self.workspace().try_lock().map_err(api_error)
    }
}

//! The scheduler's job for an app: one run over the stored set-up, read afresh each time
//! (mapping and timezone edits apply at the next run), Kimai's names refreshed after a run
//! that ended ok, and the run's result kept for "Sync now" to show.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use timebridge_types::sync::SyncResultView;
use timebridge_types::ApiError;

use super::api_error;
use super::catalog::{self, Catalog};
use super::views::name_of;
use timebridge_core::engine::{EngineError, Mode, RunReport};
use timebridge_core::ops::{OpError, Workspace};
use timebridge_core::schedule::{sync_job, JobError, RunSummary, SyncJob, Trigger};
use timebridge_core::secrets::SecretStore;
use timebridge_core::{Actor, Clock, Core, RunOutcome, RunTrigger};

/// The last run's result (or why it could not start), for "Sync now" to show: the result as the window shows it. Only the view is kept, never the run's
/// report: a first sync's report holds every action it planned (10,000 timesheets' worth),
/// which would stay in memory until the next run.
pub(super) type LastReport = Arc<Mutex<Option<Result<SyncResultView, ApiError>>>>;

/// The scheduler's job for this app.
pub(super) fn job(
    core: Arc<Core>,
    secrets: Arc<dyn SecretStore>,
    catalog: Arc<Mutex<Option<Catalog>>>,
    last: LastReport,
    clock: Clock,
) -> SyncJob {
    sync_job(move |trigger| {
        let (core, secrets) = (Arc::clone(&core), Arc::clone(&secrets));
        let (catalog, last) = (Arc::clone(&catalog), Arc::clone(&last));
        let now = clock.now();
        async move { run_once(core, secrets, catalog, last, trigger, now).await }
    })
}

async fn run_once(
    core: Arc<Core>,
    secrets: Arc<dyn SecretStore>,
    catalog: Arc<Mutex<Option<Catalog>>>,
    slot: LastReport,
    trigger: Trigger,
    now: DateTime<Utc>,
) -> Result<RunSummary, JobError> {
    let (run_trigger, actor) = match trigger {
        Trigger::Schedule => (RunTrigger::Schedule, Actor::Scheduler),
        Trigger::Manual => (RunTrigger::Manual, Actor::User),
    };
    let store = core.store();
    let workspace = Workspace::new(store, &*secrets, core.data_dir().root(), actor);
    let setup = match workspace.setup() {
        Ok(setup) => setup,
        Err(e) => {
            let err = api_error(e);
            *slot.lock() = Some(Err(err.clone()));
            return Err(JobError::permanent(err.message));
        }
    };
    let result = workspace
        .sync_over(&setup, now, Mode::Apply, run_trigger)
        .await;
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let busy = matches!(e, OpError::Engine(EngineError::Busy));
            let err = api_error(e);
            *slot.lock() = Some(Err(err.clone()));
            return Err(if busy {
                JobError::retryable(err.message)
            } else {
                JobError::permanent(err.message)
            });
        }
    };
    if report.outcome == RunOutcome::Ok {
        match Catalog::fetch(&setup.kimai).await {
            Ok(fresh) => {
                catalog::save_cached(store, &fresh);
                *catalog.lock() = Some(fresh);
            }
            Err(e) => tracing::warn!(error = %e, "could not refresh Kimai's names"),
        }
    }
    let summary = report.summary();
    *slot.lock() = Some(Ok(result_view(&report)));
    summary
}

fn result_view(report: &RunReport) -> SyncResultView {
    let c = &report.counts;
    SyncResultView {
        run_id: report.run_id,
        outcome: name_of(&report.outcome),
        error: report.error.clone(),
        created: c.created,
        updated: c.updated,
        deleted: c.deleted,
        conflicts: c.conflicts,
        parked: c.parked,
        awaiting_go_ahead: report
            .first_sync
            .iter()
            .map(|p| p.instance.clone())
            .collect(),
        kimai_retries: report.retries.kimai,
        zammad_retries: report.retries.zammad,
        recovered: c.recovered,
    }
}

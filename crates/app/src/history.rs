//! History and undo: runs, their audit events (what was written where, before → after), an
//! undo preview (what will and will not be undone, nothing written) and the undo itself; and
//! the sync preview (what the next sync would do).

use timebridge_types::entries::{PlannedAction, SyncPreviewView};
use timebridge_types::history::{AuditView, RunView, UndoItem, UndoView};
use timebridge_types::ApiError;

use super::views::{audit_view, key_view, name_of, run_view};
use super::{api_error, App, Catalog};
use timebridge_core::engine::{Mode, UndoReport, UndoStep};
use timebridge_core::sync::plan::{Action, TimesheetFields};
use timebridge_core::RunTrigger;

fn step_code(step: &UndoStep) -> String {
    name_of(step)
}

fn step_text(step: &UndoStep) -> String {
    match step {
        UndoStep::Deleted => "the timesheet the run created is deleted".into(),
        UndoStep::Restored => "the timesheet gets back what it held before the run".into(),
        UndoStep::Recreated { .. } => "the timesheet the run deleted is created again".into(),
        UndoStep::AlreadyGone => "already deleted in Kimai; only the link goes".into(),
        UndoStep::AlreadyUndone => "already undone earlier".into(),
    }
}

fn undo_view(r: &UndoReport, preview: bool) -> UndoView {
    UndoView {
        preview,
        run_id: (!preview).then_some(r.run_id),
        undoes_run: r.undoes_run,
        outcome: name_of(&r.outcome),
        error: r.error.clone(),
        undone: r
            .undone
            .iter()
            .map(|u| UndoItem {
                key: key_view(&u.key),
                timesheet_id: u.timesheet_id,
                action: name_of(&u.action),
                code: step_code(&u.step),
                text: step_text(&u.step),
            })
            .collect(),
        not_undone: r
            .not_undone
            .iter()
            .map(|n| UndoItem {
                key: key_view(&n.key),
                timesheet_id: n.timesheet_id,
                action: name_of(&n.action),
                code: name_of(&n.why),
                text: n.why.to_string(),
            })
            .collect(),
    }
}

fn short(f: &TimesheetFields, names: &Catalog) -> String {
    format!(
        "{}–{} {} / {}",
        f.begin.format("%Y-%m-%d %H:%M"),
        f.end.format("%H:%M"),
        names.project(f.project).name,
        names.activity(f.activity).name
    )
}

fn planned(a: &Action, names: &Catalog) -> PlannedAction {
    let action = serde_json::to_value(a)
        .ok()
        .and_then(|v| v.get("action").and_then(|s| s.as_str()).map(String::from))
        .unwrap_or_default();
    let description = match a {
        Action::Create { desired, .. } => format!("create {}", short(&desired.fields, names)),
        Action::Update { to, .. } => format!("update to {}", short(&to.fields, names)),
        Action::Delete { timesheet_id, .. } => {
            format!("delete timesheet {timesheet_id} (deleted in Zammad)")
        }
        Action::KeepUserEdit { timesheet_id, .. } => {
            format!("keep your edit of timesheet {timesheet_id}")
        }
        Action::Rebase { .. } => "both sides agree; nothing to write".into(),
        Action::ForgetLink { .. } => "forget the link".into(),
        Action::Park { reason, .. } => format!("park: {}", name_of(reason).replace('_', " ")),
        Action::Conflict { kind, .. } => timebridge_core::ops::decisions::reason(*kind).to_string(),
    };
    PlannedAction {
        key: key_view(a.key()),
        action,
        writes: a.writes_remote(),
        description,
    }
}

impl App {
    /// The newest `limit` runs (at most `MAX_RUNS_LISTED`).
    pub fn list_runs(&self, limit: u32) -> Result<Vec<RunView>, ApiError> {
        let runs = self.workspace().runs(limit).map_err(api_error)?;
        Ok(runs.iter().map(run_view).collect())
    }

    /// What run `id` wrote, in order (`not_found` for an unknown run).
    pub fn run_audit(&self, id: i64) -> Result<Vec<AuditView>, ApiError> {
        let names = self.names();
        let detail = self.workspace().run_detail(id).map_err(api_error)?;
        Ok(detail
            .events
            .iter()
            .map(|e| audit_view(e, &names))
            .collect())
    }

    /// What undoing run `id` would do now; writes nothing.
    pub async fn undo_preview(&self, id: i64) -> Result<UndoView, ApiError> {
        let report = self.workspace().undo_preview(id).await.map_err(api_error)?;
        Ok(undo_view(&report, true))
    }

    /// Undoes run `id` as far as it safely can.
    pub async fn undo_run(&self, id: i64) -> Result<UndoView, ApiError> {
        let report = self
            .workspace()
            .undo(id, RunTrigger::Manual)
            .await
            .map_err(api_error)?;
        Ok(undo_view(&report, false))
    }

    /// What the next sync would do (a preview run: recorded in the history, nothing written
    /// to Kimai). Refused with `sync_running` while a sync is going.
    pub async fn preview_sync(&self) -> Result<SyncPreviewView, ApiError> {
        let report = self
            .workspace()
            .sync(self.now(), Mode::Preview, RunTrigger::Manual)
            .await
            .map_err(api_error)?;
        let names = self.names();
        Ok(SyncPreviewView {
            run_id: report.run_id,
            outcome: name_of(&report.outcome),
            error: report.error,
            actions: report.actions.iter().map(|a| planned(a, &names)).collect(),
        })
    }
}

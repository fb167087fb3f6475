//! `timebridge runs list | show`: the history of sync runs and, per run, its audit events
//! (every remote write and base move with the fields before and after).

use serde::Serialize;
use timebridge_core::sync::plan::TimesheetFields;
use timebridge_core::RunTrigger;
use timebridge_core::{Actor, AuditAction, AuditEvent, RunCounts, RunMode, RunOutcome, RunRow};

use crate::failure::Failure;
use crate::sync::fields;
use crate::Context;

/// One run in `runs list --json` and `runs show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct RunJson {
    /// The run id.
    pub(crate) id: i64,
    /// When it started (RFC 3339, UTC).
    pub(crate) started_at: String,
    /// When it ended, `null` while running.
    pub(crate) finished_at: Option<String>,
    /// `manual`, `schedule` or `cli`.
    pub(crate) trigger: RunTrigger,
    /// `sync`, `preview` or `undo`.
    pub(crate) mode: RunMode,
    /// `running`, `ok`, `offline`, `failed` or `interrupted`.
    pub(crate) outcome: RunOutcome,
    /// Why it did not end well, else `null`.
    pub(crate) error: Option<String>,
    /// What it did.
    pub(crate) counts: RunCounts,
    /// For an undo: the run it reverses, else `null`.
    pub(crate) undoes_run: Option<i64>,
}

impl From<RunRow> for RunJson {
    fn from(r: RunRow) -> Self {
        Self {
            id: r.id,
            started_at: r.started_at.to_rfc3339(),
            finished_at: r.finished_at.map(|t| t.to_rfc3339()),
            trigger: r.trigger,
            mode: r.mode,
            outcome: r.outcome,
            error: r.error,
            counts: r.counts,
            undoes_run: r.undoes_run,
        }
    }
}

/// The `runs list --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ListJson {
    /// Newest first.
    pub(crate) runs: Vec<RunJson>,
}

fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn line(r: &RunJson) -> String {
    let c = &r.counts;
    format!(
        "{:>5}  {}  {:<7} {:<4} {:<11} created {} updated {} deleted {} kept {} parked {} conflicts {} refused {}{}{}",
        r.id,
        r.started_at,
        name(&r.mode),
        name(&r.trigger),
        name(&r.outcome),
        c.created,
        c.updated,
        c.deleted,
        c.kept_user_edits,
        c.parked,
        c.conflicts,
        c.refused,
        r.undoes_run
            .map(|id| format!("  (undo of run {id})"))
            .unwrap_or_default(),
        r.error
            .as_deref()
            .map(|e| format!("  error: {e}"))
            .unwrap_or_default()
    )
}

/// `runs list [--limit N]`.
pub(crate) fn list(ctx: &Context, limit: u32) -> Result<(), Failure> {
    let store = ctx.store()?;
    let runs: Vec<RunJson> = ctx
        .workspace(&store)
        .runs(limit)?
        .into_iter()
        .map(RunJson::from)
        .collect();
    let doc = ListJson { runs };
    ctx.emit(&doc, || {
        if doc.runs.is_empty() {
            return "No runs yet. Start one with `timebridge sync`.".into();
        }
        doc.runs.iter().map(line).collect::<Vec<_>>().join("\n")
    });
    Ok(())
}

/// One audit event in `runs show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct EventJson {
    /// The event id (ids grow in the order events happened).
    pub(crate) id: i64,
    /// When it was written (RFC 3339, UTC).
    pub(crate) at: String,
    /// `scheduler`, `user` or `cli`.
    pub(crate) actor: Actor,
    /// `create`, `adopt`, `update`, `delete`, `keep_user_edit`, `rebase`, `forget_link` or
    /// `tombstone`.
    pub(crate) action: AuditAction,
    /// `acme#4711`.
    pub(crate) key: String,
    /// The Zammad instance key.
    pub(crate) instance: String,
    /// The time accounting id in that instance.
    pub(crate) time_accounting_id: i64,
    /// The Kimai timesheet, if any.
    pub(crate) timesheet_id: Option<i64>,
    /// Kimai's fields before (update, delete), else `null`.
    pub(crate) before: Option<TimesheetFields>,
    /// Kimai's fields after (create, update), else `null`.
    pub(crate) after: Option<TimesheetFields>,
}

impl From<AuditEvent> for EventJson {
    fn from(e: AuditEvent) -> Self {
        let entry = e.entry;
        Self {
            id: e.id,
            at: e.at.to_rfc3339(),
            actor: entry.actor,
            action: entry.action,
            key: entry.key.to_string(),
            instance: entry.key.instance,
            time_accounting_id: entry.key.time_accounting_id,
            timesheet_id: entry.timesheet_id,
            before: entry.before,
            after: entry.after,
        }
    }
}

/// The `runs show --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ShowJson {
    /// The run's history row, as `runs list --json` shows it.
    pub(crate) run: RunJson,
    /// Its audit events, in the order they happened.
    pub(crate) events: Vec<EventJson>,
    /// The writes Kimai refused in it, as in `sync --json`.
    pub(crate) refused: Vec<crate::sync::RefusedJson>,
}

/// `runs show <id>` (exit 1 for an unknown id).
pub(crate) fn show(ctx: &Context, id: i64) -> Result<(), Failure> {
    let store = ctx.store()?;
    let detail = ctx.workspace(&store).run_detail(id)?;
    let events = detail.events.into_iter().map(EventJson::from).collect();
    let refused = detail
        .refused
        .into_iter()
        .map(|(key, refusal)| crate::sync::RefusedJson {
            key: key.to_string(),
            code: refusal.code.as_str(),
            fix: refusal.code.fix(),
            refusal,
        })
        .collect();
    let doc = ShowJson {
        run: detail.run.into(),
        events,
        refused,
    };
    ctx.emit(&doc, || {
        let mut lines = vec![line(&doc.run)];
        if doc.events.is_empty() {
            lines.push("No audit events (nothing was written).".into());
        }
        for r in &doc.refused {
            lines.push(format!("  refused {} {}", r.key, r.refusal.summary()));
        }
        for e in &doc.events {
            let timesheet = e
                .timesheet_id
                .map(|id| format!(" timesheet {id}"))
                .unwrap_or_default();
            lines.push(format!(
                "  {} {} {}{timesheet} by {}",
                e.at,
                name(&e.action),
                e.key,
                name(&e.actor)
            ));
            if let Some(f) = &e.before {
                lines.push(format!("      before: {}", fields(f)));
            }
            if let Some(f) = &e.after {
                lines.push(format!("      after:  {}", fields(f)));
            }
        }
        lines.join("\n")
    });
    Ok(())
}

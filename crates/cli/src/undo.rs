//! `timebridge runs undo <id>`: reverses what a sync run wrote to Kimai, where Kimai still
//! holds exactly what the run left and nothing is exported, and says entry by entry what it
//! did and what it left and why. Reversed entries are held until `conflicts release`, so the
//! next sync does not write them again. Needs only the Kimai token.

use serde::Serialize;
use timebridge_core::engine::{UndoReport, UndoStep, WhyNot};
use timebridge_core::{AuditAction, RunOutcome, RunTrigger};

use crate::conflicts::name;
use crate::failure::Failure;
use crate::{block_on, Context};

/// One reversed write in `runs undo --json`.
#[derive(Debug, Serialize)]
pub(crate) struct UndoneJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// The timesheet the run wrote.
    pub(crate) timesheet_id: Option<i64>,
    /// What the run did: `create`, `update` or `delete`.
    pub(crate) action: AuditAction,
    /// `{"step": "deleted" | "restored" | "already_gone" | "already_undone"}` or
    /// `{"step": "recreated", "timesheet_id": <new id>}`.
    pub(crate) undo: UndoStep,
}

/// One write left as it is in `runs undo --json`.
#[derive(Debug, Serialize)]
pub(crate) struct LeftJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// The timesheet the run wrote.
    pub(crate) timesheet_id: Option<i64>,
    /// What the run did.
    pub(crate) action: AuditAction,
    /// `exported`, `changed_in_kimai`, `deleted_in_kimai`, `changed_since`, `month_closed`,
    /// `locked`, `rejected`, `failed` or `not_attempted`.
    pub(crate) reason: String,
    /// The reason in words.
    pub(crate) message: String,
}

/// The `runs undo --json` document (also printed, then exit 2, when the undo stopped early).
#[derive(Debug, Serialize)]
pub(crate) struct UndoJson {
    /// The undo's own run id (`runs show <id>`).
    pub(crate) run_id: i64,
    /// The run it reverses.
    pub(crate) undoes_run: i64,
    /// `ok`, `offline` or `failed`.
    pub(crate) outcome: RunOutcome,
    /// Why it stopped early, else `null`.
    pub(crate) error: Option<String>,
    /// Reversed writes; each entry is now held until `conflicts release`.
    pub(crate) undone: Vec<UndoneJson>,
    /// Writes left as they are, with the reason.
    pub(crate) not_undone: Vec<LeftJson>,
}

impl From<UndoReport> for UndoJson {
    fn from(r: UndoReport) -> Self {
        Self {
            run_id: r.run_id,
            undoes_run: r.undoes_run,
            outcome: r.outcome,
            error: r.error,
            undone: r
                .undone
                .into_iter()
                .map(|u| UndoneJson {
                    key: u.key.to_string(),
                    timesheet_id: u.timesheet_id,
                    action: u.action,
                    undo: u.step,
                })
                .collect(),
            not_undone: r
                .not_undone
                .into_iter()
                .map(|n| LeftJson {
                    key: n.key.to_string(),
                    timesheet_id: n.timesheet_id,
                    action: n.action,
                    reason: reason_name(&n.why),
                    message: n.why.to_string(),
                })
                .collect(),
        }
    }
}

fn reason_name(why: &WhyNot) -> String {
    serde_json::to_value(why)
        .ok()
        .and_then(|v| v.get("reason").and_then(|r| r.as_str().map(str::to_string)))
        .unwrap_or_default()
}

/// `runs undo <id>`: exit 1 for a run that cannot be undone (unknown, a preview, an undo),
/// 2 when Kimai could not be reached (undo again later: it carries on), else 0 — also when
/// some writes were left, each with its reason.
pub(crate) fn run(ctx: &Context, id: i64) -> Result<(), Failure> {
    let store = ctx.store()?;
    let report = block_on(ctx.workspace(&store).undo(id, RunTrigger::Cli))??;
    let doc = UndoJson::from(report);
    let failure = (doc.outcome != RunOutcome::Ok).then(|| {
        Failure::connection(
            name(&doc.outcome).as_str(),
            format!(
                "undo run {} stopped: {}. Nothing was lost; `timebridge runs undo {id}` again \
                 carries on.",
                doc.run_id,
                doc.error.as_deref().unwrap_or("no details")
            ),
        )
        .already_printed(ctx.json)
    });
    if ctx.json {
        ctx.emit(&doc, String::new);
    } else {
        crate::say(&text(&doc));
    }
    failure.map_or(Ok(()), Err)
}

fn text(doc: &UndoJson) -> String {
    let mut lines = vec![format!(
        "Undo of run {} (run {}): {} write(s) reversed, {} left.",
        doc.undoes_run,
        doc.run_id,
        doc.undone.len(),
        doc.not_undone.len()
    )];
    for u in &doc.undone {
        let what = match &u.undo {
            UndoStep::Deleted => "timesheet deleted".to_string(),
            UndoStep::Restored => "timesheet restored".to_string(),
            UndoStep::Recreated { timesheet_id } => {
                format!("timesheet created again as {timesheet_id}")
            }
            UndoStep::AlreadyGone => "timesheet was already deleted in Kimai".to_string(),
            UndoStep::AlreadyUndone => "already undone".to_string(),
        };
        lines.push(format!("  undone  {} ({}): {what}", u.key, name(&u.action)));
    }
    for n in &doc.not_undone {
        lines.push(format!(
            "  left    {} ({}): {}",
            n.key,
            name(&n.action),
            n.message
        ));
    }
    if !doc.undone.is_empty() {
        lines.push(
            "Undone entries are held: the sync leaves them alone until you release them with \
             `timebridge conflicts release <key>`."
                .into(),
        );
    }
    lines.join("\n")
}

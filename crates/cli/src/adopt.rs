//! `timebridge adopt [--preview] [--helpdesk KEY]`: the switching steps of a first sync on
//! their own. Timesheets already in Kimai for the work — written by the previous sync service
//! or carrying Timebridge's own marker — are linked to their entries; entries whose work
//! looks booked by hand already are parked as possible twins for the user's word. Nothing is
//! created or changed in Kimai, and no helpdesk's first sync is started by it.

use serde::Serialize;
use timebridge_core::engine::Mode;
use timebridge_core::sync::plan::{Action, ParkReason};
use timebridge_core::RunOutcome;

use crate::cli::AdoptArgs;
use crate::failure::Failure;
use crate::sync::sync_once_with;
use crate::{block_on, Context};

/// The `adopt --json` document.
#[derive(Debug, Serialize)]
struct AdoptJson {
    /// The run's id (`runs show <id>`).
    run_id: i64,
    /// Whether only shown (nothing stored).
    preview: bool,
    /// `ok`, `offline` or `failed`.
    outcome: RunOutcome,
    /// Why not ok.
    error: Option<String>,
    /// Timesheets linked to their entries (all origins).
    adopted: u32,
    /// Of those: written by the previous sync service.
    adopted_previous: u32,
    /// Previous-service timesheets several helpdesks could own (left alone), by id.
    ambiguous: Vec<i64>,
    /// Entries parked as possible twins: `instance#id` and the timesheet each resembles.
    possible_twins: Vec<TwinJson>,
    /// Previous-service timesheets that could be rewritten, per helpdesk not doing so.
    rewritable: std::collections::BTreeMap<String, u32>,
}

/// One entry waiting as a possible twin.
#[derive(Debug, Serialize)]
struct TwinJson {
    /// `instance#id`.
    key: String,
    /// The hand-made timesheet.
    timesheet_id: i64,
    /// Why it looks like the same work.
    evidence: String,
}

/// `timebridge adopt`.
pub(crate) fn run(ctx: &Context, args: &AdoptArgs) -> Result<(), Failure> {
    let store = ctx.store()?;
    if let Some(key) = &args.helpdesk {
        let ws = ctx.workspace(&store);
        if args.preview {
            ws.helpdesk(key)?;
        } else {
            ws.own_previous_timesheets(key)?;
        }
    }
    let pick = args.helpdesk.clone();
    let mode = if args.preview {
        Mode::Preview
    } else {
        Mode::Adopt
    };
    let warn = !ctx.json;
    let report = block_on(sync_once_with(
        ctx.workspace(&store),
        ctx.clock.now(),
        mode,
        warn,
        |setup| {
            if let Some(pick) = pick {
                for conn in &mut setup.instances {
                    conn.settings.owns_previous_ambiguous = conn.key == pick;
                }
            }
        },
    ))??;
    let twins = report
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Park {
                key,
                reason: ParkReason::PossibleTwin { twin },
            } => Some(TwinJson {
                key: key.to_string(),
                timesheet_id: twin.timesheet_id,
                evidence: timebridge_core::billing::park_words(&ParkReason::PossibleTwin {
                    twin: twin.clone(),
                }),
            }),
            _ => None,
        })
        .collect();
    let doc = AdoptJson {
        run_id: report.run_id,
        preview: args.preview,
        outcome: report.outcome,
        error: report.error.clone(),
        adopted: report.adopted,
        adopted_previous: report.adopted_legacy,
        ambiguous: report.legacy_ambiguous.clone(),
        possible_twins: twins,
        rewritable: report.rewritable.clone(),
    };
    if report.outcome != RunOutcome::Ok {
        let failure = Failure::connection(
            "failed",
            format!(
                "adopt run {} ended {:?}: {}. Nothing was lost.",
                report.run_id,
                report.outcome,
                report.error.as_deref().unwrap_or("no details")
            ),
        );
        if ctx.json {
            ctx.emit(&doc, String::new);
            return Err(failure.already_printed(true));
        }
        return Err(failure);
    }
    ctx.emit(&doc, || text(&doc));
    Ok(())
}

fn text(doc: &AdoptJson) -> String {
    let verb = if doc.preview { "would link" } else { "linked" };
    let mut lines = vec![format!(
        "Adopt {} {}: {verb} {} timesheet(s) already in Kimai to their entries ({} written by \
         the previous sync service); nothing was created or changed in Kimai.",
        if doc.preview { "preview" } else { "run" },
        doc.run_id,
        doc.adopted,
        doc.adopted_previous
    )];
    if !doc.ambiguous.is_empty() {
        lines.push(format!(
            "{} timesheet(s) of the previous sync service could belong to more than one \
             helpdesk and were left alone: {:?}. Say whose they are: `timebridge adopt \
             --helpdesk KEY`.",
            doc.ambiguous.len(),
            doc.ambiguous
        ));
    }
    if !doc.possible_twins.is_empty() {
        let waits = if doc.preview { "would wait" } else { "wait" };
        lines.push(format!(
            "{} entr(y/ies) look booked by hand already and {waits} for your word (`timebridge \
             conflicts twin KEY same|different`):",
            doc.possible_twins.len()
        ));
        lines.extend(
            doc.possible_twins
                .iter()
                .map(|t| format!("  {} ~ timesheet {}: {}", t.key, t.timesheet_id, t.evidence)),
        );
    }
    for (key, n) in &doc.rewritable {
        lines.push(format!(
            "{n} timesheet(s) of the previous sync service on {key} differ from Zammad only in \
             description or day; `timebridge mappings set {key} --rewrite-previous on` rewrites \
             them at the next sync (exported ones stay as they are)."
        ));
    }
    lines.join("\n")
}

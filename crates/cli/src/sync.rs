//! `timebridge sync [--preview]`: the engine over the stored connections — the one Kimai, every
//! Zammad instance with its mapping settings, the billing timezone — run once, now. A preview
//! is the same run with writes off; it prints the plan instead of what was done.

use chrono::{DateTime, Utc};
use serde::Serialize;
use timebridge_core::engine::first_sync::FirstSyncPreview;
use timebridge_core::engine::{Mode, RunReport};
use timebridge_core::ops::Workspace;
use timebridge_core::setup::Setup;
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::plan::{Action, ParkReason, TimesheetFields};
use timebridge_core::sync::refusal::Refusal;
use timebridge_core::{RunCounts, RunOutcome, RunTrigger};

use crate::failure::Failure;
use crate::{block_on, Context};

/// The `sync --json` document (also printed, then exit 2, when the run ended offline or
/// failed).
#[derive(Debug, Serialize)]
pub(crate) struct SyncJson {
    /// The run's id (`runs show <id>`).
    pub(crate) run_id: i64,
    /// Whether this was a preview (nothing written to Kimai).
    pub(crate) preview: bool,
    /// `ok`, `offline` or `failed`.
    pub(crate) outcome: RunOutcome,
    /// Why the run did not end well, else `null`.
    pub(crate) error: Option<String>,
    /// What was done (all zero for a preview).
    pub(crate) counts: RunCounts,
    /// Timesheets found by their marker and linked instead of created.
    pub(crate) adopted: u32,
    /// The plan, in the core's serde form (`{"action": "create", "key": …, "desired": …}`).
    pub(crate) actions: Vec<Action>,
    /// The writes Kimai refused in this run: the entry, the code, Kimai's answer and the fix.
    pub(crate) refused: Vec<RefusedJson>,
    /// Writes Kimai stored with other times than sent (a rounding rule on the server).
    pub(crate) kimai_adjusted: Vec<AdjustedJson>,
    /// Whether this run was the first to meet such a write (the text then explains it).
    pub(crate) kimai_adjusted_first: bool,
    /// Of `adopted`: timesheets the previous web service (Zammad-Kimai-Time-Tracking-Sync)
    /// wrote, linked to their entries.
    pub(crate) adopted_legacy: u32,
    /// Its timesheets more than one helpdesk could own (left alone), by id.
    pub(crate) legacy_ambiguous: Vec<i64>,
    /// Helpdesks whose first sync this run went ahead with (`--yes`).
    pub(crate) went_ahead: Vec<String>,
    /// Helpdesks whose first sync waits for the go-ahead: what it would do (nothing of it
    /// was carried out; `actions` holds only the other helpdesks' part).
    pub(crate) first_sync: Vec<FirstSyncPreview>,
    /// Previous-service timesheets rewritten to Timebridge's description and day, by entry.
    pub(crate) rewritten: Vec<String>,
    /// Previous-service timesheets that could be rewritten, per helpdesk not doing so.
    pub(crate) rewritable: std::collections::BTreeMap<String, u32>,
    /// Requests sent again in this run, per server (`{kimai, zammad}`).
    pub(crate) retries: timebridge_core::engine::Retries,
}

/// One write Kimai stored with other times, in `sync --json`.
#[derive(Debug, Serialize)]
pub(crate) struct AdjustedJson {
    /// `instance#id`.
    pub(crate) key: String,
    /// The Kimai timesheet id.
    pub(crate) timesheet_id: i64,
    /// Begin and end as sent (wall-clock, billing timezone).
    pub(crate) sent: [String; 2],
    /// Begin and end as Kimai stored them.
    pub(crate) stored: [String; 2],
}

/// One refused write in `sync --json`.
#[derive(Debug, Serialize)]
pub(crate) struct RefusedJson {
    /// `instance#id`.
    pub(crate) key: String,
    /// `project_ended`, `locked_period`, …
    pub(crate) code: &'static str,
    /// What the user can do.
    pub(crate) fix: &'static str,
    /// Kimai's refusal as stored (its answer, the refused write, the project then).
    pub(crate) refusal: Refusal,
}

/// `timebridge sync [--preview | --yes]`.
pub(crate) fn run(ctx: &Context, preview: bool, yes: bool) -> Result<(), Failure> {
    let store = ctx.store()?;
    let ws = ctx.workspace(&store);
    let mode = if preview { Mode::Preview } else { Mode::Apply };
    let mut went_ahead = Vec::new();
    if yes {
        // Checked first: a set-up that cannot sync keeps its helpdesks waiting.
        ws.setup()?;
        for key in ws.awaiting_go_ahead()?.into_keys() {
            let key =
                InstanceKey::new(&key).map_err(|e| Failure::usage("invalid_key", e.to_string()))?;
            if ws.go_ahead(&key, None)? {
                went_ahead.push(key.as_str().to_string());
            }
        }
    }
    let warn = !ctx.json;
    let report = block_on(sync_once(ws, ctx.clock.now(), mode, warn))??;
    let failure = failure_of(&report).map(|f| f.already_printed(ctx.json));
    let doc = SyncJson {
        run_id: report.run_id,
        preview,
        outcome: report.outcome,
        error: report.error,
        counts: report.counts,
        adopted: report.adopted,
        actions: report.actions,
        refused: report
            .refused
            .into_iter()
            .map(|(key, refusal)| RefusedJson {
                key: key.to_string(),
                code: refusal.code.as_str(),
                fix: refusal.code.fix(),
                refusal,
            })
            .collect(),
        kimai_adjusted: report
            .kimai_adjusted
            .iter()
            .map(|a| {
                let wall = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
                AdjustedJson {
                    key: a.key.to_string(),
                    timesheet_id: a.timesheet_id,
                    sent: [wall(a.sent.0), wall(a.sent.1)],
                    stored: [wall(a.stored.0), wall(a.stored.1)],
                }
            })
            .collect(),
        kimai_adjusted_first: report.kimai_adjusted_first,
        adopted_legacy: report.adopted_legacy,
        legacy_ambiguous: report.legacy_ambiguous,
        went_ahead,
        first_sync: report.first_sync,
        rewritten: report.rewrites.keys().map(ToString::to_string).collect(),
        rewritable: report.rewritable,
        retries: report.retries,
    };
    if ctx.json {
        ctx.emit(&doc, String::new);
    } else if failure.is_none() {
        crate::say(&text(&doc));
    }
    failure.map_or(Ok(()), Err)
}

/// One sync over the stored configuration, read afresh (so mapping and timezone changes apply
/// at once), as the desktop runs it. `warn` prints a warning on stderr when no Zammad
/// connection is configured.
pub(crate) async fn sync_once(
    ws: Workspace<'_>,
    now: DateTime<Utc>,
    mode: Mode,
    warn: bool,
) -> Result<RunReport, Failure> {
    sync_once_with(ws, now, mode, warn, |_| {}).await
}

/// [`sync_once`] with the configuration changed in memory first (`adopt --preview
/// --helpdesk`: the pick shown, not stored).
pub(crate) async fn sync_once_with(
    ws: Workspace<'_>,
    now: DateTime<Utc>,
    mode: Mode,
    warn: bool,
    adjust: impl FnOnce(&mut Setup),
) -> Result<RunReport, Failure> {
    let mut setup = ws.setup()?;
    adjust(&mut setup);
    if setup.instances.is_empty() && warn {
        warn_no_helpdesk();
    }
    Ok(ws.sync_over(&setup, now, mode, RunTrigger::Cli).await?)
}

/// The warning a sync without any helpdesk prints (it still runs: it settles Kimai's side).
pub(crate) fn warn_no_helpdesk() {
    eprintln!("warning: no Zammad connection; add one with `timebridge connections add zammad …`");
}

/// Exit 2 for a run that ended offline or failed (a remote problem; nothing was lost).
fn failure_of(report: &RunReport) -> Option<Failure> {
    let (code, what) = match report.outcome {
        RunOutcome::Ok => return None,
        RunOutcome::Offline => ("offline", "a server could not be reached"),
        RunOutcome::Failed => ("failed", "a server answered with an error"),
        RunOutcome::Running | RunOutcome::Interrupted => ("failed", "the run did not finish"),
    };
    Some(Failure::connection(
        code,
        format!(
            "sync run {} ended {}: {what}: {}. Nothing was lost; the next sync continues.",
            report.run_id,
            code,
            report.error.as_deref().unwrap_or("no details")
        ),
    ))
}

/// What a held first sync would do, in words.
pub(crate) fn first_sync_words(p: &FirstSyncPreview) -> String {
    let mut parts = vec![format!("create {} timesheet(s)", p.creates)];
    if p.adopted > 0 {
        let mut linked = format!("link {} already in Kimai", p.adopted);
        if p.adopted_previous > 0 {
            linked += &format!(
                " ({} written by the previous sync service, {} of them rewritable to \
                 Timebridge's description and day)",
                p.adopted_previous, p.rewritable
            );
        }
        parts.push(linked);
    }
    if p.possible_twins > 0 {
        parts.push(format!(
            "hold {} entr(y/ies) that look booked by hand already (possible twins, for your word)",
            p.possible_twins
        ));
    }
    if p.conflicts > 0 {
        parts.push(format!("ask you about {} difference(s)", p.conflicts));
    }
    if p.parked > 0 {
        parts.push(format!("park {} entr(y/ies) (no mapping, …)", p.parked));
    }
    if p.other_writes > 0 {
        parts.push(format!(
            "change {} timesheet(s) already in Kimai to Zammad's version",
            p.other_writes
        ));
    }
    format!("it would {}", parts.join(", "))
}

/// The text output: the plan for a preview, else what was done.
fn text(doc: &SyncJson) -> String {
    let mut lines: Vec<String> = doc
        .went_ahead
        .iter()
        .map(|key| format!("Going ahead with the first sync of {key}."))
        .collect();
    if doc.preview {
        lines.extend(doc.actions.iter().map(describe));
        let writes = doc.actions.iter().filter(|a| a.writes_remote()).count();
        lines.push(format!(
            "Preview (run {}): {} planned action(s), {writes} of them writes to Kimai; nothing \
             was written. Run `timebridge sync` to carry them out.",
            doc.run_id,
            doc.actions.len()
        ));
        lines.extend(held_lines(doc));
        return lines.join("\n");
    }
    lines.extend(done_lines(doc));
    lines.extend(previous_service_lines(doc));
    lines.extend(held_lines(doc));
    lines.extend(kimai_lines(doc));
    if doc.counts.conflicts > 0 || doc.counts.parked > 0 {
        lines.push(
            "See `timebridge conflicts list`; decide with `timebridge conflicts resolve`.".into(),
        );
    }
    lines.join("\n")
}

/// Helpdesks whose first sync waits for the go-ahead, with what it would do.
fn held_lines(doc: &SyncJson) -> Vec<String> {
    doc.first_sync
        .iter()
        .map(|p| {
            format!(
                "First sync of {} waits for your go-ahead: {}. Nothing was written for it. The \
                 plan: `timebridge sync --preview`; go ahead: `timebridge sync --yes`.",
                p.instance,
                first_sync_words(p)
            )
        })
        .collect()
}

/// What the run did, and each write Kimai refused.
fn done_lines(doc: &SyncJson) -> Vec<String> {
    let c = &doc.counts;
    let mut lines = vec![format!(
        "Sync run {}: {}. created {}, updated {}, deleted {}, kept edits {}, parked {}, \
         conflicts {}, adopted {}{}.",
        doc.run_id,
        outcome_word(doc.outcome),
        c.created,
        c.updated,
        c.deleted,
        c.kept_user_edits,
        c.parked,
        c.conflicts,
        doc.adopted,
        if c.failed > 0 {
            format!(", failed {}", c.failed)
        } else {
            String::new()
        },
    )];
    if c.refused > 0 {
        lines.push(format!("Refused by Kimai {} (not booked):", c.refused));
        lines.extend(
            doc.refused
                .iter()
                .map(|r| format!("  {} {}", r.key, r.refusal.summary())),
        );
        lines.push(
            "Each stays parked and is not sent again until it, its mapping or the project changes, a day has passed, or you run `timebridge conflicts retry KEY`."
                .into(),
        );
    }
    lines
}

/// What the run did with the previous sync service's timesheets.
fn previous_service_lines(doc: &SyncJson) -> Vec<String> {
    let mut lines = Vec::new();
    if doc.adopted_legacy > 0 {
        lines.push(format!(
            "Linked {} timesheet(s) the previous sync service wrote to their entries (not booked \
             again); where they differ from Zammad they wait in `timebridge conflicts list` \
             (take-zammad rewrites them to Timebridge's description and day).",
            doc.adopted_legacy
        ));
    }
    if !doc.legacy_ambiguous.is_empty() {
        lines.push(format!(
            "{} timesheet(s) of the previous sync service could belong to more than one helpdesk \
             and were left alone: {:?}. Say whose they are: `timebridge adopt --helpdesk KEY`.",
            doc.legacy_ambiguous.len(),
            doc.legacy_ambiguous
        ));
    }
    if !doc.rewritten.is_empty() {
        lines.push(format!(
            "Rewrote {} timesheet(s) of the previous sync service to Timebridge's description \
             and their local day.",
            doc.rewritten.len()
        ));
    }
    for (key, n) in &doc.rewritable {
        lines.push(format!(
            "{n} timesheet(s) of the previous sync service on {key} differ from Zammad only in \
             description or day; `timebridge mappings set {key} --rewrite-previous on` rewrites \
             them at the next sync (exported ones stay as they are)."
        ));
    }
    lines
}

/// How the servers answered: requests sent again, lost answers settled, times Kimai changed.
fn kimai_lines(doc: &SyncJson) -> Vec<String> {
    let mut lines = Vec::new();
    for (server, n) in [("Kimai", doc.retries.kimai), ("Zammad", doc.retries.zammad)] {
        if n > 0 {
            lines.push(format!(
                "{server} answered slowly or with errors: {n} request(s) sent again."
            ));
        }
    }
    if doc.counts.recovered > 0 {
        lines.push(format!(
            "{} write(s) whose answer was lost were checked in Kimai and settled in this run.",
            doc.counts.recovered
        ));
    }
    if let Some(first) = doc.kimai_adjusted.first() {
        lines.push(format!(
            "Kimai changed the times of {} timesheet(s) as it stored them, e.g. {} sent {}–{}, \
             stored {}–{}.",
            doc.kimai_adjusted.len(),
            first.key,
            &first.sent[0][11..16],
            &first.sent[1][11..16],
            &first.stored[0][11..16],
            &first.stored[1][11..16],
        ));
        if doc.kimai_adjusted_first {
            lines.push(
                "Your Kimai rounds times by a rule of its own (set by its admin; invisible to \
                 its API). Timebridge keeps what Kimai stored and does not fight it; `timebridge \
                 bill preview` shows the month's difference to Zammad as \"changed in Kimai\". \
                 To bill Zammad's time exactly, ask the admin to switch the rounding off."
                    .into(),
            );
        }
    }
    lines
}

fn outcome_word(outcome: RunOutcome) -> &'static str {
    match outcome {
        RunOutcome::Running => "running",
        RunOutcome::Ok => "ok",
        RunOutcome::Offline => "offline",
        RunOutcome::Failed => "failed",
        RunOutcome::Interrupted => "interrupted",
    }
}

/// `2026-03-02 09:00–09:30 project 7 activity 3 "…"`.
pub(crate) fn fields(f: &TimesheetFields) -> String {
    let end = if f.end.date() == f.begin.date() {
        f.end.format("%H:%M").to_string()
    } else {
        f.end.format("%Y-%m-%d %H:%M").to_string()
    };
    let tags = if f.tags.is_empty() {
        String::new()
    } else {
        format!(" tags {}", f.tags.join(","))
    };
    format!(
        "{}–{end} project {} activity {} {:?}{tags}",
        f.begin.format("%Y-%m-%d %H:%M"),
        f.project,
        f.activity,
        f.description
    )
}

/// Why an entry is parked, in words.
pub(crate) fn park_reason(reason: &ParkReason) -> String {
    match reason {
        ParkReason::NeedsMapping { detail } => format!("needs mapping: {detail}"),
        ParkReason::UnappliedCorrection { secs_left, .. } => {
            format!("correction with nothing to reduce ({secs_left} s left)")
        }
        ParkReason::AmbiguousMarker => "two markers in one Kimai description".into(),
        ParkReason::Invalid { detail } => format!("invalid: {detail}"),
        other @ (ParkReason::PossibleTwin { .. } | ParkReason::UnitChanged { .. }) => {
            timebridge_core::billing::park_words(other)
        }
        ParkReason::Refused { refusal } => refusal.summary(),
    }
}

/// One planned action on one line.
pub(crate) fn describe(action: &Action) -> String {
    let key = action.key().to_string();
    match action {
        Action::Create { desired, .. } => format!("create {key} {}", fields(&desired.fields)),
        Action::Update {
            timesheet_id, to, ..
        } => format!(
            "update {key} timesheet {timesheet_id} to {}",
            fields(&to.fields)
        ),
        Action::Delete { timesheet_id, .. } => {
            format!("delete {key} timesheet {timesheet_id} (deleted in Zammad)")
        }
        Action::KeepUserEdit { timesheet_id, .. } => {
            format!("keep-edit {key} timesheet {timesheet_id} (your edit in Kimai is kept)")
        }
        Action::Rebase { timesheet_id, .. } => {
            format!("rebase {key} timesheet {timesheet_id} (both sides agree)")
        }
        Action::ForgetLink { tombstone, .. } => {
            if *tombstone {
                format!("forget {key} (never created again)")
            } else {
                format!("forget {key}")
            }
        }
        Action::Park { reason, .. } => format!("park {key} {}", park_reason(reason)),
        Action::Conflict {
            kind, timesheet_id, ..
        } => {
            let kind = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match timesheet_id {
                Some(id) => format!("conflict {key} {kind} timesheet {id}"),
                None => format!("conflict {key} {kind}"),
            }
        }
    }
}

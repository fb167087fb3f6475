//! `timebridge conflicts list | resolve`: what the sync could not decide alone, and the user's
//! decisions on it. A decision is stored at once (no server is asked, so it works offline) and
//! the next sync applies it.

use serde::Serialize;
use timebridge_core::sync::plan::{
    ConflictKind, ParkReason, Resolution, SourceKey, TimesheetFields,
};

use timebridge_core::ops::decisions::DecideError;
use timebridge_core::{ParkedEntry, StoredConflict};

use crate::cli::ResolutionArg;
use crate::failure::Failure;
use crate::sync::{fields, park_reason};
use crate::Context;

/// One open conflict in `conflicts list --json`.
#[derive(Debug, Serialize)]
pub(crate) struct ConflictJson {
    /// `acme#4711`, as `conflicts resolve` takes it.
    pub(crate) key: String,
    /// The Zammad instance key.
    pub(crate) instance: String,
    /// The time accounting id in that instance.
    pub(crate) time_accounting_id: i64,
    /// `both_changed`, `billed_changed_at_source`, `deleted_in_kimai`,
    /// `deleted_at_source_edited_in_kimai` or `new_entry_in_closed_month`.
    pub(crate) kind: ConflictKind,
    /// The Kimai timesheet, if any.
    pub(crate) timesheet_id: Option<i64>,
    /// What Zammad wants now, if anything.
    pub(crate) source: Option<TimesheetFields>,
    /// What Kimai holds now, if anything.
    pub(crate) kimai: Option<TimesheetFields>,
    /// The last synced state, if any; 1970-01-01T00:00, project 0, activity 0 when unknown (a
    /// link rebuilt from Kimai).
    pub(crate) base: Option<TimesheetFields>,
    /// When it was first seen (RFC 3339, UTC).
    pub(crate) detected_at: String,
    /// The run that last reported it.
    pub(crate) run_id: Option<i64>,
    /// A decision stored and waiting for the next sync, else `null`.
    pub(crate) resolution: Option<Resolution>,
    /// The decisions that apply to this kind (docs/sync-model.md, the decision table).
    pub(crate) choices: &'static [Resolution],
}

impl ConflictJson {
    /// The JSON form of a stored conflict and the decision waiting for it, if any.
    pub(crate) fn of(c: StoredConflict, resolution: Option<Resolution>) -> Self {
        let r = c.record;
        Self {
            key: r.key.to_string(),
            resolution,
            instance: r.key.instance,
            time_accounting_id: r.key.time_accounting_id,
            kind: r.kind,
            choices: choices(r.kind),
            timesheet_id: r.timesheet_id,
            source: r.source,
            kimai: r.kimai,
            base: r.base,
            detected_at: c.detected_at.to_rfc3339(),
            run_id: c.run_id,
        }
    }
}

/// The decisions the decision table gives each kind of conflict (shared with the app).
pub(crate) use timebridge_core::ops::decisions::choices;

/// A conflict's base in words: its fields, or that it is unknown (a link rebuilt from Kimai,
/// see `rebuild-links`).
pub(crate) fn base_text(base: &TimesheetFields) -> String {
    if base.is_unknown() {
        "unknown (link rebuilt from Kimai)".into()
    } else {
        fields(base)
    }
}

/// `take-zammad|keep-kimai|…`, as typed on the command line.
pub(crate) fn typed(choices: &[Resolution]) -> String {
    choices
        .iter()
        .map(|r| name(r).replace('_', "-"))
        .collect::<Vec<_>>()
        .join("|")
}

/// One parked entry in `conflicts list --json`.
#[derive(Debug, Serialize)]
pub(crate) struct ParkedJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// The Zammad instance key.
    pub(crate) instance: String,
    /// The time accounting id in that instance.
    pub(crate) time_accounting_id: i64,
    /// Why (`{"reason": "needs_mapping", "detail": "…"}`, …).
    pub(crate) reason: ParkReason,
    /// When it was first parked for this reason (RFC 3339, UTC).
    pub(crate) detected_at: String,
}

impl ParkedJson {
    /// The parked entry `p` as the CLI prints it.
    pub(crate) fn of(p: ParkedEntry) -> Self {
        Self {
            key: p.key.to_string(),
            instance: p.key.instance,
            time_accounting_id: p.key.time_accounting_id,
            reason: p.reason,
            detected_at: p.detected_at.to_rfc3339(),
        }
    }
}

/// The `conflicts list --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ListJson {
    /// Open conflicts, by key.
    pub(crate) conflicts: Vec<ConflictJson>,
    /// Parked entries, by key.
    pub(crate) parked: Vec<ParkedJson>,
}

/// `conflicts list`.
pub(crate) fn list(ctx: &Context) -> Result<(), Failure> {
    let store = ctx.store()?;
    let open = ctx.workspace(&store).open_decisions()?;
    let conflicts: Vec<ConflictJson> = open
        .conflicts
        .into_iter()
        .map(|c| ConflictJson::of(c.conflict, c.decided))
        .collect();
    let parked = open
        .parked
        .into_iter()
        .map(|p| ParkedJson::of(p.entry))
        .collect();
    let doc = ListJson { conflicts, parked };
    ctx.emit(&doc, || text(&doc));
    Ok(())
}

/// The serde name of a unit variant (`deleted_in_kimai`, `take_zammad`, …).
pub(crate) fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn text(doc: &ListJson) -> String {
    let mut lines = Vec::new();
    if doc.conflicts.is_empty() {
        lines.push("No open conflicts.".to_string());
    }
    for c in &doc.conflicts {
        let timesheet = c
            .timesheet_id
            .map(|id| format!(" timesheet {id}"))
            .unwrap_or_default();
        let decided = c
            .resolution
            .as_ref()
            .map(|r| format!(" — decided: {}, applied at the next sync", r.name()))
            .unwrap_or_default();
        lines.push(format!(
            "{} {}{timesheet}{decided} — choose {}",
            c.key,
            name(&c.kind),
            typed(c.choices)
        ));
        if let Some(f) = &c.source {
            lines.push(format!("    zammad: {}", fields(f)));
        }
        if let Some(f) = &c.kimai {
            lines.push(format!("    kimai:  {}", fields(f)));
        }
        if let Some(f) = &c.base {
            lines.push(format!("    base:   {}", base_text(f)));
        }
    }
    if !doc.conflicts.is_empty() {
        lines.push(
            "Decide with `timebridge conflicts resolve <key> <choice>`; the next sync applies it."
                .into(),
        );
    }
    if !doc.parked.is_empty() {
        lines.push(format!("Parked entries ({}):", doc.parked.len()));
        for p in &doc.parked {
            lines.push(format!("{} {}", p.key, park_reason(&p.reason)));
        }
    }
    lines.join("\n")
}

/// The `conflicts resolve --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ResolveJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// The decision stored (`take_zammad`, `keep_kimai`, `recreate`, `accept_deletion`,
    /// `ignore`).
    pub(crate) resolution: Resolution,
    /// The kind of the open conflict it answers, `null` for a parked entry (only `ignore`).
    pub(crate) conflict: Option<ConflictKind>,
    /// Whether the entry is now ignored for good (`ignore`).
    pub(crate) ignored: bool,
}

/// `conflicts resolve <instance>#<id> <resolution>`: only for an open conflict (or, with
/// `ignore`, a parked entry); exit 1 otherwise.
pub(crate) fn resolve(ctx: &Context, key: &SourceKey, arg: ResolutionArg) -> Result<(), Failure> {
    let store = ctx.store()?;
    let resolution = Resolution::from(arg);
    let conflict = match ctx.workspace(&store).decide(key, resolution.clone()) {
        Ok(conflict) => conflict,
        Err(DecideError::NoConflict { parked }) => {
            let hint = if parked {
                " (it is parked: only `ignore` applies to it; fix its mapping to release it)"
            } else {
                "; see `timebridge conflicts list`"
            };
            return Err(Failure::usage(
                "not_found",
                format!("{} has no open conflict{hint}", key),
            ));
        }
        Err(DecideError::NotApplicable { kind }) => {
            return Err(Failure::usage(
                "not_applicable",
                format!(
                    "{} does not apply to {} ({}): choose {}",
                    name(&resolution).replace('_', "-"),
                    key,
                    name(&kind),
                    typed(choices(kind))
                ),
            ))
        }
        Err(DecideError::Store(e)) => return Err(e.into()),
        Err(e @ DecideError::BadEdit(_)) => {
            return Err(Failure::usage("bad_edit", format!("{key}: {e}")))
        }
    };
    let ignored = resolution == Resolution::Ignore;
    let doc = ResolveJson {
        key: key.to_string(),
        resolution,
        conflict,
        ignored,
    };
    ctx.emit(&doc, || {
        format!(
            "Stored: {} → {}. It is applied at the next `timebridge sync`.",
            doc.key,
            name(&doc.resolution)
        )
    });
    Ok(())
}

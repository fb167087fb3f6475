//! `timebridge conflicts show <instance>#<id>`: one open conflict or parked entry in full — what
//! each side holds, the last synced base, the link, a decision waiting for the next sync, and
//! which decisions apply — so the user can decide without reading the whole list.

use serde::Serialize;
use timebridge_core::sync::plan::{Resolution, SourceKey, TimesheetFields};

use timebridge_core::ops::PARKED_CHOICES;

use crate::conflicts::{base_text, name, typed, ConflictJson, ParkedJson};
use crate::failure::Failure;
use crate::sync::park_reason;
use crate::Context;

/// The link to a Kimai timesheet, as stored.
#[derive(Debug, Serialize)]
pub(crate) struct LinkJson {
    /// The timesheet; `null` for a tombstone (its deletion was accepted).
    pub(crate) timesheet_id: Option<i64>,
    /// What we last wanted (the Zammad side of the base).
    pub(crate) base_source: TimesheetFields,
    /// What Kimai held after our last write or acceptance.
    pub(crate) base_kimai: TimesheetFields,
}

/// The `conflicts show --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ShowJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// `conflict` or `parked`.
    pub(crate) state: &'static str,
    /// The open conflict (the `conflicts list` shape), else `null`.
    pub(crate) conflict: Option<ConflictJson>,
    /// The parked entry (the `conflicts list` shape), else `null`.
    pub(crate) parked: Option<ParkedJson>,
    /// Its link to a timesheet, else `null`.
    pub(crate) link: Option<LinkJson>,
    /// Whether the entry is left alone (ignored).
    pub(crate) ignored: bool,
    /// A decision stored and waiting for the next sync, else `null`.
    pub(crate) resolution: Option<Resolution>,
    /// The decisions `conflicts resolve` accepts for it.
    pub(crate) choices: &'static [Resolution],
}

/// `conflicts show <instance>#<id>`; exit 1 if the entry has no conflict and is not parked.
pub(crate) fn show(ctx: &Context, key: &SourceKey) -> Result<(), Failure> {
    let store = ctx.store()?;
    let open = ctx.workspace(&store).open_decisions()?;
    let conflict = open
        .conflicts
        .into_iter()
        .find(|c| &c.conflict.record.key == key);
    let parked = open.parked.into_iter().find(|p| &p.entry.key == key);
    let resolution = match (&conflict, &parked) {
        (Some(c), _) => c.decided.clone(),
        (None, Some(p)) => p.decided.clone(),
        (None, None) => None,
    };
    let conflict = conflict.map(|c| ConflictJson::of(c.conflict, c.decided));
    let parked = parked.map(|p| ParkedJson::of(p.entry));
    let (state, choices) = match (&conflict, &parked) {
        (Some(c), _) => ("conflict", c.choices),
        (None, Some(_)) => ("parked", PARKED_CHOICES),
        (None, None) => {
            return Err(Failure::usage(
                "not_found",
                format!(
                    "{} has no open conflict and is not parked; see `timebridge conflicts list`",
                    key
                ),
            ))
        }
    };
    let link = store.link(key)?.map(|l| LinkJson {
        timesheet_id: l.timesheet_id,
        base_source: l.base_source,
        base_kimai: l.base_kimai,
    });
    let doc = ShowJson {
        key: key.to_string(),
        state,
        conflict,
        parked,
        link,
        ignored: store.ignored()?.contains(key),
        resolution,
        choices,
    };
    ctx.emit(&doc, || text(&doc));
    Ok(())
}

fn text(doc: &ShowJson) -> String {
    let mut lines = Vec::new();
    if let Some(c) = &doc.conflict {
        let timesheet = c
            .timesheet_id
            .map(|id| format!(", timesheet {id}"))
            .unwrap_or_default();
        let run = c.run_id.map(|r| format!(", run {r}")).unwrap_or_default();
        lines.push(format!(
            "{}: conflict {}{timesheet} (since {}{run})",
            doc.key,
            name(&c.kind),
            c.detected_at
        ));
        let sides = [
            ("zammad:", &c.source),
            ("kimai: ", &c.kimai),
            ("base:  ", &c.base),
        ];
        for (label, side) in sides {
            let shown = side.as_ref().map_or_else(|| "—".to_string(), base_text);
            lines.push(format!("    {label} {shown}"));
        }
    }
    if let Some(p) = &doc.parked {
        lines.push(format!(
            "{}: parked — {} (since {})",
            doc.key,
            park_reason(&p.reason),
            p.detected_at
        ));
    }
    if let Some(l) = &doc.link {
        match l.timesheet_id {
            Some(id) => lines.push(format!("    linked to timesheet {id}")),
            None => lines.push("    tombstone: its deletion was accepted".into()),
        }
        if doc.conflict.is_none() {
            lines.push(format!("    base:   {}", base_text(&l.base_kimai)));
        }
    }
    if doc.ignored {
        lines.push("    ignored: the sync leaves it alone".into());
    }
    match &doc.resolution {
        Some(r) => lines.push(format!(
            "    decided: {}, applied at the next sync",
            r.name().replace('_', "-")
        )),
        None => lines.push("    no decision yet".into()),
    }
    lines.push(format!(
        "    choose {}: `timebridge conflicts resolve {} <choice>`",
        typed(doc.choices),
        doc.key
    ));
    if doc.state == "parked" {
        lines.push(
            "    or fix its mapping (`timebridge mappings …`): the next sync releases it".into(),
        );
    }
    lines.join("\n")
}

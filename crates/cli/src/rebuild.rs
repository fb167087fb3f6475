//! `timebridge rebuild-links [--since YYYY-MM-DD]`: after a new laptop or a lost database, find
//! which Kimai timesheet stands for which Zammad entry again, from the markers the sync wrote
//! into the descriptions. Reads only Kimai (no Zammad token needed) and writes only links.
//!
//! The last synced state cannot be found again, so every rebuilt link has an *unknown* base:
//! the next sync takes equal sides as in step and shows every difference as a conflict — it
//! never overwrites or deletes a timesheet on the strength of a rebuilt link.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use timebridge_core::engine::{DuplicateMarker, RebuildReport};
use timebridge_core::sync::plan::SourceKey;

use crate::failure::Failure;
use crate::{block_on, Context};

/// An entry and its timesheet in `rebuild-links --json`.
#[derive(Debug, Serialize)]
pub(crate) struct EntryJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// The Zammad instance key.
    pub(crate) instance: String,
    /// The time accounting id in that instance.
    pub(crate) time_accounting_id: i64,
    /// The Kimai timesheet.
    pub(crate) timesheet_id: i64,
}

/// A marker found on several timesheets.
#[derive(Debug, Serialize)]
pub(crate) struct DuplicateJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// The timesheet linked to the entry (`null`: its deletion was accepted earlier).
    pub(crate) linked: Option<i64>,
    /// The other timesheets with the same marker; left as they are.
    pub(crate) others: Vec<i64>,
}

/// The `rebuild-links --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct RebuildJson {
    /// The `--since` day, else `null` (all timesheets).
    pub(crate) since: Option<NaiveDate>,
    /// How many of your Kimai timesheets were read.
    pub(crate) read: u32,
    /// The links written now (each with an unknown base).
    pub(crate) linked: Vec<EntryJson>,
    /// Marked timesheets that already had their link.
    pub(crate) already_linked: u32,
    /// Markers on more than one timesheet: the lowest id is linked, nothing is deleted.
    pub(crate) duplicates: Vec<DuplicateJson>,
    /// Timesheets with two different markers: not linked.
    pub(crate) ambiguous: Vec<i64>,
    /// Marked timesheets already linked to another entry: left so.
    pub(crate) linked_elsewhere: Vec<EntryJson>,
    /// Marked timesheets per instance key without a Zammad connection here.
    pub(crate) unknown_instances: BTreeMap<String, u32>,
}

fn entry((key, timesheet_id): (SourceKey, i64)) -> EntryJson {
    EntryJson {
        key: key.to_string(),
        instance: key.instance,
        time_accounting_id: key.time_accounting_id,
        timesheet_id,
    }
}

impl From<(Option<NaiveDate>, RebuildReport)> for RebuildJson {
    fn from((since, r): (Option<NaiveDate>, RebuildReport)) -> Self {
        Self {
            since,
            read: r.read,
            linked: r.linked.into_iter().map(entry).collect(),
            already_linked: r.already_linked,
            duplicates: r
                .duplicates
                .into_iter()
                .map(|d: DuplicateMarker| DuplicateJson {
                    key: d.key.to_string(),
                    linked: d.linked,
                    others: d.others,
                })
                .collect(),
            ambiguous: r.ambiguous,
            linked_elsewhere: r.linked_elsewhere.into_iter().map(entry).collect(),
            unknown_instances: r.unknown_instances,
        }
    }
}

/// `timebridge rebuild-links [--since YYYY-MM-DD]`.
pub(crate) fn run(ctx: &Context, since: Option<NaiveDate>) -> Result<(), Failure> {
    let store = ctx.store()?;
    let report = block_on(ctx.workspace(&store).rebuild_links(since))??;
    let doc = RebuildJson::from((since, report));
    ctx.emit(&doc, || text(&doc));
    Ok(())
}

fn ids(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text output.
fn text(doc: &RebuildJson) -> String {
    let scope = doc
        .since
        .map_or_else(|| "all".to_string(), |d| format!("since {d}"));
    let mut lines = vec![format!(
        "Read {} Kimai timesheet(s) ({scope}): {} link(s) rebuilt, {} already linked.",
        doc.read,
        doc.linked.len(),
        doc.already_linked
    )];
    for e in &doc.linked {
        lines.push(format!("  linked {} → timesheet {}", e.key, e.timesheet_id));
    }
    if !doc.duplicates.is_empty() {
        lines.push(
            "Markers on more than one timesheet (nothing was deleted; look at the others in \
             Kimai):"
                .into(),
        );
        for d in &doc.duplicates {
            let linked = d
                .linked
                .map_or_else(|| "none (deletion accepted)".into(), |id| id.to_string());
            lines.push(format!(
                "  {}: linked {linked}; also carried by {}",
                d.key,
                ids(&d.others)
            ));
        }
    }
    if !doc.ambiguous.is_empty() {
        lines.push(format!(
            "Two different markers, not linked (edit the description in Kimai): timesheet(s) {}",
            ids(&doc.ambiguous)
        ));
    }
    for e in &doc.linked_elsewhere {
        lines.push(format!(
            "Timesheet {} is linked to {}, not to the entry its marker names; left so.",
            e.timesheet_id, e.key
        ));
    }
    for (key, n) in &doc.unknown_instances {
        lines.push(format!(
            "{n} timesheet(s) carry markers of instance {key:?}: add the Zammad connection with \
             key {key} first (`timebridge connections add zammad --key {key} …`), then run \
             rebuild-links again."
        ));
    }
    if !doc.linked.is_empty() {
        lines.push(
            "What was last synced is unknown: the next sync takes equal sides as in step and \
             shows every difference as a conflict (`timebridge conflicts list`)."
                .into(),
        );
    }
    lines.join("\n")
}

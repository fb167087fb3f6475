//! Rebuilding links from Kimai, for a new laptop or a lost database: every timesheet the sync
//! created carries its entry's marker, so the links can be found again in Kimai.
//!
//! What cannot be found again is the *base* (what was last synced). A rebuilt link therefore
//! gets [`TimesheetFields::unknown`] as its base on both sides: the next sync takes equal sides
//! as in step and turns every difference into a conflict for the user — never an overwrite of
//! a timesheet the user may have edited, never a delete. Nothing remote is written here.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use timebridge_kimai::{KimaiError, Timesheet, TimesheetQuery};

use super::read::kimai_record;
use super::shared::{Engine, EngineError};
use crate::store::audit::{AuditAction, AuditEntry};
use crate::sync::entries::{InstanceKey, Marker};
use crate::sync::plan::{Link, SourceKey, TimesheetFields};

/// Why links could not be rebuilt. Nothing was written in either case.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    /// The local database, or another sync holds the data directory.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Kimai could not be read completely.
    #[error("Kimai: {0}")]
    Kimai(#[from] KimaiError),
}

/// A marker found on more than one timesheet: one is (or stays) linked, the others are left
/// for the user to look at. Nothing is deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DuplicateMarker {
    /// The entry the marker names.
    pub key: SourceKey,
    /// The timesheet linked to it (`None` for a tombstone: the user accepted its deletion).
    pub linked: Option<i64>,
    /// The other timesheets carrying the same marker, by id.
    pub others: Vec<i64>,
}

/// What a rebuild found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    /// Timesheets read (the consultant's own, since the given day).
    pub read: u32,
    /// New links, by entry: entry → timesheet.
    pub linked: Vec<(SourceKey, i64)>,
    /// Marked timesheets that already had their link (tombstones included).
    pub already_linked: u32,
    /// Markers found on more than one timesheet.
    pub duplicates: Vec<DuplicateMarker>,
    /// Timesheets with two different markers: never linked (the user decides).
    pub ambiguous: Vec<i64>,
    /// Marked timesheets already linked to a different entry (the user changed the marker?).
    pub linked_elsewhere: Vec<(SourceKey, i64)>,
    /// Marked timesheets per instance key that has no Zammad connection here.
    pub unknown_instances: BTreeMap<String, u32>,
}

/// One marked timesheet of a configured instance.
struct Found<'t> {
    key: SourceKey,
    timesheet: &'t Timesheet,
}

impl Engine<'_> {
    /// Rebuilds the links of this engine's instances from the consultant's timesheets that
    /// begin on or after `since` (all of them without it).
    pub async fn rebuild_links(
        &self,
        since: Option<NaiveDate>,
    ) -> Result<RebuildReport, RebuildError> {
        let keys: BTreeSet<InstanceKey> = self.instances.iter().map(|c| c.key.clone()).collect();
        self.rebuild_links_for(&keys, since).await
    }

    /// [`Engine::rebuild_links`] for the instance keys `configured` (for callers that have no
    /// Zammad clients: a rebuild reads only Kimai). Takes the sync lock, so it never runs
    /// beside a sync; reads Kimai completely or fails; writes every new link with its `adopt`
    /// audit row in one transaction.
    pub async fn rebuild_links_for(
        &self,
        configured: &BTreeSet<InstanceKey>,
        since: Option<NaiveDate>,
    ) -> Result<RebuildReport, RebuildError> {
        let _lock = self.lock()?;
        let query = TimesheetQuery {
            begin: since.map(|d| d.and_time(NaiveTime::MIN)),
            ..TimesheetQuery::default()
        };
        let listing = self.kimai.timesheets_all(&query).await?;
        let links = self.store.all_links().map_err(EngineError::from)?;
        let (report, new) = classify(&listing, &links, configured);
        self.store
            .write(|w| {
                for found in &new {
                    let fields = kimai_record(found.timesheet, self.tz).fields;
                    let month = fields.month();
                    let link = Link {
                        timesheet_id: Some(found.timesheet.id),
                        base_source: TimesheetFields::unknown(),
                        base_kimai: TimesheetFields::unknown(),
                    };
                    w.upsert_link(&found.key, &link, Some(month))?;
                    w.append_audit(&AuditEntry {
                        run_id: None,
                        actor: self.actor,
                        action: AuditAction::Adopt,
                        key: found.key.clone(),
                        timesheet_id: link.timesheet_id,
                        before: None,
                        after: Some(fields),
                    })?;
                }
                Ok(())
            })
            .map_err(EngineError::from)?;
        Ok(report)
    }
}

/// Sorts the listing into the report and the links to write (pure, so it is tested alone).
fn classify<'t>(
    listing: &'t [Timesheet],
    links: &BTreeMap<SourceKey, Link>,
    configured: &BTreeSet<InstanceKey>,
) -> (RebuildReport, Vec<Found<'t>>) {
    let linked_ids: BTreeMap<i64, &SourceKey> = links
        .iter()
        .filter_map(|(key, l)| Some((l.timesheet_id?, key)))
        .collect();
    let mut report = RebuildReport {
        read: listing.len() as u32,
        ..RebuildReport::default()
    };
    let mut by_key: BTreeMap<SourceKey, Vec<&Timesheet>> = BTreeMap::new();
    for ts in listing {
        let marker = match Marker::find(ts.description.as_deref().unwrap_or_default()) {
            Ok(Some(marker)) => marker,
            Ok(None) => continue,
            Err(_) => {
                report.ambiguous.push(ts.id);
                continue;
            }
        };
        if !configured.contains(&marker.instance) {
            *report
                .unknown_instances
                .entry(marker.instance.as_str().to_string())
                .or_default() += 1;
            continue;
        }
        let key = SourceKey {
            instance: marker.instance.as_str().to_string(),
            time_accounting_id: marker.time_accounting_id,
        };
        match linked_ids.get(&ts.id) {
            Some(owner) if **owner == key => report.already_linked += 1,
            Some(owner) => report.linked_elsewhere.push(((*owner).clone(), ts.id)),
            None => by_key.entry(key).or_default().push(ts),
        }
    }
    let mut new = Vec::new();
    for (key, mut found) in by_key {
        found.sort_by_key(|ts| ts.id);
        let existing = links.get(&key);
        if existing.is_some() {
            // Linked already (to a timesheet outside the listing, or a tombstone): the
            // marked ones found here are copies for the user to look at.
            report.duplicates.push(DuplicateMarker {
                key,
                linked: existing.and_then(|l| l.timesheet_id),
                others: found.iter().map(|ts| ts.id).collect(),
            });
            continue;
        }
        let Some((first, rest)) = found.split_first() else {
            continue;
        };
        if !rest.is_empty() {
            report.duplicates.push(DuplicateMarker {
                key: key.clone(),
                linked: Some(first.id),
                others: rest.iter().map(|ts| ts.id).collect(),
            });
        }
        report.linked.push((key.clone(), first.id));
        new.push(Found {
            key,
            timesheet: first,
        });
    }
    report.ambiguous.sort_unstable();
    (report, new)
}

#[cfg(test)]
#[path = "tests_rebuild.rs"]
mod tests;

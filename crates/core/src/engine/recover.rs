//! Exactly once after a crash: before planning, every own timesheet in the horizon that carries
//! a marker for an entry without a link is *adopted* (linked, audited) instead of being created
//! again; outbox rows left pending or sent by a crash are settled against what Kimai holds.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use timebridge_kimai::Timesheet;

use super::read::kimai_record;
use crate::store::audit::{Actor, AuditAction, AuditEntry};
use crate::store::outbox::{OutboxKind, OutboxState};
use crate::sync::entries::Marker;
use crate::sync::plan::{Link, SourceKey};
use crate::{Store, StoreError};

/// Every marked timesheet of `listing` whose entry and id no link of `links` has, by entry
/// (lowest id first: if a bug ever made two, the first one wins and the other stays visible).
fn marked_unlinked<'l>(
    links: &BTreeMap<SourceKey, Link>,
    listing: &'l BTreeMap<i64, Timesheet>,
) -> BTreeMap<SourceKey, (i64, &'l Timesheet)> {
    let linked_ids: std::collections::BTreeSet<i64> =
        links.values().filter_map(|l| l.timesheet_id).collect();
    let mut found: BTreeMap<SourceKey, (i64, &Timesheet)> = BTreeMap::new();
    for ts in listing.values() {
        let Ok(Some(marker)) = Marker::find(ts.description.as_deref().unwrap_or_default()) else {
            continue;
        };
        let key = SourceKey {
            instance: marker.instance.as_str().to_string(),
            time_accounting_id: marker.time_accounting_id,
        };
        if links.contains_key(&key) || linked_ids.contains(&ts.id) {
            continue;
        }
        found.entry(key).or_insert((ts.id, ts));
    }
    found
}

/// The links adoption would make, in memory only: for a preview, and for helpdesks whose
/// first sync waits for the go-ahead (`engine::first_sync`). Inserted into `links`; returns
/// how many per helpdesk (of those `which` accepts).
pub(super) fn adopt_in_memory(
    links: &mut BTreeMap<SourceKey, Link>,
    listing: &BTreeMap<i64, Timesheet>,
    which: impl Fn(&str) -> bool,
    tz: Tz,
) -> BTreeMap<String, u32> {
    let found = marked_unlinked(links, listing);
    let mut counts = BTreeMap::new();
    for (key, (id, ts)) in found.into_iter().filter(|(k, _)| which(&k.instance)) {
        let fields = kimai_record(ts, tz).fields;
        *counts.entry(key.instance.clone()).or_default() += 1;
        links.insert(
            key,
            Link {
                timesheet_id: Some(id),
                base_source: fields.clone(),
                base_kimai: fields,
            },
        );
    }
    counts
}

/// Links every marked, unlinked timesheet of the listing — except those of helpdesks
/// `held` names — and settles the crash leftovers in the outbox. Returns how many timesheets
/// were adopted, per helpdesk.
pub(super) fn adopt_and_settle(
    store: &Store,
    run_id: i64,
    actor: Actor,
    listing: &BTreeMap<i64, Timesheet>,
    held: &std::collections::BTreeSet<String>,
    tz: Tz,
) -> Result<BTreeMap<String, u32>, StoreError> {
    let links = store.all_links()?;
    let mut found = marked_unlinked(&links, listing);
    found.retain(|key, _| !held.contains(&key.instance));
    let pending = store.pending_outbox()?;
    let mut adopted = BTreeMap::new();
    for key in found.keys() {
        *adopted.entry(key.instance.clone()).or_default() += 1;
    }
    store.write(|w| {
        for (key, (id, ts)) in &found {
            let fields = kimai_record(ts, tz).fields;
            let month = fields.month();
            let link = Link {
                timesheet_id: Some(*id),
                base_source: fields.clone(),
                base_kimai: fields.clone(),
            };
            w.upsert_link(key, &link, Some(month))?;
            w.append_audit(&AuditEntry {
                run_id: Some(run_id),
                actor,
                action: AuditAction::Adopt,
                key: key.clone(),
                timesheet_id: Some(*id),
                before: None,
                after: Some(fields),
            })?;
        }
        for row in &pending {
            let state = match (row.kind, found.get(&row.key)) {
                (OutboxKind::Create, Some((id, _))) => {
                    w.outbox_mark(row.id, OutboxState::Confirmed, Some(*id))?;
                    continue;
                }
                // The listing is complete for the horizon: a create that is not in it never
                // happened. Updates and deletes are re-planned from the base, which they did
                // not move.
                _ => OutboxState::Failed,
            };
            w.outbox_mark(row.id, state, None)?;
        }
        Ok(())
    })?;
    Ok(adopted)
}

/// For every create a crash left unconfirmed whose marker is not in `listing`, searches Kimai
/// for the marker without a date filter and adds what it finds, so adoption sees it.
pub(super) async fn search_unconfirmed(
    store: &Store,
    kimai: &timebridge_kimai::KimaiClient,
    listing: &mut BTreeMap<i64, Timesheet>,
) -> Result<Result<(), timebridge_kimai::KimaiError>, StoreError> {
    let in_listing: std::collections::BTreeSet<SourceKey> = listing
        .values()
        .filter_map(|ts| Marker::find(ts.description.as_deref().unwrap_or_default()).ok()?)
        .map(|m| SourceKey {
            instance: m.instance.as_str().to_string(),
            time_accounting_id: m.time_accounting_id,
        })
        .collect();
    for row in store.pending_outbox()? {
        if row.kind != OutboxKind::Create || in_listing.contains(&row.key) {
            continue;
        }
        let Ok(instance) = crate::sync::entries::InstanceKey::new(&row.key.instance) else {
            continue;
        };
        let marker = Marker::new(instance, row.key.time_accounting_id);
        let query = timebridge_kimai::TimesheetQuery {
            term: Some(marker.search_term()),
            ..timebridge_kimai::TimesheetQuery::default()
        };
        match kimai.timesheets_all(&query).await {
            Ok(found) => {
                for ts in found {
                    let same = Marker::find(ts.description.as_deref().unwrap_or_default())
                        .ok()
                        .flatten()
                        .is_some_and(|m| m == marker);
                    if same {
                        listing.insert(ts.id, ts);
                    }
                }
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(()))
}

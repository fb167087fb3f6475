//! What the builder cannot tell from one instance's read alone, added to the planner's source
//! sides before planning:
//! - a linked (or parked) entry missing from a ticket read completely is **gone**;
//! - a link rebuilt from Kimai does not know its ticket: in a full read with no ticket left
//!   unread, its entry missing from every ticket is gone too — and since its base is unknown,
//!   the planner makes that a conflict, never a delete;
//! - an entry named by a timesheet that carries two markers (a user merged two timesheets) is
//!   **parked** instead of created again: which entry that timesheet stands for is the user's
//!   call;
//! - a linked timesheet that no longer carries its entry's marker is **not the entry's any
//!   more** (Kimai on MySQL before 8 hands a deleted record's id to the next new one): it counts
//!   as gone from Kimai, so the entry becomes a "deleted in Kimai" conflict and nothing is ever
//!   written to that record — unless it is recognisably the same record (same project and
//!   begin as last synced) whose marker the user removed, which stays a kept edit.

use std::collections::{BTreeMap, BTreeSet};

use timebridge_kimai::Timesheet;

use super::read::ZammadRead;
use crate::sync::entries::{LegacyMarker, Marker, MarkerError};
use crate::sync::plan::{KimaiSide, Link, ParkReason, SourceKey, SourceSide};

/// What one instance's read knows about entries the builder did not see.
pub(super) struct Known<'a> {
    /// Ticket of each link in the horizon, where known.
    pub link_tickets: &'a BTreeMap<SourceKey, i64>,
    /// Ticket of each parked entry, where known.
    pub parked_tickets: &'a BTreeMap<SourceKey, i64>,
    /// The instance's links.
    pub links: &'a BTreeMap<SourceKey, Link>,
    /// Every entry id the tickets read hold.
    pub present: &'a BTreeSet<i64>,
    /// This instance's Zammad read: the tickets read completely, and whether any were skipped.
    pub read: &'a ZammadRead,
    /// Tickets that no longer exist.
    pub deleted_tickets: &'a BTreeSet<i64>,
    /// Links in the horizon without a ticket, when this was a full read; else empty.
    pub ticketless: &'a [SourceKey],
    /// Of those, the ones whose timesheet this app created (see `Store::created_here`).
    pub created_here: &'a BTreeSet<SourceKey>,
}

/// Marks the entries that are provably gone. Returns the ticketless links whose entry is
/// missing but whose base cannot vouch for the timesheet (adopted from an existing Kimai
/// record, not created here): the caller plans them against an unknown base, so the user
/// decides (a conflict) instead of the planner deleting.
pub(super) fn mark_gone(
    source: &mut BTreeMap<SourceKey, SourceSide>,
    k: &Known<'_>,
) -> BTreeSet<SourceKey> {
    let known = k.link_tickets.iter().chain(
        k.parked_tickets
            .iter()
            .filter(|(key, _)| !k.links.contains_key(*key)),
    );
    for (key, ticket) in known {
        let read_completely =
            k.read.tickets.contains_key(ticket) || k.deleted_tickets.contains(ticket);
        if read_completely
            && !source.contains_key(key)
            && !k.present.contains(&key.time_accounting_id)
        {
            source.insert(key.clone(), SourceSide::Gone);
        }
    }
    let mut doubtful = BTreeSet::new();
    if k.read.skipped_any {
        return doubtful;
    }
    // A full read found every ticket updated since the horizon began; an entry booked in the
    // horizon moved its ticket's `updated_at` into it. A link whose timesheet begins in the
    // horizon but whose entry is in no ticket read is therefore gone — provided the timesheet
    // was placed from the entry (created here, or rebuilt: then the base is unknown anyway).
    // A timesheet adopted from Kimai may have been moved by the user from an older month.
    for key in k.ticketless {
        let Some(link) = k.links.get(key) else {
            continue;
        };
        if link.timesheet_id.is_none()
            || source.contains_key(key)
            || k.present.contains(&key.time_accounting_id)
        {
            continue;
        }
        source.insert(key.clone(), SourceSide::Gone);
        if !link.base_source.is_unknown() && !k.created_here.contains(key) {
            doubtful.insert(key.clone());
        }
    }
    doubtful
}

/// Marks as gone (for the planner) every linked timesheet that no longer carries its entry's
/// marker and is not recognisably the record last synced. Returns the entries affected.
/// `confirmed`: timesheets the user said are entries' own work (possible twins answered
/// "same"), which never carried a marker.
pub(super) fn unmarked_are_gone(
    kimai: &mut BTreeMap<i64, KimaiSide>,
    links: &BTreeMap<SourceKey, Link>,
    confirmed: &BTreeMap<SourceKey, i64>,
) -> BTreeSet<SourceKey> {
    let mut gone = BTreeSet::new();
    for (key, link) in links {
        let Some(id) = link.timesheet_id else {
            continue;
        };
        let Some(KimaiSide::Present(record)) = kimai.get(&id) else {
            continue;
        };
        let ours = Marker::scan(&record.fields.description)
            .markers
            .iter()
            .any(|m| {
                m.instance.as_str() == key.instance
                    && m.time_accounting_id == key.time_accounting_id
            })
            // A timesheet the previous web service wrote names its entry its own way.
            || LegacyMarker::parse(&record.fields.description)
                .is_some_and(|m| m.time_accounting_id == key.time_accounting_id)
            || confirmed.get(key) == Some(&id);
        let base = &link.base_kimai;
        let same_record = !base.is_unknown()
            && record.fields.project == base.project
            && record.fields.begin == base.begin;
        if !ours && !same_record {
            tracing::warn!(instance = %key.instance, entry = key.time_accounting_id, timesheet = id, "the linked timesheet no longer carries the entry's marker: treated as deleted in Kimai");
            kimai.insert(id, KimaiSide::Gone);
            gone.insert(key.clone());
        }
    }
    gone
}

/// The entries named by timesheets of `listing` that carry two or more markers.
pub(super) fn ambiguous_keys<'a>(
    listing: impl IntoIterator<Item = &'a Timesheet>,
) -> BTreeSet<SourceKey> {
    listing
        .into_iter()
        .filter_map(
            |ts| match Marker::find(ts.description.as_deref().unwrap_or_default()) {
                Err(MarkerError::Ambiguous { markers }) => Some(markers),
                _ => None,
            },
        )
        .flatten()
        .map(|m| SourceKey {
            instance: m.instance.as_str().to_string(),
            time_accounting_id: m.time_accounting_id,
        })
        .collect()
}

/// Parks the unlinked entries an ambiguous timesheet names, instead of creating them.
pub(super) fn park_ambiguous(
    source: &mut BTreeMap<SourceKey, SourceSide>,
    ambiguous: &BTreeSet<SourceKey>,
    links: &BTreeMap<SourceKey, Link>,
) {
    for key in ambiguous {
        if links.contains_key(key) {
            continue;
        }
        if let Some(side @ SourceSide::Wanted(_)) = source.get_mut(key) {
            *side = SourceSide::Parked(ParkReason::AmbiguousMarker);
        }
    }
}

//! Every entry the sync knows, in one state each, from the local state alone: linked, waiting
//! in the outbox, decided, held, in conflict, parked, answered as a possible twin, let go
//! (a tombstone), read-only or unreadable. Later sources override earlier ones. The entries
//! page and its cached order (`entries_index`) read it.

use std::collections::{BTreeMap, BTreeSet};

use timebridge_types::entries::EntryState;
use timebridge_types::ApiError;

use super::api_error;
use timebridge_core::sync::facts::{EntryFacts, Outcome};
use timebridge_core::sync::plan::{ParkReason, SourceKey, TimesheetFields};
use timebridge_core::{Store, StoreError, TwinDecision};

/// One entry as the list knows it.
#[derive(Clone, Debug)]
pub(super) struct Known {
    pub(super) state: EntryState,
    /// What Zammad wants (or Kimai holds, when Zammad's side is gone).
    pub(super) fields: Option<TimesheetFields>,
    /// Kimai's side, when known.
    pub(super) kimai: Option<TimesheetFields>,
    pub(super) timesheet_id: Option<i64>,
    pub(super) note: Option<String>,
    /// Why it is parked, as a code.
    pub(super) reason_code: Option<&'static str>,
    /// What Zammad last said about it.
    pub(super) facts: Option<EntryFacts>,
}

fn park_note(reason: &ParkReason) -> (EntryState, String) {
    match reason {
        ParkReason::NeedsMapping { detail } => (
            EntryState::NeedsMapping,
            format!("needs a mapping: {detail}"),
        ),
        ParkReason::UnappliedCorrection { secs_left, .. } => (
            EntryState::Error,
            format!("a correction found nothing to reduce ({secs_left} s left)"),
        ),
        ParkReason::AmbiguousMarker => (
            EntryState::Error,
            "two markers in one Kimai description (a copied timesheet?)".into(),
        ),
        ParkReason::Invalid { detail } => (EntryState::Error, format!("invalid: {detail}")),
        ParkReason::PossibleTwin { twin } => (
            EntryState::Error,
            format!(
                "{} in Kimai may be the same work (typed in by hand): link it, or book both",
                twin.words()
            ),
        ),
        ParkReason::UnitChanged { was, now } => (
            EntryState::Error,
            format!(
                "the helpdesk's time unit setting changed from {was:?} to {now:?}: confirm the \
                 unit before new entries are booked"
            ),
        ),
        ParkReason::Refused { refusal } => (EntryState::Refused, refusal.summary()),
    }
}

/// Sets `key`'s state (and its fields, when given), creating the entry if new.
fn set(
    all: &mut BTreeMap<SourceKey, Known>,
    key: SourceKey,
    state: EntryState,
    fields: Option<TimesheetFields>,
    note: Option<String>,
) {
    let entry = all.entry(key).or_insert(Known {
        state,
        fields: None,
        kimai: None,
        timesheet_id: None,
        note: None,
        reason_code: None,
        facts: None,
    });
    entry.state = state;
    if fields.is_some() {
        entry.fields = fields;
    }
    entry.note = note;
}

/// Every entry with its one state; later sources override earlier ones (a conflict beats a
/// link, a decision beats the conflict).
pub(super) fn known(store: &Store) -> Result<BTreeMap<SourceKey, Known>, ApiError> {
    let (mut all, tombstones) = linked(store).map_err(api_error)?;
    let facts = store.all_facts().map_err(api_error)?;
    waiting(store, &mut all).map_err(api_error)?;
    twin_answers(store, &tombstones, &facts, &mut all).map_err(api_error)?;
    conflicts(store, &mut all).map_err(api_error)?;
    accepted_deletions(&tombstones, &facts, &mut all);
    read_only(facts, &mut all);
    unreadable(store, &mut all).map_err(api_error)?;
    Ok(all)
}

/// Every linked entry, as synced; and the entries whose link is a tombstone (their timesheet
/// deleted on purpose), which are not listed.
fn linked(store: &Store) -> Result<(BTreeMap<SourceKey, Known>, BTreeSet<SourceKey>), StoreError> {
    let mut all: BTreeMap<SourceKey, Known> = BTreeMap::new();
    let mut tombstones = BTreeSet::new();
    for (key, link) in store.all_links()? {
        let Some(ts) = link.timesheet_id else {
            tombstones.insert(key);
            continue;
        };
        all.insert(
            key,
            Known {
                state: EntryState::Synced,
                fields: Some(link.base_source),
                kimai: Some(link.base_kimai),
                timesheet_id: Some(ts),
                note: None,
                reason_code: None,
                facts: None,
            },
        );
    }
    Ok((all, tombstones))
}

/// Entries with a write waiting in the outbox, held ones, parked ones (with their reason).
fn waiting(store: &Store, all: &mut BTreeMap<SourceKey, Known>) -> Result<(), StoreError> {
    for row in store.pending_outbox()? {
        let note = format!(
            "a {} waits for the next sync",
            super::views::name_of(&row.kind)
        );
        set(all, row.key, EntryState::Pending, row.payload, Some(note));
    }
    for held in store.held()? {
        let note = "left alone (held or ignored) until released".to_string();
        set(all, held.key, EntryState::Held, None, Some(note));
    }
    for p in store.parked()? {
        let (state, note) = park_note(&p.reason);
        // A refused entry knows the write Kimai turned down: its day, duration and project.
        let fields = match &p.reason {
            ParkReason::Refused { refusal } => Some(refusal.write.clone()),
            _ => None,
        };
        let key = p.key.clone();
        set(all, p.key, state, fields, Some(note));
        if let Some(k) = all.get_mut(&key) {
            k.reason_code = Some(p.reason.code());
        }
    }
    Ok(())
}

/// Whether Zammad still has `key` (its facts are kept) with time to book.
fn has_time_to_book(facts: &BTreeMap<SourceKey, EntryFacts>, key: &SourceKey) -> bool {
    facts.get(key).is_some_and(|f| f.outcome != Outcome::Gone)
}

/// Entries the user answered as possible twins, not yet linked or booked: the answer and what
/// the next sync does with it. Without this they would read "the next sync books it" after a
/// "same work" answer. Answers are kept for good, so only an entry Zammad still has (its facts
/// are kept, with time to book) and with no link at all (not even a tombstone) is shown this
/// way; an entry known otherwise (linked, waiting, parked again) keeps that state.
fn twin_answers(
    store: &Store,
    tombstones: &BTreeSet<SourceKey>,
    facts: &BTreeMap<SourceKey, EntryFacts>,
    all: &mut BTreeMap<SourceKey, Known>,
) -> Result<(), StoreError> {
    for (key, (timesheet, decision)) in store.twin_decisions()? {
        if all.contains_key(&key) || tombstones.contains(&key) || !has_time_to_book(facts, &key) {
            continue;
        }
        let note = match decision {
            TwinDecision::Same => format!(
                "you said it is the same work as timesheet {timesheet}: the next sync links \
                 them, unless that timesheet is gone from Kimai or linked to another entry by \
                 then (then it books this one)"
            ),
            TwinDecision::Different => format!(
                "you said it is different work from timesheet {timesheet}: the next sync books \
                 it"
            ),
        };
        set(all, key, EntryState::Pending, None, Some(note));
    }
    Ok(())
}

/// Open conflicts, or the decision stored for one (applied at the next sync).
fn conflicts(store: &Store, all: &mut BTreeMap<SourceKey, Known>) -> Result<(), StoreError> {
    let resolutions = store.resolutions()?;
    for c in store.conflicts()? {
        let r = c.record;
        let fields = r
            .source
            .clone()
            .or_else(|| r.kimai.clone())
            .or(r.base.clone());
        let (state, note) = match resolutions.get(&r.key) {
            Some(d) => (
                EntryState::Pending,
                format!(
                    "decided ({}); applied at the next sync",
                    super::views::name_of(d)
                ),
            ),
            None => (
                EntryState::Conflict,
                timebridge_core::ops::decisions::reason(r.kind).to_string(),
            ),
        };
        let key = r.key.clone();
        set(all, key.clone(), state, fields, Some(note));
        if let Some(k) = all.get_mut(&key) {
            if r.kimai.is_some() {
                k.kimai = r.kimai;
            }
            if r.timesheet_id.is_some() {
                k.timesheet_id = r.timesheet_id;
            }
        }
    }
    Ok(())
}

/// Entries Zammad still has whose Kimai timesheet the user let go (a tombstone): never booked
/// again, so left alone, not "new" (which would promise a booking that will not come).
fn accepted_deletions(
    tombstones: &BTreeSet<SourceKey>,
    facts: &BTreeMap<SourceKey, EntryFacts>,
    all: &mut BTreeMap<SourceKey, Known>,
) {
    for key in tombstones {
        if has_time_to_book(facts, key) && !all.contains_key(key) {
            let note = "not booked: you accepted that its Kimai timesheet was deleted, so it is \
                        not booked again"
                .to_string();
            set(all, key.clone(), EntryState::Held, None, Some(note));
        }
    }
}

/// The facts of every entry read; one read but with no write or decision yet (a preview saw
/// it, or its create failed) waits for the next sync to book or park it. Netted corrections
/// have nothing to book.
fn read_only(all_facts: BTreeMap<SourceKey, EntryFacts>, all: &mut BTreeMap<SourceKey, Known>) {
    for (key, facts) in all_facts {
        match all.get_mut(&key) {
            Some(k) => k.facts = Some(facts),
            None if facts.outcome != Outcome::Gone => {
                let note = "new in Zammad; the next sync books it".to_string();
                set(all, key.clone(), EntryState::Pending, None, Some(note));
                if let Some(k) = all.get_mut(&key) {
                    k.facts = Some(facts);
                }
            }
            None => {}
        }
    }
}

/// Synced entries Zammad no longer lets the agent read.
fn unreadable(store: &Store, all: &mut BTreeMap<SourceKey, Known>) -> Result<(), StoreError> {
    for key in store.unreadable_entries()? {
        if let Some(k) = all.get_mut(&key) {
            if k.state == EntryState::Synced {
                k.state = EntryState::Unreadable;
                k.note = Some(
                    "no longer readable in Zammad (access to its ticket was removed): the \
                     timesheet is kept, but changes in Zammad no longer reach it"
                        .into(),
                );
            }
        }
    }
    Ok(())
}

//! The entries page, from the local state alone (so it works offline and stays fast): every
//! entry the sync knows — linked, waiting in the outbox, decided, held, in conflict, parked —
//! in one state each, filtered and windowed here so the webview only ever holds a page.
//!
//! Every entry a run read also has Zammad's facts (ticket, organization, booking day, exact
//! time), so a parked or refused entry that was never placed in time is still recognisable
//! and listed under its own month (the Zammad booking day's). Only an entry parked before
//! facts were kept, and not read since, has no month: it is listed under every month.

use std::collections::BTreeMap;

use timebridge_types::entries::{
    EntryDetail, EntryPage, EntryQuery, EntryRow, EntryState, PlacementView, TwinAnswer,
    ZammadFactsView,
};
use timebridge_types::{ApiError, EntryKey, ErrorCode};

use super::views::{fields_view, key_view, source_key, WALL};
use super::{api_error, App, Catalog};
use timebridge_core::sync::facts::{EntryFacts, Outcome};
use timebridge_core::sync::mapping::Layout;
use timebridge_core::sync::plan::{ParkReason, SourceKey, TimesheetFields};
use timebridge_core::sync::time::{Month, RoundingMode};
use timebridge_core::{Store, StoreError};

/// The most rows one call returns.
pub const MAX_PAGE: u32 = 500;

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
    let mut all = linked(store).map_err(api_error)?;
    waiting(store, &mut all).map_err(api_error)?;
    conflicts(store, &mut all).map_err(api_error)?;
    read_only(store, &mut all).map_err(api_error)?;
    unreadable(store, &mut all).map_err(api_error)?;
    Ok(all)
}

/// Every linked entry, as synced.
fn linked(store: &Store) -> Result<BTreeMap<SourceKey, Known>, StoreError> {
    let mut all: BTreeMap<SourceKey, Known> = BTreeMap::new();
    for (key, link) in store.all_links()? {
        let Some(ts) = link.timesheet_id else {
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
    Ok(all)
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

/// The facts of every entry read; one read but with no write or decision yet (a preview saw
/// it, or its create failed) waits for the next sync to book or park it. Netted corrections
/// have nothing to book.
fn read_only(store: &Store, all: &mut BTreeMap<SourceKey, Known>) -> Result<(), StoreError> {
    for (key, facts) in store.all_facts()? {
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
    Ok(())
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

/// The entry's month: its timesheet's, else its Zammad booking day's.
fn month_of(k: &Known) -> Option<Month> {
    k.fields
        .as_ref()
        .map(TimesheetFields::month)
        .or_else(|| k.facts.as_ref().map(EntryFacts::month))
}

fn facts_view(f: &EntryFacts) -> ZammadFactsView {
    ZammadFactsView {
        ticket_id: f.ticket_id,
        ticket: f.ticket_label(),
        organization: f.organization.clone(),
        day: f.day.to_string(),
        booked_at: super::views::rfc3339(f.booked_at),
        time_unit: f.time_unit.normalize().to_string(),
        millis: f.zammad_millis,
        booked_seconds: match f.outcome {
            Outcome::Wanted { seconds, .. } => Some(seconds),
            _ => None,
        },
    }
}

/// Whether entry `key` passes the filters of `q`; `month` is `q.month`, checked.
fn matches(
    q: &EntryQuery,
    month: Option<Month>,
    (key, k): (&SourceKey, &Known),
    names: &Catalog,
) -> bool {
    if q.instance.as_ref().is_some_and(|i| *i != key.instance) {
        return false;
    }
    if q.state.is_some_and(|s| s != k.state) {
        return false;
    }
    if let Some(month) = month {
        if month_of(k).is_some_and(|m| m != month) {
            return false;
        }
    }
    if let Some(customer) = q.customer {
        let of = k.fields.as_ref().and_then(|f| names.customer_of(f.project));
        if of != Some(customer) {
            return false;
        }
    }
    true
}

fn row(key: &SourceKey, k: &Known, names: &Catalog) -> EntryRow {
    let f = k.fields.as_ref();
    EntryRow {
        key: key_view(key),
        state: k.state,
        begin: f.map(|f| f.begin.format(WALL).to_string()),
        duration_seconds: f.map(|f| (f.end - f.begin).num_seconds()),
        customer: f
            .and_then(|f| names.customer_of(f.project))
            .map(|c| names.customer(c).name),
        project: f.map(|f| names.project(f.project).name),
        description: f
            .map(|f| f.description.lines().next().unwrap_or_default().to_string())
            .or_else(|| k.facts.as_ref().map(EntryFacts::ticket_label))
            .unwrap_or_default(),
        timesheet_id: k.timesheet_id,
        note: k.note.clone(),
        zammad: k.facts.as_ref().map(facts_view),
    }
}

fn rounding_words(r: &timebridge_core::sync::time::RoundingRule) -> String {
    if r.step_minutes == 0 && r.minimum_minutes == 0 {
        return "none".into();
    }
    let mode = match r.mode {
        RoundingMode::Nearest => "to the nearest",
        RoundingMode::Up => "up to",
        RoundingMode::Down => "down to",
    };
    let mut words = format!("{mode} {} minutes", r.step_minutes);
    if r.minimum_minutes > 0 {
        words.push_str(&format!(", at least {} minutes", r.minimum_minutes));
    }
    words
}

impl App {
    /// A window of the filtered list, newest first (unplaced entries first of all), with the
    /// total count for the scrollbar.
    pub fn list_entries(&self, q: &EntryQuery) -> Result<EntryPage, ApiError> {
        let month = q
            .month
            .as_deref()
            .map(|m| {
                m.parse::<Month>().map_err(|e| {
                    ApiError::new(ErrorCode::Validation, format!("{m:?} is not a month: {e}"))
                })
            })
            .transpose()?;
        let names = self.names();
        let sorted = self.entry_index.get(self.store())?;
        let mut total = 0u32;
        let mut rows = Vec::new();
        let limit = q.limit.min(MAX_PAGE) as usize;
        for (key, k) in sorted
            .iter()
            .filter(|(key, k)| matches(q, month, (key, k), &names))
        {
            if total >= q.offset && rows.len() < limit {
                rows.push(row(key, k, &names));
            }
            total += 1;
        }
        Ok(EntryPage {
            rows,
            offset: q.offset,
            total,
        })
    }

    /// Sends an entry Kimai refused again at the next sync (after the user fixed the cause).
    /// `false` when it was not refused. Works offline.
    pub fn retry_entry(&self, key: &EntryKey) -> Result<bool, ApiError> {
        self.workspace()
            .retry_refused(&source_key(key))
            .map_err(api_error)
    }

    /// The user's word on an entry waiting as a possible twin. `false` when it was not waiting
    /// as one. Works offline.
    pub fn decide_twin(&self, answer: &TwinAnswer) -> Result<bool, ApiError> {
        self.workspace()
            .decide_twin(&source_key(&answer.key), answer.same)
            .map(|t| t.is_some())
            .map_err(api_error)
    }

    /// One entry from both sides, with how it was placed and rounded.
    pub fn entry_detail(&self, key: &EntryKey) -> Result<EntryDetail, ApiError> {
        let names = self.names();
        let store = self.store();
        let sk = source_key(key);
        let sorted = self.entry_index.get(store)?;
        let k = sorted
            .iter()
            .find(|(key, _)| *key == sk)
            .map(|(_, k)| k)
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("{} is not known", key.label()))
            })?;
        let settings = timebridge_core::sync::entries::InstanceKey::new(&key.instance)
            .ok()
            .and_then(|ik| store.instance(&ik).ok().flatten())
            .map(|i| i.settings);
        let exact = k
            .facts
            .as_ref()
            .and_then(|f| f.zammad_millis)
            .map(|ms| (ms + 500).div_euclid(1000));
        let placement = match (&k.fields, &settings) {
            (Some(f), Some(s)) => Some(PlacementView {
                before_seconds: exact,
                after_seconds: (f.end - f.begin).num_seconds(),
                rounding: rounding_words(&s.rounding),
                layout: match s.layout {
                    Layout::EndAtBooking => "ends when it was booked in Zammad".into(),
                    Layout::NoOverlaps => {
                        "laid out back to back with the day's other entries".into()
                    }
                },
            }),
            _ => None,
        };
        Ok(EntryDetail {
            key: key.clone(),
            state: k.state,
            ticket_id: k.facts.as_ref().map(|f| f.ticket_id),
            zammad: k.fields.as_ref().map(|f| fields_view(f, &names)),
            kimai: k.kimai.as_ref().map(|f| fields_view(f, &names)),
            timesheet_id: k.timesheet_id,
            placement,
            note: k.note.clone(),
            facts: k.facts.as_ref().map(facts_view),
            reason_code: (k.state != EntryState::Conflict)
                .then_some(k.reason_code)
                .flatten()
                .map(str::to_string),
        })
    }
}

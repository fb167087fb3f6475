//! The entries page, from the local state alone (so it works offline and stays fast): every
//! entry the sync knows — linked, waiting in the outbox, decided, held, in conflict, parked —
//! in one state each, filtered and windowed here so the webview only ever holds a page.
//!
//! Every entry a run read also has Zammad's facts (ticket, organization, booking day, exact
//! time), so a parked or refused entry that was never placed in time is still recognisable
//! and listed under its own month (the Zammad booking day's). Only an entry parked before
//! facts were kept, and not read since, has no month: it is listed under every month.

use timebridge_types::entries::{
    EntryDetail, EntryPage, EntryQuery, EntryRow, EntryState, PlacementView, TwinAnswer,
    ZammadFactsView,
};
use timebridge_types::{ApiError, EntryKey, ErrorCode};

use super::known::Known;
use super::views::{fields_view, key_view, source_key, WALL};
use super::{api_error, App, Catalog};
use timebridge_core::sync::facts::{EntryFacts, Outcome};
use timebridge_core::sync::mapping::Layout;
use timebridge_core::sync::plan::{SourceKey, TimesheetFields};
use timebridge_core::sync::time::{Month, RoundingMode};

/// The most rows one call returns.
pub const MAX_PAGE: u32 = 500;

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
            .and_then(|ik| self.workspace().helpdesk(&ik).ok())
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

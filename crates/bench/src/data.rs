//! The generated data set: a consultant's Zammad history and an empty Kimai, deterministic so
//! two runs measure the same thing.
//!
//! The sync horizon is this and last month, so "10,000 entries over 3 months" is laid out as
//! the 10,000 mapped entries in the horizon (1 October – 27 November 2026, working days) plus a
//! third, older month (September) of entries on the same tickets: read with their tickets,
//! never synced. Colleagues' entries on the same tickets are read and ignored, and a few
//! tickets belong to an unmapped organization (their entries are parked, not created).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rust_decimal::Decimal;

/// The instant the whole benchmark stands at (Friday, 17:00 UTC; Berlin is the billing zone).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 17, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The size of the data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataSpec {
    /// The consultant's entries in the horizon on mapped tickets (each becomes a timesheet).
    pub entries: usize,
    /// Tickets of mapped organizations.
    pub tickets: usize,
    /// Tickets of the unmapped organization.
    pub unmapped_tickets: usize,
    /// The consultant's entries in the horizon on unmapped tickets (parked).
    pub unmapped_entries: usize,
    /// Colleagues' entries in the horizon (ignored).
    pub other_entries: usize,
    /// The consultant's entries in the month before the horizon (left alone).
    pub old_entries: usize,
}

impl DataSpec {
    /// `entries` synced entries on `tickets` tickets; the rest in proportion (2 % unmapped
    /// tickets and entries, 10 % colleagues' entries, 10 % older entries).
    pub fn scaled(entries: usize, tickets: usize) -> Self {
        Self {
            entries,
            tickets,
            unmapped_tickets: (tickets / 50).max(1),
            unmapped_entries: (entries / 50).max(1),
            other_entries: entries / 10,
            old_entries: entries / 10,
        }
    }

    /// The data set the budgets are set for: 10,000 entries on 2,000 tickets.
    pub fn full() -> Self {
        Self::scaled(10_000, 2_000)
    }

    /// Every ticket id, mapped ones first.
    pub fn all_tickets(&self) -> std::ops::RangeInclusive<i64> {
        1..=(self.tickets + self.unmapped_tickets) as i64
    }
}

/// Mapped organizations 1..=4 (→ Kimai projects 1..=4); this one is not mapped.
pub const UNMAPPED_ORG: i64 = 5;
/// The consultant's Zammad user id.
pub const CONSULTANT: i64 = 2;
/// A colleague's Zammad user id.
pub const COLLEAGUE: i64 = 3;

/// One generated time accounting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenEntry {
    /// Its id.
    pub id: i64,
    /// Its ticket.
    pub ticket: i64,
    /// Minutes.
    pub minutes: Decimal,
    /// Accounting type 1 or 2.
    pub type_id: i64,
    /// Who booked it.
    pub by: i64,
    /// When.
    pub at: DateTime<Utc>,
}

/// The organization of mapped ticket `t`: 1..=4 round robin.
pub fn org_of(spec: &DataSpec, ticket: i64) -> i64 {
    if ticket as usize > spec.tickets {
        UNMAPPED_ORG
    } else {
        1 + ticket % 4
    }
}

fn working_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

/// `n` instants spread evenly over the working hours (07:00–16:00 UTC) of `days`.
fn spread(n: usize, days: &[NaiveDate]) -> Vec<DateTime<Utc>> {
    let slots = (days.len() * 9 * 60).max(1) as i64;
    (0..n as i64)
        .map(|i| {
            let slot = i * slots / n.max(1) as i64;
            let day = days[(slot / (9 * 60)) as usize];
            let minute = slot % (9 * 60);
            Utc.from_utc_datetime(&day.and_hms_opt(7, 0, 0).unwrap_or_default())
                + Duration::minutes(minute)
        })
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Every entry of the data set, by id (ids ascend with time within each group).
pub fn entries(spec: &DataSpec) -> Vec<GenEntry> {
    let horizon = working_days(date(2026, 10, 1), date(2026, 11, 27));
    let old = working_days(date(2026, 9, 1), date(2026, 9, 30));
    let mut out = Vec::new();
    let mut push = |ticket: i64, by: i64, at: DateTime<Utc>| {
        let i = out.len() as i64;
        out.push(GenEntry {
            id: i + 1,
            ticket,
            minutes: Decimal::from(5 + (i * 37) % 116),
            type_id: 1 + i % 2,
            by,
            at,
        });
    };
    let mapped = spec.tickets.max(1) as i64;
    let unmapped = spec.unmapped_tickets.max(1) as i64;
    for (i, at) in spread(spec.old_entries, &old).into_iter().enumerate() {
        push(1 + i as i64 % mapped, CONSULTANT, at);
    }
    for (i, at) in spread(spec.entries, &horizon).into_iter().enumerate() {
        push(1 + i as i64 % mapped, CONSULTANT, at);
    }
    for (i, at) in spread(spec.unmapped_entries, &horizon)
        .into_iter()
        .enumerate()
    {
        push(mapped + 1 + i as i64 % unmapped, CONSULTANT, at);
    }
    for (i, at) in spread(spec.other_entries, &horizon).into_iter().enumerate() {
        push(1 + (i as i64 * 7) % mapped, COLLEAGUE, at);
    }
    out
}

/// What scenario (c) changes in Zammad: 1 % of the synced entries, half edited (existing
/// entry ids, new minutes), half added (tickets to book on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes {
    /// Entries whose minutes change.
    pub edited: Vec<(i64, Decimal)>,
    /// Tickets that get one new entry each.
    pub added_on: Vec<i64>,
}

impl Changes {
    /// Distinct tickets the changes touch (each must be read again).
    pub fn tickets(&self, all: &[GenEntry]) -> std::collections::BTreeSet<i64> {
        let by_id: std::collections::BTreeMap<i64, i64> =
            all.iter().map(|e| (e.id, e.ticket)).collect();
        self.edited
            .iter()
            .filter_map(|(id, _)| by_id.get(id).copied())
            .chain(self.added_on.iter().copied())
            .collect()
    }
}

/// The 1 % change set of scenario (c), from the consultant's synced entries.
pub fn changes(spec: &DataSpec, all: &[GenEntry]) -> Changes {
    let synced: Vec<&GenEntry> = all
        .iter()
        .filter(|e| e.by == CONSULTANT && e.ticket as usize <= spec.tickets)
        .filter(|e| e.at.date_naive() >= date(2026, 10, 1))
        .collect();
    let total = (spec.entries / 100).max(2);
    let edits = total / 2;
    let step = (synced.len() / edits.max(1)).max(1);
    let edited = synced
        .iter()
        .step_by(step)
        .take(edits)
        .map(|e| (e.id, e.minutes + Decimal::from(7)))
        .collect();
    let mapped = spec.tickets.max(1) as i64;
    let added_on = (0..(total - edits) as i64)
        .map(|k| 1 + (k * 41 + 13) % mapped)
        .collect();
    Changes { edited, added_on }
}

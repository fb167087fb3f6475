//! Where every second of Zammad's time went, for a month: per customer and project (and one
//! row for entries without a mapping),
//!
//! Zammad = booked in Kimai + changed in Kimai + waiting to be sent + not in this month's Kimai
//!          + refused + parked (by reason) + held + in conflict + rounding,
//!
//! to the millisecond, every part listing its entries, with Kimai-only time beside it. The
//! month is the Zammad booking day's month in the billing timezone. Each entry lands in exactly
//! one row and one state part; a booked entry also feeds "changed in Kimai" (its timesheet's
//! duration is not what Timebridge wrote), "waiting" (Zammad changed since) and "rounding"
//! (whole minutes, the instance's rounding rule, corrections netted). Pure; nothing is decided
//! here.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::input::BillingInput;
pub use super::input::LedgerInput;
use super::Sheet;
use crate::sync::facts::{EntryFacts, Outcome};
use crate::sync::plan::{ParkReason, SourceKey};

/// One part of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    /// The linked timesheets' duration in Kimai.
    Booked,
    /// What Timebridge wrote minus what Kimai holds now (edited in Kimai, or Kimai's own
    /// rounding).
    ChangedInKimai,
    /// Not in Kimai yet, or a change not sent yet: the next sync sends it.
    Waiting,
    /// Linked, but the timesheet is not among the month's (deleted, or moved to another month).
    NotInMonth,
    /// Kimai refused the write (`reason`: the refusal code).
    Refused,
    /// Parked (`reason`: `needs_mapping`, `unapplied_correction`, `ambiguous_marker`,
    /// `invalid`).
    Parked,
    /// Ignored by the user, held after an undo, or its deletion accepted.
    Held,
    /// An open conflict.
    Conflict,
    /// Zammad's exact time minus the whole minutes booked (rounding rule, whole minutes,
    /// corrections netted within the month).
    Rounding,
}

impl PartKind {
    /// Whether time in this part is missing from Kimai until the user or a sync acts.
    pub fn is_missing(self) -> bool {
        !matches!(self, Self::Booked | Self::ChangedInKimai | Self::Rounding)
    }

    /// Whether the part is an entry's state (its whole time), rather than a share of a
    /// booked entry's time (listed only where it is not zero).
    fn is_state(self) -> bool {
        matches!(
            self,
            Self::Refused | Self::Parked | Self::Held | Self::Conflict
        )
    }
}

/// One entry's share of a part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// `acme#4711`.
    pub entry: String,
    /// The same as a key.
    pub key: SourceKey,
    /// `#31010 VPN outage`.
    pub ticket: String,
    /// The Zammad booking day (billing timezone).
    pub day: NaiveDate,
    /// Its share, in milliseconds.
    pub millis: i64,
    /// Its timesheet, when linked.
    pub timesheet_id: Option<i64>,
}

/// A part of a row with its entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPart {
    /// Which part of the row's time this is (booked, waiting, parked, rounding, …).
    pub kind: PartKind,
    /// For `refused` and `parked`: the code.
    pub reason: Option<String>,
    /// The sum, in milliseconds.
    pub millis: i64,
    /// The entries that make up `millis`, each with its share; zero shares are left out,
    /// except in the refused, parked, held and conflict parts.
    pub entries: Vec<LedgerEntry>,
}

/// One customer and project of the month (`None`: no mapping).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// Kimai customer id.
    pub customer_id: Option<i64>,
    /// The customer's name in Kimai (`customer <id>` if unknown there); `None` without an id.
    pub customer: Option<String>,
    /// Kimai project id.
    pub project_id: Option<i64>,
    /// The project's name in Kimai (`project <id>` if unknown there); `None` without a mapping.
    pub project: Option<String>,
    /// Zammad's exact time of the row's entries, in milliseconds.
    pub zammad_millis: i64,
    /// The parts, which add up to `zammad_millis`.
    pub parts: Vec<LedgerPart>,
    /// Time in parts that are missing from Kimai (see [`PartKind::is_missing`]).
    pub missing_millis: i64,
    /// Timesheets of the month in the project that no entry stands for.
    pub kimai_only_millis: i64,
    /// Those timesheets.
    pub kimai_only: Vec<i64>,
}

impl LedgerRow {
    /// The sum of the parts (equals `zammad_millis`).
    pub fn parts_millis(&self) -> i64 {
        self.parts.iter().map(|p| p.millis).sum()
    }
}

impl PartKind {
    /// The part in words.
    pub fn words(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::ChangedInKimai => "changed in Kimai",
            Self::Waiting => "waiting for the next sync",
            Self::NotInMonth => "not in the month in Kimai",
            Self::Refused => "refused by Kimai",
            Self::Parked => "parked",
            Self::Held => "held or ignored",
            Self::Conflict => "in conflict",
            Self::Rounding => "rounding",
        }
    }
}

/// A signed duration to the second (`-1:02:03`), with tenths where milliseconds remain
/// (`0:00:01.8`): the ledger's parts are exact, so the text must not round them away.
pub fn clock(millis: i64) -> String {
    let sign = if millis < 0 { "-" } else { "" };
    let ms = millis.unsigned_abs();
    let secs = ms / 1000;
    let rest = ms % 1000;
    let base = format!(
        "{sign}{}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    if rest == 0 {
        base
    } else {
        format!("{base}.{}", format!("{rest:03}").trim_end_matches('0'))
    }
}

type RowKey = Option<i64>;

/// A row's parts by kind and reason.
type Parts = BTreeMap<(PartKind, Option<String>), LedgerPart>;

#[derive(Default)]
struct Builder {
    rows: BTreeMap<RowKey, (i64, Parts)>,
}

impl Builder {
    fn add(&mut self, row: RowKey, kind: PartKind, reason: Option<String>, e: LedgerEntry) {
        let (_, parts) = self.rows.entry(row).or_default();
        let part = parts
            .entry((kind, reason.clone()))
            .or_insert_with(|| LedgerPart {
                kind,
                reason,
                millis: 0,
                entries: Vec::new(),
            });
        part.millis += e.millis;
        part.entries.push(e);
    }

    fn zammad(&mut self, row: RowKey, millis: i64) {
        self.rows.entry(row).or_default().0 += millis;
    }
}

fn share(key: &SourceKey, f: &EntryFacts, millis: i64, ts: Option<i64>) -> LedgerEntry {
    LedgerEntry {
        entry: key.to_string(),
        key: key.clone(),
        ticket: f.ticket_label(),
        day: f.day,
        millis,
        timesheet_id: ts,
    }
}

/// The month's ledger, one row per project in scope (and the unmapped row): every entry's
/// Zammad time placed in parts (booked, waiting, rounding, parked, …), then the rows with
/// the Kimai-only timesheets beside them.
pub fn ledger(input: &BillingInput, l: &LedgerInput) -> Vec<LedgerRow> {
    let states = States::of(input, l);
    let mut b = Builder::default();
    for (key, f) in &l.facts {
        states.place(&mut b, key, f);
    }
    rows(b, input, l)
}

/// What the ledger looks up per entry: the month's timesheets, the entries waiting for the
/// user, and where a netted correction goes.
struct States<'a> {
    sheets: BTreeMap<i64, &'a Sheet>,
    parked: BTreeMap<&'a SourceKey, &'a ParkReason>,
    /// Open conflicts, with the project of their Zammad (or last synced) version.
    conflicts: BTreeMap<&'a SourceKey, Option<i64>>,
    /// A ticket's booked row: a netted correction goes where its ticket's time is.
    ticket_rows: BTreeMap<(&'a str, i64), i64>,
    l: &'a LedgerInput,
}

impl<'a> States<'a> {
    fn of(input: &'a BillingInput, l: &'a LedgerInput) -> Self {
        let sheets = input.sheets.iter().map(|s| (s.id, s)).collect();
        let parked = input
            .local
            .parked
            .iter()
            .map(|p| (&p.key, &p.reason))
            .collect();
        let conflicts = input
            .local
            .conflicts
            .iter()
            .map(|c| {
                let project = c.source.as_ref().or(c.base.as_ref()).map(|f| f.project);
                (&c.key, project)
            })
            .collect();
        let ticket_rows = l
            .facts
            .values()
            .filter_map(|f| match f.outcome {
                Outcome::Wanted { project, .. } => {
                    Some(((f.key.instance.as_str(), f.ticket_id), project))
                }
                _ => None,
            })
            .collect();
        Self {
            sheets,
            parked,
            conflicts,
            ticket_rows,
            l,
        }
    }

    /// Places one entry's Zammad time: all of it in one state part when it waits for the
    /// user (held, parked, refused, in conflict), else split into what is booked, rounded,
    /// waiting for the next sync and changed in Kimai.
    fn place(&self, b: &mut Builder, key: &SourceKey, f: &EntryFacts) {
        let raw = f.zammad_millis.unwrap_or(0);
        let link = self.l.links.get(key);
        // A link adopted or rebuilt from Kimai has no known base: no project from it.
        let linked_project = link
            .filter(|l| !l.base_source.is_unknown())
            .and_then(|l| l.timesheet_id.map(|_| l.base_source.project));
        let mut put = |row: RowKey, kind, reason, ts| {
            b.zammad(row, raw);
            b.add(row, kind, reason, share(key, f, raw, ts));
        };
        if self.l.held.contains(key) || link.is_some_and(|l| l.timesheet_id.is_none()) {
            let wanted_project = match f.outcome {
                Outcome::Wanted { project, .. } => Some(project),
                _ => None,
            };
            put(
                linked_project.or(wanted_project),
                PartKind::Held,
                None,
                None,
            );
            return;
        }
        if let Some(reason) = self.parked.get(key) {
            let (row, kind) = match reason {
                ParkReason::Refused { refusal } => (Some(refusal.write.project), PartKind::Refused),
                _ => (linked_project, PartKind::Parked),
            };
            put(row, kind, Some(reason.code().to_string()), None);
            return;
        }
        if let Some(project) = self.conflicts.get(key) {
            let ts = link.and_then(|l| l.timesheet_id);
            put(project.or(linked_project), PartKind::Conflict, None, ts);
            return;
        }
        match f.outcome {
            // The next sync parks it or books it (a preview saw it first).
            Outcome::Parked => put(linked_project, PartKind::Waiting, None, None),
            // Netted against other entries of its ticket, or rounded to nothing: all of it is
            // the row's rounding (where the netted entry's booked time is).
            Outcome::Gone => {
                let row = self
                    .ticket_rows
                    .get(&(key.instance.as_str(), f.ticket_id))
                    .copied()
                    .or(linked_project);
                put(row, PartKind::Rounding, None, None)
            }
            Outcome::Wanted { seconds, project } => {
                self.place_wanted(b, key, f, seconds * 1000, project);
            }
        }
    }

    /// An entry the sync books: its rounding, what waits for the next sync, and — when
    /// linked — what Kimai holds in the month and how that differs from what was written.
    fn place_wanted(
        &self,
        b: &mut Builder,
        key: &SourceKey,
        f: &EntryFacts,
        wanted: i64,
        project: i64,
    ) {
        let raw = f.zammad_millis.unwrap_or(0);
        let link = self.l.links.get(key);
        let ts = link.and_then(|l| l.timesheet_id);
        let sheet = ts.and_then(|id| self.sheets.get(&id));
        let row = sheet.map(|s| s.project).or(Some(project));
        b.zammad(row, raw);
        b.add(
            row,
            PartKind::Rounding,
            None,
            share(key, f, raw - wanted, ts),
        );
        // What Timebridge last wrote (nothing yet without a link): Zammad's change since
        // waits for the next sync; the written time is in Kimai, or not in this month.
        let written = link.map_or(0, |l| {
            (l.base_source.end - l.base_source.begin).num_seconds() * 1000
        });
        b.add(
            row,
            PartKind::Waiting,
            None,
            share(key, f, wanted - written, ts),
        );
        match (link, sheet) {
            (Some(_), Some(sheet)) => {
                let held = sheet.seconds * 1000;
                b.add(row, PartKind::Booked, None, share(key, f, held, ts));
                let changed = share(key, f, written - held, ts);
                b.add(row, PartKind::ChangedInKimai, None, changed);
            }
            (Some(_), None) => {
                b.add(row, PartKind::NotInMonth, None, share(key, f, written, ts));
            }
            (None, _) => {}
        }
    }
}

/// The rows in scope, each with its parts (empty ones dropped) and the month's timesheets no
/// entry stands for.
fn rows(mut b: Builder, input: &BillingInput, l: &LedgerInput) -> Vec<LedgerRow> {
    let cat = &input.catalog;
    let mut kimai_only: BTreeMap<RowKey, Vec<&Sheet>> = BTreeMap::new();
    for s in input
        .sheets
        .iter()
        .filter(|s| !l.linked_timesheets.contains(&s.id))
    {
        kimai_only.entry(Some(s.project)).or_default().push(s);
    }
    let keys: BTreeSet<RowKey> = b.rows.keys().chain(kimai_only.keys()).copied().collect();
    keys.into_iter()
        .filter_map(|row| {
            let customer_id = row.and_then(|p| cat.customer_of(p));
            if row.is_some() && !input.in_scope(customer_id) {
                return None;
            }
            let (zammad_millis, parts) = b.rows.remove(&row).unwrap_or_default();
            let parts: Vec<LedgerPart> = parts
                .into_values()
                .filter_map(|mut p| {
                    let state = p.kind.is_state();
                    p.entries.retain(|e| e.millis != 0 || state);
                    (!p.entries.is_empty()).then_some(p)
                })
                .collect();
            let only = kimai_only.remove(&row).unwrap_or_default();
            Some(LedgerRow {
                customer_id,
                customer: customer_id.map(|c| cat.customer_name(c)),
                project_id: row,
                project: row.map(|p| {
                    cat.projects
                        .get(&p)
                        .map_or_else(|| format!("project {p}"), |(n, _)| n.clone())
                }),
                zammad_millis,
                missing_millis: parts
                    .iter()
                    .filter(|p| p.kind.is_missing())
                    .map(|p| p.millis)
                    .sum(),
                parts,
                kimai_only_millis: only.iter().map(|s| s.seconds * 1000).sum(),
                kimai_only: only.iter().map(|s| s.id).collect(),
            })
        })
        .collect()
}

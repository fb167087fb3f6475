//! Possible twins: a timesheet typed into Kimai by hand for work Timebridge is about to book.
//!
//! Before an entry is created, the consultant's timesheets that carry no origin marker are
//! searched for one that probably records the same work: the same local day, the same project
//! (or at least its customer), a duration within [`tolerance_secs`], and the ticket number or
//! title in its description — all four, so a coincidence of day and length alone is never
//! offered. A match is never linked on its own: the
//! entry waits ("possible twin", with the evidence) until the user says "the same work" (link)
//! or "different work" (book both). Pure; each timesheet is offered for one entry at most.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::plan::{SourceKey, TimesheetFields};

/// Why a timesheet looks like an entry's twin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// Both are on this local day.
    SameDay,
    /// Both are on this project.
    SameProject,
    /// The timesheet's project belongs to the entry's customer.
    SameCustomer,
    /// The durations, in seconds.
    Duration {
        /// The entry's.
        entry: i64,
        /// The timesheet's.
        timesheet: i64,
    },
    /// The description names the ticket number.
    TicketNumber,
    /// The description contains the ticket title.
    Title,
}

impl Evidence {
    /// In words: "same day", "60 vs 55 min", "names the ticket number", ….
    pub fn words(&self) -> String {
        match self {
            Self::SameDay => "same day".into(),
            Self::SameProject => "same project".into(),
            Self::SameCustomer => "same customer".into(),
            Self::Duration { entry, timesheet } => {
                format!("{} vs {} min", entry / 60, timesheet / 60)
            }
            Self::TicketNumber => "names the ticket number".into(),
            Self::Title => "contains the ticket title".into(),
        }
    }
}

impl Twin {
    /// "timesheet 17 (same day, same project, 60 vs 60 min, contains the ticket title)".
    pub fn words(&self) -> String {
        let why: Vec<String> = self.evidence.iter().map(Evidence::words).collect();
        format!("timesheet {} ({})", self.timesheet_id, why.join(", "))
    }
}

/// A timesheet that may be an entry's twin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Twin {
    /// The hand-made Kimai timesheet that looks like the same work.
    pub timesheet_id: i64,
    /// Why.
    pub evidence: Vec<Evidence>,
}

/// An entry about to be created: what Zammad wants and what names its ticket.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    /// The entry.
    pub key: &'a SourceKey,
    /// Its timesheet as it would be created.
    pub fields: &'a TimesheetFields,
    /// The number of its ticket (a hand-made timesheet often names it).
    pub ticket_number: &'a str,
    /// The title of its ticket (a hand-made timesheet often quotes it).
    pub ticket_title: &'a str,
}

/// How far two durations may differ and still be the same work: 5 minutes, or a quarter of the
/// entry's duration when that is more.
pub fn tolerance_secs(entry_secs: i64) -> i64 {
    (entry_secs / 4).max(300)
}

fn secs(f: &TimesheetFields) -> i64 {
    (f.end - f.begin).num_seconds()
}

/// The evidence that `sheet` is `entry`'s twin, when it is one.
fn evidence(
    entry: &NewEntry<'_>,
    sheet: &TimesheetFields,
    customer_of: &impl Fn(i64) -> Option<i64>,
) -> Option<Vec<Evidence>> {
    if entry.fields.begin.date() != sheet.begin.date() {
        return None;
    }
    let mut out = vec![Evidence::SameDay];
    if sheet.project == entry.fields.project {
        out.push(Evidence::SameProject);
    } else if customer_of(sheet.project).is_some()
        && customer_of(sheet.project) == customer_of(entry.fields.project)
    {
        out.push(Evidence::SameCustomer);
    } else {
        return None;
    }
    let (a, b) = (secs(entry.fields), secs(sheet));
    if (a - b).abs() > tolerance_secs(a) {
        return None;
    }
    out.push(Evidence::Duration {
        entry: a,
        timesheet: b,
    });
    let text = sheet.description.to_lowercase();
    let number = entry.ticket_number.trim();
    if !number.is_empty() && text.contains(&number.to_lowercase()) {
        out.push(Evidence::TicketNumber);
    }
    let title = entry.ticket_title.trim().to_lowercase();
    if title.chars().count() >= 4 && text.contains(&title) {
        out.push(Evidence::Title);
    }
    let named = out
        .iter()
        .any(|e| matches!(e, Evidence::TicketNumber | Evidence::Title));
    named.then_some(out)
}

/// The strength of a match, for choosing between candidates.
fn score(evidence: &[Evidence]) -> (usize, i64) {
    let strong = evidence
        .iter()
        .filter(|e| {
            matches!(
                e,
                Evidence::SameProject | Evidence::TicketNumber | Evidence::Title
            )
        })
        .count();
    let closeness = evidence
        .iter()
        .find_map(|e| match e {
            Evidence::Duration { entry, timesheet } => Some(-(entry - timesheet).abs()),
            _ => None,
        })
        .unwrap_or(i64::MIN);
    (strong, closeness)
}

/// For each new entry, its most probable twin among `unmarked` timesheets (by id): the
/// strongest pairs are matched first, and no timesheet is offered twice. `customer_of` names a
/// project's customer.
pub fn find_twins(
    entries: &[NewEntry<'_>],
    unmarked: &BTreeMap<i64, TimesheetFields>,
    customer_of: impl Fn(i64) -> Option<i64>,
) -> BTreeMap<SourceKey, Twin> {
    let mut pairs: Vec<(&SourceKey, i64, Vec<Evidence>)> = Vec::new();
    for entry in entries {
        for (id, sheet) in unmarked {
            if let Some(ev) = evidence(entry, sheet, &customer_of) {
                pairs.push((entry.key, *id, ev));
            }
        }
    }
    pairs.sort_by(|(ka, ia, ea), (kb, ib, eb)| {
        score(eb)
            .cmp(&score(ea))
            .then_with(|| ka.cmp(kb))
            .then_with(|| ia.cmp(ib))
    });
    let mut taken: BTreeSet<i64> = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (key, id, evidence) in pairs {
        if out.contains_key(key) || taken.contains(&id) {
            continue;
        }
        taken.insert(id);
        out.insert(
            key.clone(),
            Twin {
                timesheet_id: id,
                evidence,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests;

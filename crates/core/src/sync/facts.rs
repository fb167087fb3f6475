//! What Zammad says about each of the agent's entries, kept whatever the sync did with it.
//!
//! A parked, refused or held entry has no timesheet, and an entry's exact time is lost once it
//! is rounded to whole minutes. Without these facts the user could not recognise the work
//! ("#4711 VPN outage, Acme, 3 March, 25.5 min") and the month's reconciliation could not say
//! where each of Zammad's seconds went. They are collected from the same read the planner
//! uses, so they never disagree with it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::desired::InstanceRead;
use super::entries::select_own;
use super::plan::{SourceKey, SourceSide};
use super::time::Month;

/// What the sync made of an entry in the run that read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// To be booked with this many whole seconds (after netting, the instance's rounding
    /// rule and whole minutes).
    Wanted {
        /// The timesheet's duration.
        seconds: i64,
        /// The Kimai project it goes to.
        project: i64,
    },
    /// Parked (its reason is stored with the parked entry).
    Parked,
    /// Nothing to book: a zero entry, a correction netted against earlier time, or time the
    /// rounding rule took to nothing.
    Gone,
}

impl Outcome {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wanted { .. } => "wanted",
            Self::Parked => "parked",
            Self::Gone => "gone",
        }
    }
}

/// One of the agent's entries as Zammad last showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFacts {
    /// The entry.
    pub key: SourceKey,
    /// Its ticket (Zammad's internal id).
    pub ticket_id: i64,
    /// The ticket number as Zammad shows it.
    pub ticket_number: String,
    /// The ticket's title when the entry was last read (shown beside the entry).
    pub ticket_title: String,
    /// The ticket's organization, if any.
    pub organization: Option<String>,
    /// When it was booked in Zammad.
    pub booked_at: DateTime<Utc>,
    /// The day it was booked, in the billing timezone: its month is the entry's month.
    pub day: NaiveDate,
    /// The amount as Zammad gave it, in the instance's unit.
    pub time_unit: Decimal,
    /// Zammad's exact time in milliseconds (signed: corrections are negative); `None` when
    /// the instance's unit cannot convert it (the entry is then parked as invalid).
    pub zammad_millis: Option<i64>,
    /// What the sync made of it.
    pub outcome: Outcome,
}

impl EntryFacts {
    /// The entry's month (billing timezone).
    pub fn month(&self) -> Month {
        Month::of(self.day)
    }

    /// `#4711 VPN outage` — the ticket as the user knows it.
    pub fn ticket_label(&self) -> String {
        format!("#{} {}", self.ticket_number, self.ticket_title)
    }
}

/// The facts of every own entry `source` decided something about (unread ones have none).
pub fn collect(
    read: &InstanceRead<'_>,
    source: &BTreeMap<SourceKey, SourceSide>,
) -> Vec<EntryFacts> {
    select_own(read.entries, read.user_id)
        .into_iter()
        .filter_map(|e| {
            let ticket = read.tickets.get(&e.ticket_id)?;
            let key = SourceKey {
                instance: read.instance.as_str().to_string(),
                time_accounting_id: e.id,
            };
            let outcome = match source.get(&key)? {
                SourceSide::Wanted(d) => Outcome::Wanted {
                    seconds: (d.fields.end - d.fields.begin).num_seconds(),
                    project: d.fields.project,
                },
                SourceSide::Parked(_) => Outcome::Parked,
                SourceSide::Gone => Outcome::Gone,
                SourceSide::Unread => return None,
            };
            Some(EntryFacts {
                key,
                ticket_id: e.ticket_id,
                ticket_number: ticket.facts.number.clone(),
                ticket_title: ticket.facts.title.clone(),
                organization: ticket.facts.organization.clone(),
                booked_at: e.created_at,
                day: e.created_at.with_timezone(&read.tz).date_naive(),
                time_unit: e.time_unit,
                zammad_millis: read.settings.time_unit.duration_millis(e.time_unit).ok(),
                outcome,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

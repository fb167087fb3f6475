//! Whose entries count: only those the connected Zammad user booked.
//!
//! A consultant bills their own time. Colleagues (or the customer's own agents) account time on
//! the same tickets, and the ticket's entry list returns theirs too; booking those into the
//! consultant's Kimai would bill someone else's work. Zammad sets `created_by_id` to the caller
//! (or the `From` user), so it is the one reliable owner field.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One Zammad time accounting as read from the API (the fields the sync uses; unknown JSON
/// fields are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// The time-accounting id (unique within one Zammad instance).
    pub id: i64,
    /// The ticket it was accounted on.
    pub ticket_id: i64,
    /// The accounting type, if any.
    pub type_id: Option<i64>,
    /// The Zammad user who booked it.
    pub created_by_id: i64,
    /// When it was booked (Zammad's only time information).
    pub created_at: DateTime<Utc>,
    /// The amount in the instance's unit; may be zero or negative (corrections).
    /// REST sends it as a decimal string such as `"15.0"`.
    pub time_unit: Decimal,
}

/// The entries booked by `user_id`, in input order. Others' entries are ignored.
///
/// An entry read twice (overlapping pages) appears once: later copies with the same id *and*
/// identical content are dropped. Two different entries with one id are both kept, so the
/// caller sees the inconsistency instead of a silent choice.
pub fn select_own(entries: &[SourceEntry], user_id: i64) -> Vec<&SourceEntry> {
    let mut seen: HashMap<i64, Vec<&SourceEntry>> = HashMap::new();
    let mut own = Vec::new();
    for entry in entries.iter().filter(|e| e.created_by_id == user_id) {
        let same_id = seen.entry(entry.id).or_default();
        if !same_id.contains(&entry) {
            same_id.push(entry);
            own.push(entry);
        }
    }
    own
}

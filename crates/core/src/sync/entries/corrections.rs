//! Netting Zammad's zero and negative entries against earlier positive ones.
//!
//! Agents cannot edit or delete time accountings in Zammad; they correct a booking by adding a
//! zero or negative entry. Kimai has no negative timesheets, so the sync nets them out.
//! The rule (documented for users in docs/sync-model.md):
//!
//! 1. Entries are grouped by **ticket, type and month** (`month` as given by the caller, i.e.
//!    the entry's month in the billing timezone). Nothing ever crosses a group.
//! 2. A **zero** entry produces no timesheet (`ignored_zero`).
//! 3. Within a group, in booking order (`created_at`, then id), a **negative** entry reduces the
//!    most recent *earlier* positive entry; what is left of the correction reduces the next
//!    earlier one, and so on. Positive entries booked after the correction are never touched.
//! 4. A positive entry reduced to exactly 0 produces no timesheet (`cancelled`); one reduced
//!    partly is booked with what is left (`effective`, with the reductions listed).
//! 5. What a correction cannot net (nothing earlier in its group, or not enough) is reported
//!    as `unapplied` for the user to resolve: never dropped silently, never moved elsewhere.
//!
//! Every list in the result is sorted by id, so the same entries in any order give the same
//! result.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::time::Month;

/// One of the user's entries with its amount already converted to signed seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// The Zammad time-accounting id.
    pub id: i64,
    /// The ticket it is booked on (corrections net out per ticket, type and month).
    pub ticket_id: i64,
    /// The accounting type, if any (`None` is a type of its own).
    pub type_id: Option<i64>,
    /// The entry's month (billing timezone).
    pub month: Month,
    /// When it was booked: decides "earlier".
    pub created_at: DateTime<Utc>,
    /// The amount: positive = work, zero = nothing, negative = correction.
    pub secs: i64,
}

/// A positive entry that still produces a timesheet, after corrections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effective {
    /// The positive entry's id.
    pub id: i64,
    /// Seconds to book: the original amount minus all reductions; always > 0.
    pub secs: i64,
    /// `(correction_id, seconds taken from this entry)`, in the order they were applied.
    pub reduced_by: Vec<(i64, i64)>,
}

impl Effective {
    /// The entry's amount before corrections.
    pub fn original_secs(&self) -> i64 {
        self.reduced_by
            .iter()
            .fold(self.secs, |sum, (_, taken)| sum.saturating_add(*taken))
    }
}

/// The part of a correction that found nothing to reduce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unapplied {
    /// The negative entry's id.
    pub correction_id: i64,
    /// Seconds still to subtract, as a positive number (saturates at `i64::MAX`).
    pub secs_left: i64,
}

/// The result of [`apply_corrections`]. Every input id appears in exactly one of `effective`,
/// `cancelled`, `ignored_zero` (positive and zero entries) or is a correction (negative entries,
/// which may also appear in `unapplied` and in `reduced_by`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrected {
    /// Positive entries that still produce a timesheet, by id.
    pub effective: Vec<Effective>,
    /// Positive entries reduced to exactly zero: no timesheet, by id.
    pub cancelled: Vec<i64>,
    /// Zero entries: no timesheet, by id.
    pub ignored_zero: Vec<i64>,
    /// Corrections (or their remainders) with nothing left to reduce, by correction id.
    pub unapplied: Vec<Unapplied>,
}

struct Open {
    id: i64,
    left: i128,
    reduced_by: Vec<(i64, i64)>,
}

/// Applies the correction rule (see the module documentation) to one user's entries.
pub fn apply_corrections(entries: &[Signed]) -> Corrected {
    let mut order: Vec<&Signed> = entries.iter().collect();
    order.sort_by_key(|e| (e.created_at, e.id));

    let mut groups: HashMap<(i64, Option<i64>, Month), Vec<Open>> = HashMap::new();
    let mut result = Corrected::default();
    for entry in order {
        let group = groups
            .entry((entry.ticket_id, entry.type_id, entry.month))
            .or_default();
        match entry.secs {
            0 => result.ignored_zero.push(entry.id),
            secs if secs > 0 => group.push(Open {
                id: entry.id,
                left: i128::from(secs),
                reduced_by: Vec::new(),
            }),
            secs => {
                let mut to_net = -i128::from(secs);
                for open in group.iter_mut().rev().filter(|o| o.left > 0) {
                    let taken = to_net.min(open.left);
                    open.left -= taken;
                    to_net -= taken;
                    open.reduced_by.push((entry.id, to_i64(taken)));
                    if to_net == 0 {
                        break;
                    }
                }
                if to_net > 0 {
                    result.unapplied.push(Unapplied {
                        correction_id: entry.id,
                        secs_left: to_i64(to_net),
                    });
                }
            }
        }
    }

    for open in groups.into_values().flatten() {
        if open.left == 0 {
            result.cancelled.push(open.id);
        } else {
            result.effective.push(Effective {
                id: open.id,
                secs: to_i64(open.left),
                reduced_by: open.reduced_by,
            });
        }
    }
    result.effective.sort_by_key(|e| e.id);
    result.cancelled.sort_unstable();
    result.ignored_zero.sort_unstable();
    result.unapplied.sort_by_key(|u| u.correction_id);
    result
}

/// The preview line for one entry, e.g. `90 min − 30 min (correction #12) = 60 min`, or just
/// `90 min` when nothing was reduced.
pub fn explain(entry: &Effective) -> String {
    if entry.reduced_by.is_empty() {
        return duration(entry.secs);
    }
    let mut line = duration(entry.original_secs());
    for (correction_id, taken) in &entry.reduced_by {
        line.push_str(&format!(
            " − {} (correction #{correction_id})",
            duration(*taken)
        ));
    }
    line.push_str(&format!(" = {}", duration(entry.secs)));
    line
}

/// `90 min`, `1 min 30 s`, `45 s`.
fn duration(secs: i64) -> String {
    let (min, sec) = (secs / 60, secs % 60);
    match (min, sec) {
        (_, 0) => format!("{min} min"),
        (0, _) => format!("{sec} s"),
        _ => format!("{min} min {sec} s"),
    }
}

/// Amounts only shrink from an `i64`, except a correction of `i64::MIN`; saturate that.
fn to_i64(secs: i128) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX)
}

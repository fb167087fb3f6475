//! "Edit, then apply": the fields a user typed for a conflicted entry's timesheet must obey
//! the placement's rules, whoever stores them, so the next sync never meets a timesheet Kimai
//! must refuse or one that lands in another month: a positive span that ends on the day it
//! begins (or at midnight), in the month the entry belongs to, a month not billed yet (unless
//! the conflict is about that very month), and the entry's own marker in the description (the
//! marker is how Timebridge finds its timesheet again).

use chrono::Duration;

use super::entries::{InstanceKey, Marker};
use super::plan::{ConflictKind, SourceKey, TimesheetFields};
use super::time::Month;

/// Why an edit cannot be stored; each says what to change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditProblem {
    /// The end is not after the begin.
    #[error("the end must be after the begin")]
    NotAfterBegin,
    /// The span goes past the midnight after its begin.
    #[error("a timesheet ends on the day it begins (or at midnight)")]
    SpansDays,
    /// It begins outside the entry's month.
    #[error("the entry belongs to {entry_month}: the timesheet must begin in that month")]
    OtherMonth {
        /// The month the entry belongs to.
        entry_month: Month,
    },
    /// Its month is billed (closed).
    #[error("{0} is already billed (closed)")]
    MonthClosed(Month),
    /// The description carries another entry's marker.
    #[error("the description carries another entry's marker {0}")]
    OtherMarker(String),
    /// The description's markers cannot be told apart.
    #[error("the description is ambiguous: {0}")]
    AmbiguousMarker(String),
    /// The description lacks the entry's own marker.
    #[error("the description must keep the entry's marker {0}")]
    NoMarker(String),
    /// The entry's key is not a valid instance key.
    #[error("{0}")]
    BadKey(String),
}

/// Checks `edited` as the timesheet of entry `key` in a conflict of `kind`, whose Zammad
/// version is `zammad`; `closed` tells whether a month is billed.
pub fn check_edit(
    key: &SourceKey,
    kind: ConflictKind,
    zammad: &TimesheetFields,
    edited: &TimesheetFields,
    closed: impl Fn(Month) -> bool,
) -> Result<(), EditProblem> {
    let (begin, end) = (edited.begin, edited.end);
    if begin >= end {
        return Err(EditProblem::NotAfterBegin);
    }
    let next_day = (begin.date() + Duration::days(1)).and_hms_opt(0, 0, 0);
    if end.date() != begin.date() && Some(end) != next_day {
        return Err(EditProblem::SpansDays);
    }
    let month = Month::of(begin.date());
    let entry_month = zammad.month();
    if month != entry_month {
        return Err(EditProblem::OtherMonth { entry_month });
    }
    if closed(month) && kind != ConflictKind::NewEntryInClosedMonth {
        return Err(EditProblem::MonthClosed(month));
    }
    let own = own_marker(key)?;
    if has_own_marker(&own, &edited.description)? {
        Ok(())
    } else {
        Err(EditProblem::NoMarker(own.render()))
    }
}

/// `description` with entry `key`'s marker: kept when present, appended when missing;
/// another entry's marker is refused.
pub fn with_marker(key: &SourceKey, description: &str) -> Result<String, EditProblem> {
    let own = own_marker(key)?;
    let text = description.trim();
    Ok(if has_own_marker(&own, text)? {
        text.to_string()
    } else if text.is_empty() {
        own.render()
    } else {
        format!("{text} {}", own.render())
    })
}

/// Whether `text` carries the marker `own` (`false`: no marker at all); another entry's
/// marker, or markers that cannot be told apart, are refused.
fn has_own_marker(own: &Marker, text: &str) -> Result<bool, EditProblem> {
    match Marker::find(text.trim()) {
        Ok(Some(m)) if m == *own => Ok(true),
        Ok(Some(m)) => Err(EditProblem::OtherMarker(m.render())),
        Err(e) => Err(EditProblem::AmbiguousMarker(e.to_string())),
        Ok(None) => Ok(false),
    }
}

fn own_marker(key: &SourceKey) -> Result<Marker, EditProblem> {
    let instance =
        InstanceKey::new(&key.instance).map_err(|e| EditProblem::BadKey(e.to_string()))?;
    Ok(Marker::new(instance, key.time_accounting_id))
}

//! The "no overlaps" option: one local day's entries laid out back to back. The rule is
//! documented on the parent module.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::placement::{
    ceil_minute, place_ending_at, placeable_secs, Day, EntryId, PlacementError, Span,
};

/// One entry to lay out: when it was booked and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayEntry {
    /// The Zammad entry id.
    pub id: EntryId,
    /// Zammad's `created_at`.
    pub created_at: DateTime<Utc>,
    /// The duration in seconds (positive; rounded to whole minutes here).
    pub duration_secs: i64,
}

/// Lays out entries of one local day without overlaps; output is in `(created_at, id)` order.
///
/// # Errors
/// [`PlacementError::DifferentDays`] when the entries are not all on one local day, any error
/// of [`place_ending_at`] for a single entry, and [`PlacementError::NoRoom`] when the day cannot
/// hold them all.
pub fn lay_out_day(entries: &[DayEntry], tz: Tz) -> Result<Vec<(EntryId, Span)>, PlacementError> {
    let mut sorted = entries.to_vec();
    sorted.sort_by_key(|entry| (entry.created_at, entry.id));
    let Some(first) = sorted.first() else {
        return Ok(Vec::new());
    };
    let day = Day::of(first.created_at, tz)?;
    let mut jobs = Vec::with_capacity(sorted.len());
    for entry in &sorted {
        let found = Day::of(entry.created_at, tz)?.date;
        if found != day.date {
            return Err(PlacementError::DifferentDays {
                id: entry.id,
                expected: day.date,
                found,
            });
        }
        let secs = placeable_secs(entry.duration_secs, &day)?;
        jobs.push((entry, secs));
    }
    if let Some(spans) = backward(&day, &jobs)? {
        return Ok(spans);
    }
    forward(&day, &jobs, tz)?.ok_or(PlacementError::NoRoom {
        date: day.date,
        duration_secs: jobs.iter().map(|(_, secs)| secs).sum(),
    })
}

/// Latest first: each entry ends at its booking time or at the next entry's begin, whichever
/// is earlier. `None` when the day's start is reached before every entry fits.
fn backward(
    day: &Day,
    jobs: &[(&DayEntry, i64)],
) -> Result<Option<Vec<(EntryId, Span)>>, PlacementError> {
    let mut spans = Vec::with_capacity(jobs.len());
    let mut limit = day.end;
    for (entry, secs) in jobs.iter().rev() {
        let end_by = ceil_minute(entry.created_at)?.min(limit);
        let Some(span) = day.latest_ending_by(*secs, end_by) else {
            return Ok(None);
        };
        limit = day.instant(&span.begin);
        spans.push((entry.id, span));
    }
    spans.reverse();
    Ok(Some(spans))
}

/// Earliest first: each entry begins where it would alone ([`place_ending_at`]) or at the
/// previous entry's end, whichever is later. `None` when the day's end is passed.
fn forward(
    day: &Day,
    jobs: &[(&DayEntry, i64)],
    tz: Tz,
) -> Result<Option<Vec<(EntryId, Span)>>, PlacementError> {
    let mut spans: Vec<(EntryId, Span)> = Vec::with_capacity(jobs.len());
    let mut floor = day.start;
    for (entry, secs) in jobs {
        let alone = place_ending_at(entry.created_at, *secs, tz)?;
        let start = floor.max(day.instant(&alone.begin));
        let Some(span) = day.earliest_beginning_at(*secs, start) else {
            return Ok(None);
        };
        floor = day.instant(&span.end);
        spans.push((entry.id, span));
    }
    Ok(Some(spans))
}

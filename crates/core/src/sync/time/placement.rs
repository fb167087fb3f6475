//! Where one entry lands on the calendar: the span search shared by [`place_ending_at`] and the
//! day layout. The rules are documented on the parent module.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// The id of a Zammad time entry, as the layout reports it back (a placement error names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(pub i64);

/// A placed entry: wall-clock times in the billing timezone, as sent to Kimai.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// Local begin, whole minute, never a repeated or skipped wall-clock time.
    pub begin: NaiveDateTime,
    /// Local end, whole minute, never a repeated or skipped wall-clock time; may be 00:00 of the
    /// next day when the entry runs to the end of its day.
    pub end: NaiveDateTime,
    /// The local day (billing day, and through it the billing month) the entry belongs to.
    pub date: NaiveDate,
}

impl Span {
    /// The real elapsed seconds between begin and end, through instants in `tz` (so a span across
    /// a DST change is not off by an hour). For a span this module produced both ends are unique
    /// local times; otherwise a repeated time counts as its first occurrence and a skipped time
    /// falls back to the plain wall-clock difference.
    #[must_use]
    pub fn duration_secs(&self, tz: Tz) -> i64 {
        let instant = |naive: &NaiveDateTime| tz.from_local_datetime(naive).earliest();
        match (instant(&self.begin), instant(&self.end)) {
            (Some(begin), Some(end)) => (end - begin).num_seconds(),
            _ => (self.end - self.begin).num_seconds(),
        }
    }
}

/// Why an entry could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    /// Zero and negative entries are corrections, netted elsewhere, never placed.
    #[error("cannot place a duration of {0} s: only positive durations are timesheets")]
    NonPositiveDuration(i64),
    /// The entry is longer than its local day (23, 24 or 25 hours).
    #[error("an entry of {duration_secs} s does not fit in the {day_secs} s of {date}")]
    LongerThanDay {
        /// The local day.
        date: NaiveDate,
        /// The (whole-minute) duration asked for.
        duration_secs: i64,
        /// The real length of that day.
        day_secs: i64,
    },
    /// No minute-aligned span with unambiguous ends fits in the day (or the day's remaining room).
    #[error("no valid span of {duration_secs} s on {date}")]
    NoRoom {
        /// The local day.
        date: NaiveDate,
        /// The (whole-minute) duration asked for.
        duration_secs: i64,
    },
    /// Entries given to the day layout lie on different local days.
    #[error("entry {} is on {found}, not on {expected} like the first entry", id.0)]
    DifferentDays {
        /// The offending entry's id.
        id: EntryId,
        /// The local day of the earliest entry.
        expected: NaiveDate,
        /// The offending entry's local day.
        found: NaiveDate,
    },
    /// A time outside chrono's range.
    #[error("time out of range")]
    OutOfRange,
}

/// A positive duration as Kimai can store it: whole minutes, nearest, half a minute up, at least
/// one minute. Zero and negative input is returned unchanged.
#[must_use]
pub fn to_whole_minutes(secs: i64) -> i64 {
    if secs <= 0 {
        return secs;
    }
    let minutes = secs / 60 + i64::from(secs % 60 >= 30);
    minutes.max(1).saturating_mul(60)
}

/// The local day an entry belongs to, as instants: `[start, end]`, end = next day's start.
#[derive(Debug, Clone, Copy)]
pub(super) struct Day {
    pub(super) date: NaiveDate,
    pub(super) start: DateTime<Utc>,
    pub(super) end: DateTime<Utc>,
    pub(super) tz: Tz,
}

impl Day {
    /// The local day of `instant` in `tz`.
    pub(super) fn of(instant: DateTime<Utc>, tz: Tz) -> Result<Self, PlacementError> {
        let date = instant.with_timezone(&tz).date_naive();
        let next = date.succ_opt().ok_or(PlacementError::OutOfRange)?;
        Ok(Self {
            date,
            start: first_instant(date, tz)?,
            end: first_instant(next, tz)?,
            tz,
        })
    }

    /// Whether an instant may be a span end sent to Kimai: a whole local minute that names
    /// exactly one instant (not inside a repeated hour; skipped times never arise from instants).
    fn is_clean(&self, instant: DateTime<Utc>) -> bool {
        let local = instant.with_timezone(&self.tz).naive_local();
        local.second() == 0
            && local.nanosecond() == 0
            && matches!(self.tz.from_local_datetime(&local), LocalResult::Single(_))
    }

    fn span(&self, begin: DateTime<Utc>, end: DateTime<Utc>) -> Span {
        Span {
            begin: begin.with_timezone(&self.tz).naive_local(),
            end: end.with_timezone(&self.tz).naive_local(),
            date: self.date,
        }
    }

    /// Checks a whole-minute duration against the day's length.
    pub(super) fn check_fits(&self, duration_secs: i64) -> Result<(), PlacementError> {
        let day_secs = (self.end - self.start).num_seconds();
        if duration_secs > day_secs {
            return Err(PlacementError::LongerThanDay {
                date: self.date,
                duration_secs,
                day_secs,
            });
        }
        Ok(())
    }

    /// The valid span of `secs` ending as late as possible but not after `limit`.
    pub(super) fn latest_ending_by(&self, secs: i64, limit: DateTime<Utc>) -> Option<Span> {
        let mut end = limit.min(self.end);
        loop {
            let begin = end - Duration::seconds(secs);
            if begin < self.start {
                return None;
            }
            if self.is_clean(end) && self.is_clean(begin) {
                return Some(self.span(begin, end));
            }
            end -= Duration::minutes(1);
        }
    }

    /// The valid span of `secs` beginning as early as possible but not before `floor`.
    pub(super) fn earliest_beginning_at(&self, secs: i64, floor: DateTime<Utc>) -> Option<Span> {
        let mut begin = floor.max(self.start);
        loop {
            let end = begin + Duration::seconds(secs);
            if end > self.end {
                return None;
            }
            if self.is_clean(end) && self.is_clean(begin) {
                return Some(self.span(begin, end));
            }
            begin += Duration::minutes(1);
        }
    }

    /// A span end as an instant (span ends are unique local times by construction).
    pub(super) fn instant(&self, local: &NaiveDateTime) -> DateTime<Utc> {
        self.tz
            .from_local_datetime(local)
            .earliest()
            .map_or(self.start, |t| t.with_timezone(&Utc))
    }
}

/// The first instant whose local date is `date` (midnight, or the end of a gap over midnight).
fn first_instant(date: NaiveDate, tz: Tz) -> Result<DateTime<Utc>, PlacementError> {
    let midnight = date
        .and_hms_opt(0, 0, 0)
        .ok_or(PlacementError::OutOfRange)?;
    (0..24 * 60)
        .find_map(|minute| {
            tz.from_local_datetime(&(midnight + Duration::minutes(minute)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .ok_or(PlacementError::OutOfRange)
}

/// `instant` rounded up to the next whole minute (unchanged when already whole).
pub(super) fn ceil_minute(instant: DateTime<Utc>) -> Result<DateTime<Utc>, PlacementError> {
    let secs = instant.timestamp();
    let whole = secs % 60 == 0 && instant.timestamp_subsec_nanos() == 0;
    let minute = secs.div_euclid(60) + i64::from(!whole);
    DateTime::from_timestamp(minute * 60, 0).ok_or(PlacementError::OutOfRange)
}

/// Checks and rounds a duration for placement: positive, whole minutes, fits the day.
pub(super) fn placeable_secs(duration_secs: i64, day: &Day) -> Result<i64, PlacementError> {
    if duration_secs <= 0 {
        return Err(PlacementError::NonPositiveDuration(duration_secs));
    }
    let secs = to_whole_minutes(duration_secs);
    day.check_fits(secs)?;
    Ok(secs)
}

/// Places one entry by the default rule: it ends at `created_at` (rounded up to the minute) in
/// `tz` and begins `duration_secs` (rounded to whole minutes) earlier, moved as little as needed
/// to stay on its local day and clear of repeated wall-clock times. See the module rules.
///
/// # Errors
/// [`PlacementError::NonPositiveDuration`] for ≤ 0, [`PlacementError::LongerThanDay`],
/// [`PlacementError::NoRoom`] when DST leaves no valid span, [`PlacementError::OutOfRange`].
pub fn place_ending_at(
    created_at: DateTime<Utc>,
    duration_secs: i64,
    tz: Tz,
) -> Result<Span, PlacementError> {
    let day = Day::of(created_at, tz)?;
    let secs = placeable_secs(duration_secs, &day)?;
    day.latest_ending_by(secs, ceil_minute(created_at)?)
        .or_else(|| day.earliest_beginning_at(secs, day.start))
        .ok_or(PlacementError::NoRoom {
            date: day.date,
            duration_secs: secs,
        })
}

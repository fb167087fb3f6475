//! Time: what a Zammad `time_unit` means, billing rounding, where an entry lands on the
//! calendar in the billing timezone, and billing months.
//!
//! Zammad entries carry only `created_at` (a UTC instant) and `time_unit` (a unitless decimal);
//! Kimai wants `begin`/`end` as naive wall-clock times in the user's timezone, floors begin and
//! ceils end to the minute, and leaves repeated or skipped local times to PHP. Every rule that
//! turns the former into the latter lives here, as pure functions of their arguments (no clock,
//! no I/O), so that placement is deterministic and tested across DST changes and month ends.
//!
//! # Placement rules
//!
//! 1. **Day.** An entry belongs to the local date of its `created_at` in the billing timezone;
//!    that date decides its billing day and [`Month`]. It never leaves that day: a span lies
//!    within `[00:00, 24:00]` local (an end of 24:00 is sent as 00:00 of the next day).
//! 2. **Default: end at the booking time.** The entry ends at `created_at` and begins the
//!    duration earlier ([`place_ending_at`]). If that would begin on the previous day, the span
//!    starts at 00:00 and ends later than `created_at`. An entry longer than its day (23, 24 or
//!    25 real hours) is an error; zero and negative durations are corrections, not placed.
//! 3. **Whole minutes.** `created_at` is rounded up to the next whole minute; the duration is
//!    rounded to whole minutes (nearest, 30 s up, at least 1 min; [`to_whole_minutes`]) and
//!    begin = end − duration, so Kimai's floor/ceil changes nothing and its stored duration is
//!    ours. Any billing rounding ([`RoundingRule`]) is applied before placement, once.
//! 4. **DST.** Times are computed as instants and converted to local time, so a span may cross
//!    a change and its real length ([`Span::duration_secs`]) is always the duration placed.
//!    A skipped local time (spring forward) never arises from an instant. A wall-clock time of
//!    the repeated hour (fall back, e.g. 02:00–02:59 in Berlin) is ambiguous to Kimai, so neither
//!    begin nor end may be one: the span then moves to the latest valid end before its booking
//!    time (in practice ending at 01:59, the last unambiguous minute before the repeated hour);
//!    only if nothing valid fits before does it move to the earliest valid position after.
//! 5. **No overlaps** ([`lay_out_day`], optional). The day's entries are ordered by
//!    (`created_at`, id). Backward pass, latest first: each ends at the earlier of its booking
//!    time and the next entry's begin, under rules 1–4. If the day's start is reached first,
//!    forward pass instead: each begins at the later of its position under rule 2 and the
//!    previous entry's end. If the day's end is reached too, the day is an error. Output is in
//!    (`created_at`, id) order; one entry is placed exactly as by [`place_ending_at`].

mod layout;
mod month;
mod placement;
mod rounding;
mod units;

#[cfg(test)]
mod tests_layout;
#[cfg(test)]
mod tests_month;
#[cfg(test)]
mod tests_placement;
#[cfg(test)]
mod tests_units;

pub use layout::{lay_out_day, DayEntry};
pub use month::{Month, MonthError};
pub use placement::{place_ending_at, to_whole_minutes, EntryId, PlacementError, Span};
pub use rounding::{running_minutes, RoundingMode, RoundingRule};
pub use units::{TimeUnit, UnitError};

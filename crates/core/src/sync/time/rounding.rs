//! Optional billing rounding of a duration (nearest/up/down to N minutes, with a minimum), applied
//! once by us before placement. Kimai's own rounding is invisible to the API; never round twice.

use serde::{Deserialize, Serialize};

/// Direction of rounding to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// To the nearest step; exactly half a step rounds up.
    Nearest,
    /// Up to the next step; a duration already on a step is unchanged.
    Up,
    /// Down to the previous step; may give 0 (then the minimum, if any, applies).
    Down,
}

/// A rounding rule for positive durations, e.g. "up to 15 minutes, at least 15 minutes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundingRule {
    /// Rounding direction.
    pub mode: RoundingMode,
    /// Step in minutes; 0 means no rounding to a step.
    pub step_minutes: u32,
    /// Minimum duration in minutes, applied after rounding; 0 means none.
    pub minimum_minutes: u32,
}

impl RoundingRule {
    /// The rule that leaves every duration unchanged.
    #[must_use]
    pub const fn none() -> Self {
        Self {
            mode: RoundingMode::Nearest,
            step_minutes: 0,
            minimum_minutes: 0,
        }
    }

    /// Rounds a positive duration in seconds, then raises it to the minimum.
    ///
    /// Zero and negative input is returned unchanged: such entries are corrections, not
    /// timesheets, and are netted elsewhere before any rounding. A positive duration can come
    /// out as 0 (e.g. `Down` below one step with no minimum): nothing is left to book.
    #[must_use]
    pub fn apply(&self, secs: i64) -> i64 {
        if secs <= 0 {
            return secs;
        }
        let step = i64::from(self.step_minutes) * 60;
        let rounded = if step == 0 {
            secs
        } else {
            let (whole, rest) = (secs / step, secs % step);
            let up = match self.mode {
                RoundingMode::Down => false,
                RoundingMode::Up => rest > 0,
                RoundingMode::Nearest => rest * 2 >= step,
            };
            whole.saturating_add(i64::from(up)).saturating_mul(step)
        };
        rounded.max(i64::from(self.minimum_minutes) * 60)
    }
}

/// Whole minutes for one day's entries of one ticket, project and activity, in booking order, such
/// that every running total is Zammad's exact running total rounded to the nearest minute
/// (half up): the day's total is within half a minute of Zammad's, where rounding each entry
/// on its own drifts by up to half a minute per entry. An entry's minutes depend only on it and
/// the entries before it, so an edit changes only that entry and later ones. A share can be
/// 0 (a few seconds after an entry that was rounded up): its time is in the entries around it.
/// Returns seconds (whole minutes); input durations are positive seconds.
#[must_use]
pub fn running_minutes(secs: &[i64]) -> Vec<i64> {
    let mut exact = 0i64;
    let mut booked = 0i64;
    secs.iter()
        .map(|s| {
            exact = exact.saturating_add(*s);
            let total = exact.saturating_add(30).div_euclid(60);
            let minutes = total - booked;
            booked = total;
            minutes.saturating_mul(60)
        })
        .collect()
}

impl Default for RoundingRule {
    fn default() -> Self {
        Self::none()
    }
}

#[cfg(test)]
mod running_tests {
    use proptest::prelude::*;

    use super::running_minutes;

    #[test]
    fn a_day_of_odd_seconds_adds_up_to_its_exact_total() {
        // 12 entries of 10 min 29 s: each alone rounds to 10 min (total 120 min), the day is
        // 125.8 min.
        let day = vec![629; 12];
        let booked = running_minutes(&day);
        assert_eq!(booked.iter().sum::<i64>(), 126 * 60);
        assert!(booked.iter().all(|s| *s % 60 == 0 && *s >= 600));
    }

    proptest! {
        #[test]
        fn every_running_total_is_within_half_a_minute(day in prop::collection::vec(1i64..20_000, 0..40)) {
            let booked = running_minutes(&day);
            let (mut exact, mut sum) = (0i64, 0i64);
            for (s, b) in day.iter().zip(&booked) {
                exact += s;
                sum += b;
                prop_assert!(*b >= 0 && b % 60 == 0);
                prop_assert!((sum - exact).abs() <= 30, "{sum} vs {exact}");
            }
        }

        #[test]
        fn an_edit_changes_only_that_entry_and_later_ones(
            day in prop::collection::vec(1i64..20_000, 1..30),
            at in 0usize..30,
            new in 1i64..20_000,
        ) {
            let at = at % day.len();
            let mut edited = day.clone();
            edited[at] = new;
            let (before, after) = (running_minutes(&day), running_minutes(&edited));
            prop_assert_eq!(&before[..at], &after[..at]);
        }
    }
}

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

impl Default for RoundingRule {
    fn default() -> Self {
        Self::none()
    }
}

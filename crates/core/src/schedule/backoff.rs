//! The scheduler's decisions as pure functions, so every rule is a table test and none of them
//! reads a clock: whether a tick runs, how many ticks to skip after failures, and which state
//! the tray shows.

use std::time::Duration;

use super::types::{SchedulerState, SkipReason};

/// The longest backoff: after many failures a scheduled run still happens about once an hour.
pub const BACKOFF_CAP: Duration = Duration::from_secs(60 * 60);

/// What a cron tick does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickDecision {
    /// Start a scheduled run.
    Run,
    /// Do nothing this tick.
    Skip(SkipReason),
}

/// Decides a cron tick. Paused wins over everything, then single flight, then backoff.
/// `skip_remaining` is the number of ticks backoff still wants skipped, this one included.
pub fn decide_tick(paused: bool, running: bool, skip_remaining: u32) -> TickDecision {
    if paused {
        TickDecision::Skip(SkipReason::Paused)
    } else if running {
        TickDecision::Skip(SkipReason::AlreadyRunning)
    } else if skip_remaining > 0 {
        TickDecision::Skip(SkipReason::BackingOff {
            remaining: skip_remaining - 1,
        })
    } else {
        TickDecision::Run
    }
}

/// The first quick retry after a failed scheduled run.
pub const FIRST_RETRY: Duration = Duration::from_secs(60);

/// When to try again after the `consecutive_failures`-th scheduled failure in a row, sooner
/// than the schedule: after 1, 2, 4, 8 … minutes while that is shorter than the schedule's
/// `period`; `None` once it is not (then the ticks take over, backing off). A train's wifi
/// drops for a minute, not for a quarter of an hour.
pub fn retry_after(consecutive_failures: u32, period: Duration) -> Option<Duration> {
    let factor = 1u32.checked_shl(consecutive_failures.checked_sub(1)?)?;
    let delay = FIRST_RETRY.checked_mul(factor)?;
    (delay < period).then_some(delay)
}

/// How many failures in a row get a quick retry ([`retry_after`]) before ticks are skipped.
pub fn quick_retries(period: Duration) -> u32 {
    (1..=32)
        .take_while(|n| retry_after(*n, period).is_some())
        .count() as u32
}

/// How many ticks to skip after the `consecutive_failures`-th scheduled failure in a row, so
/// the effective interval is 1, 2, 4, 8 … ticks, capped at [`BACKOFF_CAP`] (never less than
/// one tick). `tick_period` is the gap between the schedule's next two ticks.
pub fn backoff_skips(consecutive_failures: u32, tick_period: Duration) -> u32 {
    if consecutive_failures == 0 {
        return 0;
    }
    let wanted: u64 = 1u64
        .checked_shl(consecutive_failures - 1)
        .filter(|n| *n != 0)
        .unwrap_or(u64::MAX);
    let period = tick_period.as_secs().max(1);
    let cap = (BACKOFF_CAP.as_secs() / period).max(1);
    let interval_ticks = wanted.min(cap);
    u32::try_from(interval_ticks - 1).unwrap_or(u32::MAX)
}

/// The state shown to the user, in priority order: running, paused, backing off, idle.
pub fn derive_state(running: bool, paused: bool, consecutive_failures: u32) -> SchedulerState {
    if running {
        SchedulerState::Running
    } else if paused {
        SchedulerState::Paused
    } else if consecutive_failures > 0 {
        SchedulerState::BackingOff
    } else {
        SchedulerState::Idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_retries_double_from_a_minute_and_stop_at_the_period() {
        let quarter = Duration::from_secs(15 * 60);
        let minutes = |n| retry_after(n, quarter).map(|d| d.as_secs() / 60);
        assert_eq!(
            (1..=6).map(minutes).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(4), Some(8), None, None]
        );
        assert_eq!(retry_after(0, quarter), None, "no failure, no retry");
        assert_eq!(quick_retries(quarter), 4);
        assert_eq!(
            quick_retries(Duration::from_secs(60)),
            0,
            "a tick every minute"
        );
        assert_eq!(quick_retries(Duration::from_secs(3600)), 6);
        assert_eq!(retry_after(40, quarter), None, "no overflow");
    }

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn backoff_doubles_the_interval_and_caps_at_an_hour() {
        // (failures in a row, tick period, ticks to skip)
        let table: &[(u32, Duration, u32)] = &[
            (0, 15 * MIN, 0),
            (1, 15 * MIN, 0), // interval 1 tick: the next tick runs
            (2, 15 * MIN, 1), // 2 ticks = 30 min
            (3, 15 * MIN, 3), // 4 ticks = 60 min, the cap
            (4, 15 * MIN, 3), // 8 ticks wanted, capped at 4
            (40, 15 * MIN, 3),
            (u32::MAX, 15 * MIN, 3),
            (1, MIN, 0),
            (4, MIN, 7),      // 8 ticks = 8 min
            (7, MIN, 59),     // 64 ticks wanted, cap 60
            (2, 60 * MIN, 0), // hourly: already at the cap
            (5, 3 * 60 * MIN, 0),
            (13, Duration::from_secs(1), 3599),
            (3, Duration::ZERO, 3), // a zero period is treated as one second
            (64, Duration::from_secs(1), 3599),
            (65, Duration::from_secs(1), 3599),
        ];
        for &(failures, period, skips) in table {
            assert_eq!(
                backoff_skips(failures, period),
                skips,
                "failures={failures} period={period:?}"
            );
        }
    }

    #[test]
    fn tick_decisions() {
        use SkipReason::*;
        use TickDecision::*;
        // (paused, running, skip_remaining, decision)
        let table = [
            (false, false, 0, Run),
            (false, false, 1, Skip(BackingOff { remaining: 0 })),
            (false, false, 3, Skip(BackingOff { remaining: 2 })),
            (false, true, 0, Skip(AlreadyRunning)),
            (false, true, 2, Skip(AlreadyRunning)),
            (true, false, 0, Skip(Paused)),
            (true, true, 2, Skip(Paused)),
        ];
        for (paused, running, remaining, want) in table {
            assert_eq!(
                decide_tick(paused, running, remaining),
                want,
                "{paused} {running} {remaining}"
            );
        }
    }

    #[test]
    fn states() {
        use SchedulerState::*;
        let table = [
            (false, false, 0, Idle),
            (false, false, 2, BackingOff),
            (false, true, 2, Paused),
            (true, true, 2, Running),
            (true, false, 0, Running),
        ];
        for (running, paused, failures, want) in table {
            assert_eq!(derive_state(running, paused, failures), want);
        }
    }
}

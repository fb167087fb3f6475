//! The core's one source of "now".
//!
//! Everything that depends on the date — the sync horizon, "this month" on the dashboard,
//! billing's default month, the schedule's next run, the demo's data — reads the time from a
//! [`Clock`] it is given, never from the system directly. The desktop and the CLI use
//! [`Clock::system`]; tests pass [`Clock::fixed`] (or follow a simulator's manual clock with
//! [`Clock::from_fn`]) so that their outcome cannot depend on the day they run.
//!
//! Records of *when something happened* are another matter: the database stamps rows (a run's
//! start and end, a conflict's detection, an audit event) with SQLite's own `'now'`, and a
//! pre-upgrade backup is named by the system time. Those are the computer's clock at that
//! moment, shown to the user as history; no decision compares them with the clock's "now"
//! (the staleness of the last full sync, for one, is read from a cursor the engine writes
//! with its run's `now`).

use std::sync::Arc;

use chrono::{DateTime, Utc};

/// Where the core reads the current time.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Clock").field(&self.now()).finish()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The system clock: the one place the core reads it.
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }

    /// A clock that always says `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Arc::new(move || at))
    }

    /// A clock that reads `now` (e.g. a simulator's manual clock a test moves).
    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_and_a_following_clock_follows() {
        let at = DateTime::parse_from_rfc3339("2026-03-29T00:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(Clock::fixed(at).now(), at);
        let cell = Arc::new(parking_lot::Mutex::new(at));
        let seen = Arc::clone(&cell);
        let clock = Clock::from_fn(move || *seen.lock());
        *cell.lock() = at + chrono::Duration::hours(1);
        assert_eq!(clock.now(), at + chrono::Duration::hours(1));
    }
}

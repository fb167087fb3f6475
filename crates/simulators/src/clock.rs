//! The simulators' notion of "now": the system clock, a manual one tests move by hand, or
//! another component's clock they follow (the demo's simulators follow the app's, so a test
//! that fixes the app's time fixes theirs too).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;

/// A clock shared by a simulator's handlers and the test driving it.
#[derive(Clone, Default)]
pub struct Clock {
    source: Source,
}

#[derive(Clone, Default)]
enum Source {
    #[default]
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
    Follow(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>),
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.source {
            Source::System => "system",
            Source::Manual(_) => "manual",
            Source::Follow(_) => "follow",
        };
        f.debug_tuple("Clock").field(&kind).finish()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self {
            source: Source::System,
        }
    }

    /// A clock standing at `at` until moved.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self {
            source: Source::Manual(Arc::new(Mutex::new(at))),
        }
    }

    /// A clock that reads `now` (another component's clock); it cannot be moved from here.
    pub fn following(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Self {
            source: Source::Follow(Arc::new(now)),
        }
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.source {
            Source::Manual(t) => *t.lock(),
            Source::Follow(now) => now(),
            // The one place the simulators read the system clock.
            Source::System => Utc::now(),
        }
    }

    /// Moves a manual clock forward (no effect on the other kinds).
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(t) = &self.source {
            *t.lock() += by;
        }
    }

    /// Sets a manual clock (no effect on the other kinds).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Source::Manual(t) = &self.source {
            *t.lock() = at;
        }
    }
}

//! What the facade's tests share: a host on a fixed clock, so no outcome depends on the day
//! the tests run (the demo's data, "this month", billing's default month and the sync horizon
//! all follow the clock, and the demo's simulators follow it too).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::Host;
use timebridge_core::secrets::KeychainStore;
use timebridge_core::{Clock, DataDir, Startup};

/// The tests' "now": the middle of a month, on a weekday, at noon in Berlin.
pub(crate) fn test_now() -> DateTime<Utc> {
    at("2026-11-18T11:00:00Z")
}

/// An instant from RFC 3339 text.
pub(crate) fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a valid test time")
        .to_utc()
}

/// A host whose user profile is empty, whose demo lives in `tmp/demo`, on a clock fixed at
/// `now`.
pub(crate) fn host_at(tmp: &tempfile::TempDir, now: DateTime<Utc>) -> Host {
    let startup = Startup::new(Some(DataDir::at(tmp.path().join("profile"))), None);
    // The keychain is never asked in these tests: the demo keeps its tokens in memory.
    let secrets = Arc::new(KeychainStore::with_service("timebridge-test-never-used"));
    Host::with_clock(
        startup,
        secrets,
        Some(DataDir::at(tmp.path().join("demo"))),
        Clock::fixed(now),
    )
}

/// [`host_at`] at [`test_now`].
pub(crate) fn host(tmp: &tempfile::TempDir) -> Host {
    host_at(tmp, test_now())
}

//! Where entries land in Kimai, end to end (simulators over real HTTP, a real SQLite file):
//! month ends and DST switch days in Europe/Berlin and America/New_York. An entry ends at its
//! booking time and begins its duration earlier, never leaves its local day, never has an end
//! in a repeated (fall-back) hour, and always lasts exactly what was booked — checked on the
//! instants Kimai stores, the wall-clock times it shows, and the month the link records.

mod support;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use timebridge_core::RunOutcome;

use support::{utc, wall, world_in, SeedEntry, World};

const BERLIN: Tz = chrono_tz::Europe::Berlin;
const NEW_YORK: Tz = chrono_tz::America::New_York;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

/// `(entry, wall begin, wall end, minutes, month)` expected in Kimai and the link.
type Expect<'a> = (i64, &'a str, &'a str, i64, &'a str);

async fn synced(tz: Tz, now: DateTime<Utc>, entries: &[SeedEntry]) -> World {
    let w = world_in(tz, now, entries).await;
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(
        run.counts.created as usize,
        entries.len(),
        "{:#?}",
        run.actions
    );
    w
}

fn check(w: &World, expected: &[Expect<'_>]) {
    for &(id, begin, end, minutes, month) in expected {
        let ts = w.timesheet_of(id);
        let (b, e): (NaiveDateTime, NaiveDateTime) = w.wall_span(&ts);
        assert_eq!((b, e), (wall(begin), wall(end)), "wall clock of entry {id}");
        assert_eq!(ts.duration(), Some(minutes * 60), "real duration of {id}");
        assert_eq!(ts.timezone, w.tz.name(), "stored in the billing timezone");
        assert_eq!(w.link_month(id).as_deref(), Some(month), "month of {id}");
    }
}

async fn assert_converged(w: &World) {
    w.kimai_sim.knobs().reset_counts();
    let again = w.sync().await;
    assert!(
        again.actions.is_empty(),
        "read back equal: {:#?}",
        again.actions
    );
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn berlin_month_end_an_entry_stays_on_its_local_day() {
    let w = synced(
        BERLIN,
        at(2026, 11, 20),
        &[
            // 00:30 CET on 1 November (still October in UTC), 60 min: starts at 00:00.
            (1, 1, 60, Some(1), utc("2026-10-31T23:30:00Z")),
            // 00:30, 20 min: simply ends at its booking time.
            (2, 2, 20, Some(1), utc("2026-10-31T23:30:00Z")),
            // 23:50 on 31 October, 30 min: October's last minutes.
            (3, 4, 30, Some(1), utc("2026-10-31T22:50:00Z")),
        ],
    )
    .await;
    check(
        &w,
        &[
            (1, "2026-11-01 00:00", "2026-11-01 01:00", 60, "2026-11"),
            (2, "2026-11-01 00:10", "2026-11-01 00:30", 20, "2026-11"),
            (3, "2026-10-31 23:20", "2026-10-31 23:50", 30, "2026-10"),
        ],
    );
    assert_converged(&w).await;
}

#[tokio::test]
async fn berlin_spring_forward_keeps_the_booked_duration() {
    // 2026-03-29: 02:00 CET → 03:00 CEST.
    let w = synced(
        BERLIN,
        at(2026, 4, 10),
        &[
            (1, 1, 180, Some(1), utc("2026-03-29T02:00:00Z")), // 04:00 CEST
            (2, 2, 30, Some(1), utc("2026-03-29T01:10:00Z")),  // 03:10 CEST
        ],
    )
    .await;
    check(
        &w,
        &[
            (1, "2026-03-29 00:00", "2026-03-29 04:00", 180, "2026-03"),
            (2, "2026-03-29 01:40", "2026-03-29 03:10", 30, "2026-03"),
        ],
    );
    assert_converged(&w).await;
}

#[tokio::test]
async fn berlin_fall_back_never_ends_in_the_repeated_hour() {
    // 2026-10-25: 03:00 CEST → 02:00 CET; 02:00–02:59 happens twice.
    let w = synced(
        BERLIN,
        at(2026, 11, 20),
        &[
            (1, 1, 240, Some(1), utc("2026-10-25T03:00:00Z")), // 04:00 CET
            (2, 2, 30, Some(1), utc("2026-10-25T01:30:00Z")),  // the second 02:30
        ],
    )
    .await;
    check(
        &w,
        &[
            (1, "2026-10-25 01:00", "2026-10-25 04:00", 240, "2026-10"),
            (2, "2026-10-25 01:29", "2026-10-25 01:59", 30, "2026-10"),
        ],
    );
    assert_converged(&w).await;
}

#[tokio::test]
async fn new_york_spring_forward_keeps_the_booked_duration() {
    // 2026-03-08: 02:00 EST → 03:00 EDT.
    let w = synced(
        NEW_YORK,
        at(2026, 4, 10),
        &[
            (1, 1, 180, Some(1), utc("2026-03-08T08:00:00Z")), // 04:00 EDT
            (2, 2, 30, Some(1), utc("2026-03-08T07:15:00Z")),  // 03:15 EDT
        ],
    )
    .await;
    check(
        &w,
        &[
            (1, "2026-03-08 00:00", "2026-03-08 04:00", 180, "2026-03"),
            (2, "2026-03-08 01:45", "2026-03-08 03:15", 30, "2026-03"),
        ],
    );
    assert_converged(&w).await;
}

#[tokio::test]
async fn new_york_fall_back_and_month_end() {
    // 2026-11-01: 02:00 EDT → 01:00 EST; 01:00–01:59 happens twice.
    let w = synced(
        NEW_YORK,
        at(2026, 12, 10),
        &[
            (1, 1, 240, Some(1), utc("2026-11-01T08:00:00Z")), // 03:00 EST
            (2, 2, 20, Some(1), utc("2026-11-01T06:30:00Z")),  // the second 01:30
            // 00:30 EST on 1 December, 60 min.
            (3, 4, 60, Some(1), utc("2026-12-01T05:30:00Z")),
            // 23:30 EST on 30 November: already December in UTC, November here.
            (4, 1, 30, Some(1), utc("2026-12-01T04:30:00Z")),
        ],
    )
    .await;
    check(
        &w,
        &[
            (1, "2026-11-01 00:00", "2026-11-01 03:00", 240, "2026-11"),
            (2, "2026-11-01 00:39", "2026-11-01 00:59", 20, "2026-11"),
            (3, "2026-12-01 00:00", "2026-12-01 01:00", 60, "2026-12"),
            (4, "2026-11-30 23:00", "2026-11-30 23:30", 30, "2026-11"),
        ],
    );
    assert_converged(&w).await;
}

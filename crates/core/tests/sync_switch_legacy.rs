//! Switching from the previous web service (Zammad-Kimai-Time-Tracking-Sync): the timesheets it
//! wrote — its `ZAM:T…|TA:…` first line, its `Zammad URL` line, begins on the UTC day — are
//! linked to their entries by the first sync, never booked a second time; their differences
//! wait for the user's decision, and taking Zammad's side rewrites them to Timebridge's
//! description and marker in place.

mod support;

use chrono::{DateTime, Duration, Utc};
use support::{berlin, key, manual_at, scheduled, world};
use timebridge_core::sync::plan::{ConflictKind, Resolution};
use timebridge_simulators::kimai::switching::{previous_service, PreviousEntry};
use timebridge_simulators::kimai::SimTimesheet;

/// A timesheet as the service wrote it for entry `ta` of ticket `ticket` (`minutes` long): it
/// sent the entry's UTC booking time as a wall-clock time, which Kimai reads in the user's
/// timezone (Berlin), so it lands an hour early — on the previous day just after midnight.
fn legacy(host: &str, ticket: i64, ta: i64, booked: DateTime<Utc>, minutes: i64) -> SimTimesheet {
    let number = (31000 + ticket).to_string();
    let entry = PreviousEntry {
        host,
        ticket_id: ticket,
        ticket_number: &number,
        title: "Printer offline",
        customer: "Acme GmbH",
        time_accounting_id: ta,
        booked,
        minutes,
    };
    previous_service(&entry, chrono_tz::Europe::Berlin, 2, 1, 1)
}

#[tokio::test]
async fn the_previous_services_timesheets_are_adopted_not_booked_again() {
    let at = |d: &str| berlin(d);
    let w = world(&[
        (1, 1, 30, Some(1), at("2026-11-10 00:30")),
        (2, 1, 45, Some(1), at("2026-11-11 14:00")),
        (3, 2, 60, Some(1), at("2026-11-12 09:00")),
    ])
    .await;
    let host = w
        .zammad_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    // The service booked entries 1 and 2 (1 lands on 9 November: the UTC day); 3 is new.
    assert_eq!(
        legacy(&host, 1, 1, at("2026-11-10 00:30"), 30)
            .begin
            .with_timezone(&w.tz)
            .date_naive()
            .to_string(),
        "2026-11-09"
    );
    let t1 = w
        .kimai_sim
        .add_timesheet_as_human(legacy(&host, 1, 1, at("2026-11-10 00:30"), 30));
    let t2 = w
        .kimai_sim
        .add_timesheet_as_human(legacy(&host, 1, 2, at("2026-11-11 14:00"), 45));
    // One written for another helpdesk (not connected here) stays the user's own.
    let other = w.kimai_sim.add_timesheet_as_human(legacy(
        "help.other.example",
        7,
        3,
        at("2026-11-12 09:00"),
        60,
    ));

    let first = manual_at(&w, w.now).await;
    assert_eq!(first.adopted_legacy, 2, "{first:?}");
    assert_eq!(first.counts.created, 1, "only entry 3 is new: {first:?}");
    let links = w.store.all_links().unwrap();
    assert_eq!(links[&key(1)].timesheet_id, Some(t1 as i64));
    assert_eq!(links[&key(2)].timesheet_id, Some(t2 as i64));
    assert_ne!(links[&key(3)].timesheet_id, Some(other as i64));
    assert_eq!(w.kimai_sim.timesheets().len(), 4, "no duplicate");
    let adoptions = w
        .store
        .audit_for_run(first.run_id)
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.action == timebridge_core::AuditAction::Adopt)
        .count();
    assert_eq!(adoptions, 2, "every adoption is in the history");

    // Their differences (description, the UTC-day begin) are decisions, not overwrites.
    let second = manual_at(&w, w.now + Duration::minutes(5)).await;
    assert_eq!(second.counts.updated, 0, "{second:?}");
    let conflicts = w.store.conflicts().unwrap();
    assert!(
        conflicts
            .iter()
            .all(|c| c.record.kind == ConflictKind::BothChanged),
        "{conflicts:?}"
    );
    assert_eq!(conflicts.len(), 2);
    // Taking Zammad's side rewrites them in place: Timebridge's marker, the local day.
    for c in &conflicts {
        w.store
            .resolve(&c.record.key, Resolution::TakeZammad)
            .unwrap();
    }
    let third = manual_at(&w, w.now + Duration::minutes(10)).await;
    assert_eq!(third.counts.updated, 2, "{third:?}");
    assert_eq!(w.kimai_sim.timesheets().len(), 4, "still no duplicate");
    let rewritten = w.timesheet_of(1);
    assert_eq!(rewritten.id, t1);
    assert_eq!(
        w.wall_span(&rewritten).0.date(),
        at("2026-11-10 00:30").with_timezone(&w.tz).date_naive(),
        "moved to its local day"
    );
    let quiet = manual_at(&w, w.now + Duration::minutes(15)).await;
    assert_eq!(
        (
            quiet.counts.created,
            quiet.counts.updated,
            quiet.counts.deleted
        ),
        (0, 0, 0)
    );
}

/// A timesheet typed in by hand on `day` (Berlin wall time), `minutes` long.
fn by_hand(w: &support::World, wall: &str, minutes: i64, text: &str) -> u64 {
    let begin = berlin(wall);
    w.kimai_sim.add_timesheet_as_human(SimTimesheet {
        description: Some(text.into()),
        tags: Vec::new(),
        begin,
        end: Some(begin + Duration::minutes(minutes)),
        ..legacy("unused", 1, 1, begin, minutes)
    })
}

#[tokio::test]
async fn hand_made_bookings_wait_as_possible_twins_until_the_user_says() {
    let at = |d: &str| berlin(d);
    let w = world(&[
        (1, 1, 30, Some(1), at("2026-11-10 10:00")),
        (2, 2, 60, Some(1), at("2026-11-11 16:00")),
        (3, 2, 45, Some(1), at("2026-11-12 16:00")),
    ])
    .await;
    // Typed in by hand before switching: entry 1's work (title and length alike), entry 2's
    // (its ticket number); and an unrelated booking on entry 3's day.
    let twin1 = by_hand(&w, "2026-11-10 08:00", 35, "Printer offline (Acme)");
    let twin2 = by_hand(&w, "2026-11-11 13:00", 60, "Ticket 31002, remote session");
    let unrelated = by_hand(&w, "2026-11-12 09:00", 45, "Internal meeting");

    let first = manual_at(&w, w.now).await;
    assert_eq!(first.counts.created, 1, "only entry 3: {first:?}");
    let parked = w.store.parked().unwrap();
    let twin_of = |id: i64| {
        parked.iter().find_map(|p| match &p.reason {
            timebridge_core::sync::plan::ParkReason::PossibleTwin { twin } if p.key == key(id) => {
                Some(twin.timesheet_id)
            }
            _ => None,
        })
    };
    assert_eq!(twin_of(1), Some(twin1 as i64), "{parked:?}");
    assert_eq!(twin_of(2), Some(twin2 as i64), "{parked:?}");
    assert_eq!(w.kimai_sim.timesheets().len(), 4);
    assert!(w.kimai_sim.timesheet(unrelated).is_some());

    // Nothing decided: they keep waiting (the helpdesk has synced, but they were asked about)
    // — also in a scheduled run whose Kimai listing holds only what changed lately, after
    // entry 2's ticket moved.
    let again = manual_at(&w, w.now + Duration::minutes(5)).await;
    assert_eq!(again.counts.created, 0, "{again:?}");
    w.change_minutes(3, 46);
    let quick = scheduled(&w, w.now + Duration::minutes(7)).await;
    assert!(!quick.full, "an incremental run: {quick:?}");
    assert_eq!(quick.counts.created, 0, "never booked unasked: {quick:?}");
    assert_eq!(twin_of_now(&w, 2), Some(twin2 as i64));

    // Entry 1 is the same work: linked, not booked. Entry 2 is different work: booked too.
    assert_eq!(
        timebridge_core::engine::decide_twin(&w.store, &key(1), true).unwrap(),
        Some(twin1 as i64)
    );
    assert_eq!(
        timebridge_core::engine::decide_twin(&w.store, &key(2), false).unwrap(),
        Some(twin2 as i64)
    );
    assert_eq!(
        timebridge_core::engine::decide_twin(&w.store, &key(3), true).unwrap(),
        None,
        "entry 3 was never a twin"
    );
    let decided = manual_at(&w, w.now + Duration::minutes(10)).await;
    assert_eq!(decided.counts.created, 1, "{decided:?}");
    let links = w.store.all_links().unwrap();
    assert_eq!(links[&key(1)].timesheet_id, Some(twin1 as i64));
    assert_ne!(links[&key(2)].timesheet_id, Some(twin2 as i64));
    assert_eq!(w.kimai_sim.timesheets().len(), 5, "one booked, none twice");
    let quiet = manual_at(&w, w.now + Duration::minutes(15)).await;
    assert_eq!(
        (quiet.counts.created, quiet.counts.deleted),
        (0, 0),
        "{quiet:?}"
    );
    // The linked hand-made timesheet carries no marker, yet it is the entry's own: never
    // "deleted in Kimai" (whose recreate would book the work twice).
    let conflicts = w.store.conflicts().unwrap();
    assert!(
        conflicts
            .iter()
            .all(|c| c.record.kind != ConflictKind::DeletedInKimai),
        "{conflicts:?}"
    );
    assert_eq!(w.kimai_sim.timesheets().len(), 5);
}

/// The timesheet entry `id` waits for as a possible twin, if any.
fn twin_of_now(w: &support::World, id: i64) -> Option<i64> {
    w.store
        .parked()
        .unwrap()
        .into_iter()
        .find_map(|p| match p.reason {
            timebridge_core::sync::plan::ParkReason::PossibleTwin { twin } if p.key == key(id) => {
                Some(twin.timesheet_id)
            }
            _ => None,
        })
}

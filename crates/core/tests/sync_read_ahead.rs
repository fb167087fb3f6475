//! Independent reads are sent several at a time (engine/read_ahead.rs): while one ticket's
//! entries (or one timesheet lookup) is held by the simulator, the others are still read, and
//! the result is the same as reading one by one. Deterministic: the simulator's stall knob
//! holds the first read until the test has seen the others arrive (no timing).

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use support::{utc, world, World};
use timebridge_core::engine::read::{read_kimai_ids, read_zammad};
use timebridge_simulators::{Knobs, Stall, StallPoint};

/// Two entries on each of the four tickets (ticket 3 is unmapped: read all the same).
async fn four_tickets() -> World {
    let at = |h: u32| utc(&format!("2026-11-{:02}T10:00:00Z", 2 + h));
    world(&[
        (1, 1, 30, Some(1), at(0)),
        (2, 2, 30, Some(1), at(1)),
        (3, 3, 30, Some(1), at(2)),
        (4, 4, 30, Some(1), at(3)),
        (5, 1, 45, Some(2), at(4)),
        (6, 2, 45, Some(2), at(5)),
        (7, 3, 45, Some(2), at(6)),
        (8, 4, 45, Some(2), at(7)),
    ])
    .await
}

fn count(knobs: &Knobs, endpoint: &str) -> u64 {
    knobs.counts().get(endpoint).copied().unwrap_or(0)
}

/// Waits until the held request is held, then until `endpoint` has `n` requests or 5 s have
/// passed; releases the hold either way and says whether `n` was reached while held.
async fn others_read_while_held(knobs: Knobs, endpoint: &str, n: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while knobs.stalls_reached() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut reached = false;
    while Instant::now() < deadline {
        if count(&knobs, endpoint) >= n {
            reached = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    knobs.release_stalls();
    reached
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_entries_are_read_while_another_ticket_is_held() {
    let w = four_tickets().await;
    let client = &w.instances[0].client;
    let since = utc("2026-10-01T00:00:00Z");
    let (sequential, _) = read_zammad(client, since, &BTreeSet::new()).await.unwrap();

    let knobs = w.zammad_sim.knobs();
    knobs.reset_counts();
    knobs.add_stall(
        Stall::new(StallPoint::AfterProcessing).on_path("/api/v1/tickets/1/time_accountings"),
    );
    let endpoint = "GET /api/v1/tickets/{ticket_id}/time_accountings";
    let none = BTreeSet::new();
    let (read, overlapped) = tokio::join!(
        read_zammad(client, since, &none),
        others_read_while_held(knobs.clone(), endpoint, 4)
    );
    assert!(
        overlapped,
        "tickets 2–4 were not read while ticket 1 was held"
    );
    let (read, deleted) = read.unwrap();
    assert!(deleted.is_empty());
    assert_eq!(count(&knobs, endpoint), 4, "each ticket read once");
    // Same entries in the same order as one by one, every ticket read completely.
    let ids = |r: &timebridge_core::engine::read::ZammadRead| {
        r.entries.iter().map(|e| e.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&read), ids(&sequential));
    assert_eq!(ids(&read), vec![1, 5, 2, 6, 3, 7, 4, 8]);
    assert_eq!(
        read.tickets.keys().copied().collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_ticket_read_still_fails_the_whole_read() {
    let w = four_tickets().await;
    let knobs = w.zammad_sim.knobs();
    knobs.add_fault(
        timebridge_simulators::Fault::always(timebridge_simulators::FaultKind::Status {
            status: 500,
        })
        .on_path("/api/v1/tickets/3/time_accountings"),
    );
    let read = read_zammad(
        &w.instances[0].client,
        utc("2026-10-01T00:00:00Z"),
        &BTreeSet::new(),
    )
    .await;
    assert!(read.is_err(), "a partial read must never look complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timesheet_lookups_overlap_and_a_deleted_one_is_none() {
    let w = four_tickets().await;
    assert_eq!(
        w.sync().await.counts.created,
        6,
        "tickets 1, 2, 4 are mapped"
    );
    // The simulator numbers its timesheets as u64; the client speaks Kimai's ids as i64.
    let sim_ids: Vec<u64> = w.marked().values().map(|ts| ts.id).collect();
    let ids: Vec<i64> = sim_ids
        .iter()
        .map(|&id| i64::try_from(id).unwrap())
        .collect();
    assert_eq!(ids.len(), 6);
    assert!(w.kimai_sim.delete_timesheet_as_human(sim_ids[5]));

    let knobs = w.kimai_sim.knobs();
    knobs.reset_counts();
    knobs.add_stall(
        Stall::new(StallPoint::AfterProcessing).on_path(&format!("/api/timesheets/{}", ids[0])),
    );
    let endpoint = "GET /api/timesheets/{id}";
    let (found, overlapped) = tokio::join!(
        read_kimai_ids(&w.kimai, ids.clone()),
        others_read_while_held(knobs.clone(), endpoint, 6)
    );
    assert!(overlapped, "the other lookups waited for the held one");
    let found = found.unwrap();
    assert_eq!(found.keys().copied().collect::<Vec<_>>(), {
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted
    });
    assert!(found[&ids[5]].is_none(), "deleted in Kimai");
    assert!(ids[..5].iter().all(|id| found[id].is_some()));
}

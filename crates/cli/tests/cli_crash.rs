//! Crash test of exactly-once: the real `timebridge sync` is killed with SIGKILL
//! while Kimai writes are in flight, then run again to completion. Afterwards every own Zammad
//! entry has exactly one Kimai timesheet with its marker, none is extra, edits and deletions
//! are applied, and one more sync writes nothing.
//!
//! No timing races: the Kimai simulator *stalls* chosen writes (`Stall`), before the handler
//! runs (the request is in flight, nothing happened remotely) or after it (the write happened,
//! the answer and the local commit never do). The engine keeps up to 4 writes in flight
//! (pipelined writes), answered and committed in plan order, so the cases hold *every* write of a
//! window — the tag (written alone, before the timesheets), all creates, all updates and
//! deletes, each at the same or at mixed points — and the test polls until all are held,
//! kills the process, releases the stalls. Which write arrived first is up to the network:
//! with mixed points, what happened is read back from Kimai. Each case gets fresh simulators
//! and a fresh data directory.

#[path = "crash_world/mod.rs"]
mod crash_world;
mod support;

use crash_world::world;
use serde_json::json;
use timebridge_simulators::StallPoint;

fn label(point: StallPoint) -> &'static str {
    match point {
        StallPoint::BeforeProcessing => "before",
        StallPoint::AfterProcessing => "after",
    }
}

/// A first sync of three new entries writes the tag, then the three creates at once.
async fn create_phase(point: StallPoint) {
    let after = point == StallPoint::AfterProcessing;
    let case = format!("create phase, the tag held {}", label(point));
    let w = world().await;
    w.book(&[30, 45, 60]);
    w.killed_sync(1, point, &case).await;
    assert!(w.marked().is_empty(), "{case}: no create before the tag");
    let doc = w.finish(4 - u64::from(after), &case).await;
    assert_eq!(doc["adopted"], 0, "{case}: {doc}");
    assert_eq!(doc["counts"]["created"], 3, "{case}: {doc}");

    let case = format!("create phase, all three creates held {}", label(point));
    let w = world().await;
    w.book(&[30, 45, 60]);
    w.killed_sync_holding(2, &[point; 3], &case).await;
    let happened = if after { 3 } else { 0 };
    assert_eq!(
        w.marked().len(),
        happened,
        "{case}: creates done at the kill"
    );
    let doc = w.finish(3 - happened as u64, &case).await;
    assert_eq!(doc["adopted"], happened, "{case}: {doc}");
    assert_eq!(doc["counts"]["created"], 3 - happened, "{case}: {doc}");
}

/// After a complete sync of four entries, two are edited and two deleted in Zammad: the next
/// sync writes update, delete, update, delete (in entry order), all four at once.
async fn change_phase(point: StallPoint) {
    let case = format!("update/delete phase, all four held {}", label(point));
    let w = world().await;
    let ids = w.book(&[30, 45, 60, 75]);
    let (doc, writes) = w.sync_ok(&format!("{case}, setup")).await;
    assert_eq!(
        writes, 5,
        "{case}: setup writes the tag and four creates: {doc}"
    );
    w.assert_in_step(&format!("{case}, setup"));
    w.edit_and_delete(&ids);
    w.killed_sync_holding(1, &[point; 4], &case).await;
    let after = u64::from(point == StallPoint::AfterProcessing);
    let doc = w.finish(4 * (1 - after), &case).await;
    let counts = &doc["counts"];
    assert_eq!(counts["updated"], 2 * (1 - after), "{case}: {doc}");
    assert_eq!(counts["deleted"], 2 * (1 - after), "{case}: {doc}");
    // An update that reached Kimai is a rebase; a delete that did, a forgotten link.
    assert_eq!(counts["rebased"], 2 * after, "{case}: {doc}");
    assert_eq!(counts["forgotten"], 2 * after, "{case}: {doc}");
}

/// The updates and deletes that reached Kimai, read from it: `ids` booked 30, 45, 60, 75,
/// then edited to 20 and 90 (first, third) and deleted (second, fourth).
fn changes_done(w: &crash_world::World, ids: &[i64]) -> (u64, u64) {
    let marked = w.marked();
    let minutes = |id: i64| marked.iter().find(|(e, _)| *e == id).map(|(_, m)| *m);
    let updates = u64::from(minutes(ids[0]) == Some(20)) + u64::from(minutes(ids[2]) == Some(90));
    let deletes = u64::from(minutes(ids[1]).is_none()) + u64::from(minutes(ids[3]).is_none());
    (updates, deletes)
}

#[tokio::test]
async fn killed_before_each_create_step_the_rerun_creates_each_entry_once() {
    create_phase(StallPoint::BeforeProcessing).await;
}

#[tokio::test]
async fn killed_after_each_create_step_the_rerun_adopts_instead_of_duplicating() {
    create_phase(StallPoint::AfterProcessing).await;
}

#[tokio::test]
async fn killed_before_each_update_or_delete_the_rerun_carries_it_out() {
    change_phase(StallPoint::BeforeProcessing).await;
}

#[tokio::test]
async fn killed_after_each_update_or_delete_the_rerun_settles_it_without_rewriting() {
    change_phase(StallPoint::AfterProcessing).await;
}

/// Several writes in flight at the kill, some of which happened and some not: the re-run
/// adopts exactly the creates that happened and creates the others, once each.
#[tokio::test]
async fn killed_with_creates_in_flight_some_done_the_rerun_adopts_those_and_creates_the_rest() {
    use StallPoint::{AfterProcessing as After, BeforeProcessing as Before};
    let case = "three creates in flight, two done (after), one not (before)";
    let w = world().await;
    w.book(&[30, 45, 60]);
    w.killed_sync_holding(2, &[After, Before, After], case)
        .await;
    assert_eq!(w.marked().len(), 2, "{case}: creates done at the kill");
    let doc = w.finish(1, case).await;
    assert_eq!(doc["adopted"], 2, "{case}: {doc}");
    assert_eq!(doc["counts"]["created"], 1, "{case}: {doc}");
    assert_eq!(w.marked().len(), 3, "{case}: one timesheet per entry");
}

/// Updates and deletes in flight at the kill, two done and two not: the re-run carries out
/// exactly the two that did not happen and settles the others without writing them again.
#[tokio::test]
async fn killed_with_updates_and_deletes_in_flight_some_done_the_rerun_writes_only_the_rest() {
    use StallPoint::{AfterProcessing as After, BeforeProcessing as Before};
    let case = "update, delete, update, delete in flight, two done";
    let w = world().await;
    let ids = w.book(&[30, 45, 60, 75]);
    w.sync_ok(&format!("{case}, setup")).await;
    w.edit_and_delete(&ids);
    w.killed_sync_holding(1, &[After, Before, Before, After], case)
        .await;
    let (updates, deletes) = changes_done(&w, &ids);
    assert_eq!(updates + deletes, 2, "{case}: writes done at the kill");
    let doc = w.finish(2, case).await;
    let counts = &doc["counts"];
    assert_eq!(counts["rebased"], updates, "{case}: {doc}");
    assert_eq!(counts["forgotten"], deletes, "{case}: {doc}");
    assert_eq!(counts["updated"], 2 - updates, "{case}: {doc}");
    assert_eq!(counts["deleted"], 2 - deletes, "{case}: {doc}");
}

/// A crash during the recovering run is recovered from as well.
#[tokio::test]
async fn killed_again_while_recovering_the_third_run_still_ends_exactly_once() {
    use StallPoint::{AfterProcessing as After, BeforeProcessing as Before};
    let case = "create phase, one of three creates done at the kill, then both of the re-run's";
    let w = world().await;
    w.book(&[30, 45, 60]);
    w.killed_sync_holding(2, &[After, Before, Before], case)
        .await;
    assert_eq!(w.marked().len(), 1, "{case}");
    // The re-run adopts the done create (no write), then creates the other two and is killed
    // again with both done and unanswered.
    w.killed_sync_holding(1, &[After, After], case).await;
    assert_eq!(w.marked().len(), 3, "{case}");
    let doc = w.finish(0, case).await;
    assert_eq!(doc["adopted"], 2, "{case}: {doc}");
    assert_eq!(doc["counts"]["created"], 0, "{case}: {doc}");

    let case = "update/delete phase, all four held before, then the re-run's two done, two not";
    let w = world().await;
    let ids = w.book(&[30, 45, 60, 75]);
    w.sync_ok(case).await;
    w.edit_and_delete(&ids);
    w.killed_sync_holding(1, &[Before; 4], case).await;
    assert_eq!(
        changes_done(&w, &ids),
        (0, 0),
        "{case}: nothing done at the first kill"
    );
    // The re-run sends all four again; two land without their answer, two do not.
    w.killed_sync_holding(1, &[Before, After, After, Before], case)
        .await;
    let (updates, deletes) = changes_done(&w, &ids);
    assert_eq!(
        updates + deletes,
        2,
        "{case}: writes done at the second kill"
    );
    let doc = w.finish(2, case).await;
    let counts = &doc["counts"];
    assert_eq!(
        (&counts["rebased"], &counts["forgotten"]),
        (&json!(updates), &json!(deletes)),
        "{case}: {doc}"
    );
    assert_eq!(
        (&counts["updated"], &counts["deleted"]),
        (&json!(2 - updates), &json!(2 - deletes)),
        "{case}: {doc}"
    );
}

//! Crash test of exactly-once (issue #4): the real `timebridge sync` is killed with SIGKILL at
//! every remote write step, then run again to completion. Afterwards every own Zammad entry
//! has exactly one Kimai timesheet with its marker, none is extra, edits and deletions are
//! applied, and one more sync writes nothing.
//!
//! No timing races: the Kimai simulator *stalls* the k-th write (`Stall`), before the handler
//! runs (the request is in flight, nothing happened remotely; equally "write k-1 fully done,
//! local commit included") or after it (the write happened, the answer and the local commit
//! never do). The test polls until the request is held, kills the process, releases the stall.
//! Each case gets fresh simulators and a fresh data directory.

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

/// A first sync of three new entries writes the tag, then three creates: killed at each.
async fn create_phase(point: StallPoint) {
    const N: u32 = 4;
    for k in 1..=N {
        let case = format!("create phase, write {k} of {N}, killed {}", label(point));
        let w = world().await;
        w.book(&[30, 45, 60]);
        w.killed_sync(k, point, &case).await;
        let done = k - 1 + u32::from(point == StallPoint::AfterProcessing);
        let creates_done = done.saturating_sub(1) as usize;
        assert_eq!(
            w.marked().len(),
            creates_done,
            "{case}: creates done at the kill"
        );
        let doc = w.finish(u64::from(N - done), &case).await;
        let adopted = u64::from(point == StallPoint::AfterProcessing && k > 1);
        assert_eq!(doc["adopted"], adopted, "{case}: {doc}");
        assert_eq!(
            doc["counts"]["created"],
            u64::from(N - done) - u64::from(done == 0),
            "{case}: {doc}"
        );
    }
}

/// After a complete sync of four entries, two are edited and two deleted in Zammad: the next
/// sync writes update, delete, update, delete (in entry order), killed at each.
async fn change_phase(point: StallPoint) {
    const N: u32 = 4;
    for k in 1..=N {
        let case = format!(
            "update/delete phase, write {k} of {N}, killed {}",
            label(point)
        );
        let w = world().await;
        let ids = w.book(&[30, 45, 60, 75]);
        let (doc, writes) = w.sync_ok(&format!("{case}, setup")).await;
        assert_eq!(
            writes, 5,
            "{case}: setup writes the tag and four creates: {doc}"
        );
        w.assert_in_step(&format!("{case}, setup"));
        w.edit_and_delete(&ids);
        w.killed_sync(k, point, &case).await;
        let done = k - 1 + u32::from(point == StallPoint::AfterProcessing);
        let doc = w.finish(u64::from(N - done), &case).await;
        let counts = &doc["counts"];
        let (updates, deletes) = (2 - done.div_ceil(2), 2 - done / 2);
        assert_eq!(counts["updated"], updates, "{case}: {doc}");
        assert_eq!(counts["deleted"], deletes, "{case}: {doc}");
        // An update that reached Kimai is a rebase; a delete that did, a forgotten link.
        let after = u32::from(point == StallPoint::AfterProcessing);
        assert_eq!(counts["rebased"], after * (k % 2), "{case}: {doc}");
        assert_eq!(counts["forgotten"], after * (1 - k % 2), "{case}: {doc}");
    }
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

/// A crash during the recovering run is recovered from as well.
#[tokio::test]
async fn killed_again_while_recovering_the_third_run_still_ends_exactly_once() {
    let case = "create phase, killed after write 2, then after the re-run's write 1";
    let w = world().await;
    w.book(&[30, 45, 60]);
    w.killed_sync(2, StallPoint::AfterProcessing, case).await;
    // The re-run adopts create 1 (no write), then creates entry 2 and is killed again.
    w.killed_sync(1, StallPoint::AfterProcessing, case).await;
    assert_eq!(w.marked().len(), 2, "{case}");
    let doc = w.finish(1, case).await;
    assert_eq!(doc["adopted"], 1, "{case}: {doc}");
    assert_eq!(doc["counts"]["created"], 1, "{case}: {doc}");

    let case = "update/delete phase, killed before write 3, then after the re-run's write 1";
    let w = world().await;
    let ids = w.book(&[30, 45, 60, 75]);
    w.sync_ok(case).await;
    w.edit_and_delete(&ids);
    w.killed_sync(3, StallPoint::BeforeProcessing, case).await;
    // The re-run sends the third write (the update) again; it lands, the answer does not.
    w.killed_sync(1, StallPoint::AfterProcessing, case).await;
    let doc = w.finish(1, case).await;
    let counts = &doc["counts"];
    assert_eq!(
        (&counts["rebased"], &counts["deleted"], &counts["updated"]),
        (&json!(1), &json!(1), &json!(0)),
        "{case}: {doc}"
    );
}

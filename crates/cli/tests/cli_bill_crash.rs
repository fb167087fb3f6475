//! Crash test of billing: the real `timebridge bill apply` is killed with SIGKILL at
//! every remote write step — creating the tag, then per timesheet the tag PATCH and the export
//! toggle — held by the simulator's stall knob before the request is processed (nothing
//! happened in Kimai) or after (Kimai wrote, the answer and the local journal step never
//! came), and with two writes in flight at once (the apply carries records out
//! concurrently). Applying again resumes: every timesheet in scope ends tagged once and
//! exported once (an export toggle is never sent twice for a record that took it, so none is
//! flipped back), nothing outside the scope is touched, and one more apply writes nothing.

#[path = "bill_world/mod.rs"]
mod bill_world;
mod support;

use bill_world::{previous_month, world, World};
use timebridge_simulators::kimai::{Role, SimTimesheet};
use timebridge_simulators::StallPoint;

/// Customer 1 only: the tag, then 3 × (tag, export).
const APPLY: [&str; 5] = ["bill", "apply", "--customer", "1", "--no-sync"];
const WRITES: u32 = 1 + 2 * 3;

/// Whether Kimai's `k`-th write is an export toggle. The order: the tag created, the first
/// timesheet alone (tag, export: a refusal of the first export means no permission), then the
/// other two carried out together (both tags in flight, then both exports).
fn is_export(k: u32) -> bool {
    matches!(k, 3 | 6 | 7)
}

fn label(point: StallPoint) -> &'static str {
    match point {
        StallPoint::BeforeProcessing => "before",
        StallPoint::AfterProcessing => "after",
    }
}

fn snapshot(w: &World, ids: &[u64]) -> Vec<SimTimesheet> {
    ids.iter().map(|id| w.sheet(*id)).collect()
}

async fn case(k: u32, point: StallPoint) {
    let case = format!("write {k} of {WRITES}, killed {}", label(point));
    held(&[k], point, case).await;
}

/// Kills the apply while Kimai holds the writes numbered `ks` at `point`, applies again.
async fn held(ks: &[u32], point: StallPoint, case: String) {
    let k = ks.iter().copied().max().unwrap_or(1);
    let w = world(Role::Teamlead).await;
    let (tag_month, _) = previous_month();
    let tag = format!("billed:{tag_month}");
    let (doc, writes) = w.ok(&["sync", "--yes"], &format!("{case}, setup")).await;
    assert_eq!(
        (doc["outcome"].as_str(), writes),
        (Some("ok"), 0),
        "{case}: {doc}"
    );
    let outside = [w.ids.globex, w.ids.this_month, w.ids.earlier];
    let untouched = snapshot(&w, &outside);

    let exports_before = w.export_requests();
    let before = w.writes();
    w.killed_holding(&APPLY, ks, point, &case).await;
    let (doc, _) = w.ok(&APPLY, &format!("{case}, resume")).await;
    assert_eq!(doc["state"], "done", "{case}: {doc}");
    assert_eq!(
        doc["resumed"],
        k > 1,
        "{case}: the run exists once the tag does: {doc}"
    );
    // A request held before processing never happened and is sent again; one held after
    // processing did happen and is never repeated.
    let before_processing = point == StallPoint::BeforeProcessing;
    let resent = if before_processing {
        ks.len() as u64
    } else {
        0
    };
    assert_eq!(
        w.writes() - before,
        u64::from(WRITES) + resent,
        "{case}: writes over both runs: {doc}"
    );
    let held_exports = ks.iter().filter(|k| is_export(**k)).count() as u64;
    assert_eq!(
        w.export_requests() - exports_before,
        3 + if before_processing { held_exports } else { 0 },
        "{case}: export toggles: one per timesheet"
    );
    for id in w.ids.acme {
        let t = w.sheet(id);
        assert!(t.exported, "{case}: {id} exported");
        assert_eq!(
            t.tags.iter().filter(|t| **t == tag).count(),
            1,
            "{case}: {id} tagged once: {:?}",
            t.tags
        );
    }
    assert!(
        w.sheet(w.ids.acme[1]).tags.iter().any(|t| t == "zammad"),
        "{case}: other tags kept"
    );
    assert_eq!(
        snapshot(&w, &outside),
        untouched,
        "{case}: nothing outside the scope"
    );
    let tags = w.kimai.tag_names();
    assert_eq!(
        tags.iter().filter(|t| **t == tag).count(),
        1,
        "{case}: {tags:?}"
    );

    let (again, writes) = w.ok(&APPLY, &format!("{case}, again")).await;
    assert_eq!(writes, 0, "{case}: a further apply writes nothing: {again}");
    assert!(again["run_id"].is_null(), "{case}: {again}");
    let (list, _) = w.ok(&["bill", "list"], &case).await;
    assert_eq!(
        list["runs"].as_array().unwrap().len(),
        1,
        "{case}: one run: {list}"
    );
}

#[tokio::test]
async fn killed_before_each_write_the_resumed_apply_bills_each_timesheet_once() {
    for k in 1..=WRITES {
        case(k, StallPoint::BeforeProcessing).await;
    }
}

#[tokio::test]
async fn killed_after_each_write_the_resumed_apply_never_repeats_or_flips_it() {
    for k in 1..=WRITES {
        case(k, StallPoint::AfterProcessing).await;
    }
}

#[tokio::test]
async fn killed_with_two_writes_in_flight_the_resumed_apply_bills_each_timesheet_once() {
    for point in [StallPoint::BeforeProcessing, StallPoint::AfterProcessing] {
        for ks in [[4, 5], [6, 7]] {
            let what = if is_export(ks[0]) { "exports" } else { "tags" };
            let case = format!(
                "two {what} in flight (writes {ks:?}), killed {}",
                label(point)
            );
            held(&ks, point, case).await;
        }
    }
}

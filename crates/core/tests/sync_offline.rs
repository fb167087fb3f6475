//! Offline and half-done runs end to end (simulators over real HTTP, a real SQLite file):
//! a helpdesk or Kimai that is down ends the run offline having written nothing, and a run
//! broken in the middle of applying is finished by the next one — every entry exactly once.

mod support;

use timebridge_core::RunOutcome;
use timebridge_simulators::{Fault, FaultKind};

use support::{local, world, SeedEntry, World};

const ENTRIES: usize = 8;

fn entries() -> Vec<SeedEntry> {
    let berlin = |s: &str| local(chrono_tz::Europe::Berlin, s);
    (0..ENTRIES as i64)
        .map(|i| {
            let ticket = [1, 2, 4][i as usize % 3];
            let at = berlin(&format!("2026-11-{:02} {:02}:00", 2 + i, 9 + i % 5));
            (i + 1, ticket, 15 + 5 * i, Some(1 + i % 2), at)
        })
        .collect()
}

/// Every entry has exactly one timesheet (`marked` panics on a duplicate), nothing is left
/// in the outbox, and a further run has nothing to do.
async fn assert_complete(w: &World) {
    assert_eq!(w.marked().len(), ENTRIES, "nothing lost");
    assert!(w.store.pending_outbox().unwrap().is_empty());
    assert_eq!(w.store.links_for("acme").unwrap().len(), ENTRIES);
    w.kimai_sim.knobs().reset_counts();
    let again = w.sync().await;
    assert_eq!(again.outcome, RunOutcome::Ok, "{:?}", again.error);
    assert!(again.actions.is_empty(), "{:#?}", again.actions);
    assert_eq!(w.kimai_writes(), 0);
}

fn assert_nothing_written(w: &World) {
    assert_eq!(w.kimai_writes(), 0);
    assert!(w.marked().is_empty());
    assert!(w.store.links_for("acme").unwrap().is_empty());
}

async fn pause() {
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
}

#[tokio::test]
async fn an_unreachable_zammad_ends_offline_then_one_complete_sync() {
    let w = world(&entries()).await;
    w.zammad_sim
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Offline, "{:?}", run.error);
    assert!(run.error.unwrap().contains("Zammad acme"));
    assert!(run.actions.is_empty());
    assert_nothing_written(&w);

    w.zammad_sim.knobs().clear_faults();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created as usize, ENTRIES);
    assert_complete(&w).await;
}

#[tokio::test]
async fn a_stopped_zammad_ends_offline_then_one_complete_sync() {
    let mut w = world(&entries()).await;
    let addr = w.zammad_server.take().unwrap().addr();
    pause().await;
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Offline, "{:?}", run.error);
    assert_nothing_written(&w);

    w.zammad_server = Some(w.zammad_sim.start_at(addr).await.unwrap());
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created as usize, ENTRIES);
    assert_complete(&w).await;
}

#[tokio::test]
async fn a_stopped_kimai_ends_offline_then_one_complete_sync() {
    let mut w = world(&entries()).await;
    let addr = w.kimai_server.take().unwrap().addr();
    pause().await;
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Offline, "{:?}", run.error);
    assert!(run.error.unwrap().contains("Kimai"));
    assert_nothing_written(&w);

    w.kimai_server = Some(w.kimai_sim.start_at(addr).await.unwrap());
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created as usize, ENTRIES);
    assert_complete(&w).await;
}

/// Lets `AFTER` timesheet creates through, then strikes the next one with `kind`: the first
/// rule (a zero delay, i.e. a pass-through) is used up by the first creates, then the second
/// fires.
const AFTER: usize = 3;

fn fault_after_creates(w: &World, kind: FaultKind) {
    let creates = |f: Fault| f.on_path("/api/timesheets").on_method("POST");
    let knobs = w.kimai_sim.knobs();
    knobs.add_fault(creates(Fault::always(FaultKind::Slow { millis: 0 })).times(AFTER as u32));
    knobs.add_fault(creates(Fault::always(kind)).times(1));
}

/// The run that met the fault went on and booked everything: the struck create was settled
/// in the same run (`engine::lost`), and the next run has nothing to do.
async fn assert_finished_in_one_run(w: &World, broken: &timebridge_core::engine::RunReport) {
    assert_eq!(broken.outcome, RunOutcome::Ok, "{:?}", broken.error);
    assert_eq!(
        broken.counts.created as usize, ENTRIES,
        "{:?}",
        broken.counts
    );
    assert_eq!(broken.counts.recovered, 1);
    assert_eq!(broken.counts.failed, 0);
    assert!(w.store.pending_outbox().unwrap().is_empty());
    let next = w.sync().await;
    assert_eq!(next.outcome, RunOutcome::Ok, "{:?}", next.error);
    assert_eq!((next.adopted, next.counts.created), (0, 0));
    assert_complete(w).await;
}

#[tokio::test]
async fn a_server_error_in_the_middle_of_applying_is_sent_again_in_the_same_run() {
    let w = world(&entries()).await;
    fault_after_creates(&w, FaultKind::Status { status: 500 });
    let broken = w.sync().await;
    assert_eq!(
        w.kimai_requests("POST /api/timesheets") as usize,
        ENTRIES + 1,
        "the create Kimai answered with an error was sent once more"
    );
    assert_finished_in_one_run(&w, &broken).await;
}

#[tokio::test]
async fn a_connection_reset_in_the_middle_of_applying_is_settled_without_duplicates() {
    let w = world(&entries()).await;
    fault_after_creates(&w, FaultKind::Reset);
    let broken = w.sync().await;
    assert_eq!(
        w.kimai_requests("POST /api/timesheets") as usize,
        ENTRIES,
        "the reset create happened: found by its marker, not sent again"
    );
    assert_finished_in_one_run(&w, &broken).await;
}

//! Lost answers on a flaky network are settled in the same run (`engine::lost`): a create
//! whose answer broke off is found by its marker, one Kimai answered with an error without
//! storing is sent again, one behind a gateway timeout is never resent blindly; the run goes
//! on with the other writes and books every entry exactly once.

mod support;

use timebridge_core::RunOutcome;
use timebridge_simulators::{Fault, FaultKind};

use support::{local, world, World};

async fn three_entries() -> World {
    let at = local(chrono_tz::Europe::Berlin, "2026-11-10 11:00");
    world(&[
        (1, 1, 45, Some(1), at),
        (2, 2, 30, Some(1), at),
        (3, 1, 15, Some(1), at),
    ])
    .await
}

fn post_fault(w: &World, kind: FaultKind) {
    w.kimai_sim.knobs().add_fault(
        Fault::always(kind)
            .on_path("/api/timesheets")
            .on_method("POST")
            .times(1),
    );
}

#[tokio::test]
async fn a_create_whose_answer_broke_off_is_found_by_its_marker_in_the_same_run() {
    let w = three_entries().await;
    post_fault(&w, FaultKind::Reset);
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 3, "{:?}", run.counts);
    assert_eq!(run.counts.recovered, 1);
    assert_eq!(run.counts.failed, 0);
    assert_eq!(
        w.marked().len(),
        3,
        "one timesheet each (`marked` panics on a twin)"
    );
    assert_eq!(
        w.kimai_requests("POST /api/timesheets"),
        3,
        "nothing sent twice"
    );
    assert!(w.store.pending_outbox().unwrap().is_empty());
}

#[tokio::test]
async fn a_create_kimai_answered_without_storing_is_sent_again() {
    for kind in [
        FaultKind::Status { status: 500 },
        FaultKind::Status { status: 503 },
    ] {
        let w = three_entries().await;
        post_fault(&w, kind.clone());
        let run = w.sync().await;
        assert_eq!(run.outcome, RunOutcome::Ok, "{kind:?}: {:?}", run.error);
        assert_eq!(run.counts.created, 3, "{kind:?}: {:?}", run.counts);
        assert_eq!(run.counts.recovered, 1);
        assert_eq!(w.marked().len(), 3);
        assert_eq!(w.kimai_requests("POST /api/timesheets"), 4, "one resend");
    }
}

#[tokio::test]
async fn a_create_whose_connection_broke_before_kimai_stored_it_is_sent_again_after_a_second_look()
{
    let w = three_entries().await;
    post_fault(&w, FaultKind::ResetBefore);
    let started = std::time::Instant::now();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 3, "{:?}", run.counts);
    assert_eq!(run.counts.recovered, 1);
    assert_eq!(w.marked().len(), 3, "one timesheet each");
    assert_eq!(w.kimai_requests("POST /api/timesheets"), 4, "one resend");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "looked for again after a wait"
    );
}

#[tokio::test]
async fn a_create_behind_a_gateway_timeout_is_left_for_the_next_run_never_resent() {
    let w = three_entries().await;
    post_fault(&w, FaultKind::Status { status: 504 });
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Offline, "{:?}", run.counts);
    assert_eq!(
        run.counts.created, 2,
        "the others went on: {:?}",
        run.counts
    );
    assert_eq!(run.counts.failed, 1);
    assert_eq!(w.kimai_requests("POST /api/timesheets"), 3, "not resent");
    assert_eq!(w.store.pending_outbox().unwrap().len(), 1, "left sent");
    let next = w.sync().await;
    assert_eq!(next.outcome, RunOutcome::Ok, "{:?}", next.error);
    assert_eq!(next.counts.created, 1);
    assert_eq!(w.marked().len(), 3);
}

#[tokio::test]
async fn the_run_counts_the_requests_it_sent_again_per_server() {
    let w = three_entries().await;
    // (These worlds' transports do not retry; the clients read a garbled body again.)
    w.kimai_sim.knobs().add_fault(
        Fault::always(FaultKind::MalformedJson)
            .on_method("GET")
            .times(2),
    );
    w.zammad_sim.knobs().add_fault(
        Fault::always(FaultKind::MalformedJson)
            .on_method("GET")
            .times(1),
    );
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 3);
    assert_eq!(
        (run.retries.kimai, run.retries.zammad),
        (2, 1),
        "{:?}",
        run.retries
    );
    let quiet = w.sync().await;
    assert_eq!(
        (quiet.retries.kimai, quiet.retries.zammad),
        (0, 0),
        "per run"
    );
}

#[tokio::test]
async fn an_error_no_repeat_fixes_stops_the_run_as_failed() {
    let w = three_entries().await;
    post_fault(&w, FaultKind::Status { status: 401 });
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Failed, "{:?}", run.counts);
    assert!(
        run.error.as_deref().unwrap_or("").contains("Kimai"),
        "{:?}",
        run.error
    );
    assert_eq!(
        run.counts.recovered, 0,
        "not looked for: a rejected token is no lost answer"
    );
}

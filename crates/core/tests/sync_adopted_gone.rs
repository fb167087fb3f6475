//! Regression (fault soak seed 4): a timesheet whose create answer was lost is
//! adopted by its marker in a run that then fails reading Zammad, so its link never learns the
//! entry's ticket; the entry is deleted in Zammad. The next complete full run must delete the
//! timesheet (as it does for any linked entry gone from Zammad), not leave it in Kimai for
//! good to be billed.
//!
//! A run settles lost answers itself now (`engine::lost`), unless the server is failing: here
//! every create's answer is lost, so the run stops after five in a row and leaves them all
//! for the next run, as any run did before.

mod support;

use timebridge_core::RunOutcome;
use timebridge_simulators::{Fault, FaultKind};

use support::{local, world};

#[tokio::test]
async fn an_adopted_timesheet_whose_entry_is_deleted_before_its_ticket_is_known_is_deleted() {
    let at = local(chrono_tz::Europe::Berlin, "2026-11-10 11:00");
    let w = world(&[
        (1, 1, 45, Some(1), at),
        (2, 2, 30, Some(1), at),
        (3, 1, 15, Some(1), at),
        (4, 2, 20, Some(1), at),
        (5, 1, 25, Some(1), at),
    ])
    .await;
    let kimai = w.kimai_sim.knobs();
    // Every create reaches Kimai, no answer does.
    kimai.add_fault(
        Fault::always(FaultKind::Reset)
            .on_path("/api/timesheets")
            .on_method("POST"),
    );
    let lost = w.sync().await;
    assert_eq!(lost.outcome, RunOutcome::Offline, "{:?}", lost.error);
    assert_eq!(lost.counts.created, 0, "{:?}", lost.counts);
    assert_eq!(lost.counts.recovered, 0, "a failing server is not asked");
    assert_eq!(w.marked().len(), 5, "the creates happened");
    assert_eq!(w.store.pending_outbox().unwrap().len(), 5, "left sent");
    kimai.clear_faults();

    // The next run adopts them, then cannot read Zammad.
    let zammad = w.zammad_sim.knobs();
    zammad.add_fault(Fault::always(FaultKind::Status { status: 500 }).on_path("/api/"));
    let failed = w.sync().await;
    assert_ne!(failed.outcome, RunOutcome::Ok, "{:?}", failed.error);
    assert_eq!(failed.adopted, 5);
    assert!(w.store.pending_outbox().unwrap().is_empty());
    zammad.clear_faults();

    assert!(w.zammad_sim.delete_time_accounting_as_admin(1));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.deleted, 1, "{:#?}", run.actions);
    let left: Vec<i64> = w.marked().into_keys().collect();
    assert_eq!(
        left,
        vec![2, 3, 4, 5],
        "the adopted entry's timesheet is gone, the others kept"
    );
}

//! Regression (fault soak seed 4): a timesheet whose create answer was lost is
//! adopted by its marker in a run that then fails reading Zammad, so its link never learns the
//! entry's ticket; the entry is deleted in Zammad. The next complete full run must delete the
//! timesheet (as it does for any linked entry gone from Zammad), not leave it in Kimai for
//! good to be billed.

mod support;

use timebridge_core::RunOutcome;
use timebridge_simulators::{Fault, FaultKind};

use support::{local, world};

#[tokio::test]
async fn an_adopted_timesheet_whose_entry_is_deleted_before_its_ticket_is_known_is_deleted() {
    let at = local(chrono_tz::Europe::Berlin, "2026-11-10 11:00");
    let w = world(&[(1, 1, 45, Some(1), at), (2, 2, 30, Some(1), at)]).await;
    let kimai = w.kimai_sim.knobs();
    // Entry 1's create reaches Kimai, its answer does not.
    kimai.add_fault(
        Fault::always(FaultKind::Reset)
            .on_path("/api/timesheets")
            .on_method("POST")
            .times(1),
    );
    let lost = w.sync().await;
    assert_eq!(lost.outcome, RunOutcome::Offline, "{:?}", lost.error);
    // The two creates are in flight together: whichever reached Kimai first lost its answer,
    // the other was answered and committed.
    assert_eq!(lost.counts.created, 1, "{:?}", lost.counts);
    assert_eq!(w.marked().len(), 2, "both creates happened");
    let unanswered = w.store.pending_outbox().unwrap();
    assert_eq!(unanswered.len(), 1, "the lost answer's create is left sent");
    let (gone, kept) = match unanswered[0].key.time_accounting_id {
        1 => (1, 2),
        _ => (2, 1),
    };
    kimai.clear_faults();

    // The next run adopts it, then cannot read Zammad.
    let zammad = w.zammad_sim.knobs();
    zammad.add_fault(Fault::always(FaultKind::Status { status: 500 }).on_path("/api/"));
    let failed = w.sync().await;
    assert_ne!(failed.outcome, RunOutcome::Ok, "{:?}", failed.error);
    assert_eq!(failed.adopted, 1);
    assert!(w.store.pending_outbox().unwrap().is_empty());
    zammad.clear_faults();

    assert!(w.zammad_sim.delete_time_accounting_as_admin(gone));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.deleted, 1, "{:#?}", run.actions);
    let left: Vec<i64> = w.marked().into_keys().collect();
    assert_eq!(
        left,
        vec![kept],
        "the adopted entry's timesheet is gone, the other one's kept"
    );
}

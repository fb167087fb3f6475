//! What the engine shows the user must stay true: a parked entry or an open conflict whose
//! cause went away is no longer shown after the next sync (simulators over real HTTP, a real
//! SQLite file).

mod support;

use chrono::{DateTime, Utc};
use timebridge_core::sync::plan::{ConflictKind, ParkReason};
use timebridge_core::RunOutcome;

use support::{default_settings, key, local, world, UNMAPPED_TICKET};

fn berlin(s: &str) -> DateTime<Utc> {
    local(chrono_tz::Europe::Berlin, s)
}

#[tokio::test]
async fn a_parked_entry_deleted_in_zammad_is_no_longer_shown() {
    let w = world(&[(1, UNMAPPED_TICKET, 40, Some(1), berlin("2026-11-12 15:00"))]).await;
    w.sync().await;
    assert_eq!(w.store.parked().unwrap().len(), 1);
    assert!(w.zammad_sim.delete_time_accounting_as_admin(1));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert!(
        w.store.parked().unwrap().is_empty(),
        "the entry is gone: {:?}",
        w.store.parked().unwrap()
    );
}

#[tokio::test]
async fn an_unapplied_correction_deleted_in_zammad_is_no_longer_shown() {
    let w = world(&[(1, 2, -15, Some(1), berlin("2026-11-10 13:00"))]).await;
    w.sync().await;
    assert!(matches!(
        w.store.parked().unwrap()[0].reason,
        ParkReason::UnappliedCorrection { secs_left: 900, .. }
    ));
    assert!(w.zammad_sim.delete_time_accounting_as_admin(1));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert!(
        w.store.parked().unwrap().is_empty(),
        "{:?}",
        w.store.parked().unwrap()
    );
}

#[tokio::test]
async fn a_correction_changed_to_net_completely_is_no_longer_parked() {
    let w = world(&[
        (1, 1, 10, Some(1), berlin("2026-11-12 09:00")),
        (2, 1, -25, Some(1), berlin("2026-11-12 10:00")),
    ])
    .await;
    w.sync().await;
    assert!(matches!(
        w.store.parked().unwrap()[0].reason,
        ParkReason::UnappliedCorrection { secs_left: 900, .. }
    ));
    assert!(w.marked().is_empty(), "#1 is cancelled");
    w.change_minutes(2, -10);
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert!(
        w.store.parked().unwrap().is_empty(),
        "{:?}",
        w.store.parked().unwrap()
    );
    assert!(w.marked().is_empty(), "still nothing to book");
}

#[tokio::test]
async fn a_synced_entry_that_lost_and_regained_its_mapping_is_no_longer_parked() {
    let mut w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1);

    let mut unmapped = default_settings();
    unmapped.rules.clear();
    w.instances = vec![w.instance_conn(unmapped)];
    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.counts.parked, 1, "{:#?}", run.actions);
    assert_eq!(w.store.parked().unwrap()[0].key, key(1));
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(w.kimai_sim.timesheet(ts.id).unwrap(), ts, "left as it is");

    w.instances = vec![w.instance_conn(default_settings())];
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(w.kimai_writes(), 0, "in step again");
    assert!(
        w.store.parked().unwrap().is_empty(),
        "mapped again: {:?}",
        w.store.parked().unwrap()
    );
}

#[tokio::test]
async fn a_conflict_undone_on_both_sides_is_no_longer_open() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1);
    w.change_minutes(1, 45);
    assert!(w
        .kimai_sim
        .edit_timesheet_as_human(ts.id, |t| t.description = Some("mine".into())));
    w.sync().await;
    assert_eq!(
        w.store.conflicts().unwrap()[0].record.kind,
        ConflictKind::BothChanged
    );
    // Both sides go back to what was synced.
    w.change_minutes(1, 30);
    let original = ts.description.clone();
    assert!(w
        .kimai_sim
        .edit_timesheet_as_human(ts.id, |t| t.description = original));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert!(run.actions.is_empty(), "{:#?}", run.actions);
    assert!(
        w.store.conflicts().unwrap().is_empty(),
        "nothing left to decide: {:?}",
        w.store.conflicts().unwrap()
    );
}

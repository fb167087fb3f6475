//! Regression tests for gaps a review found: a rebuilt link's deleted entry, a merged
//! timesheet carrying two markers, a deletion the user resolved over their own edit, and a
//! parked entry that has aged out of the horizon.

mod support;

use std::collections::BTreeSet;

use chrono::Duration;
use support::{berlin, default_settings, key, manual_at, world, UNMAPPED_ORG, UNMAPPED_TICKET};
use timebridge_core::sync::entries::{InstanceKey, Marker};
use timebridge_core::sync::mapping::{MappingRule, Scope};
use timebridge_core::sync::plan::{Action, ConflictKind, ParkReason, Resolution};
use timebridge_core::{RunOutcome, RunTrigger, Store};
use timebridge_simulators::kimai::SimTimesheet;

#[tokio::test]
async fn an_entry_deleted_in_zammad_after_a_rebuild_is_a_conflict_not_forgotten() {
    let mut w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 1, 45, Some(1), berlin("2026-11-11 11:00")),
    ])
    .await;
    w.sync().await;
    let ts = w.timesheet_of(2).id;
    // A new laptop: a fresh database, links rebuilt from Kimai (no tickets known).
    let dir = tempfile::tempdir().unwrap();
    w.store = Store::open(&dir.path().join("fresh.db")).unwrap();
    let keys = BTreeSet::from([InstanceKey::new("acme").unwrap()]);
    let rebuilt = w.engine().rebuild_links_for(&keys, None).await.unwrap();
    assert_eq!(rebuilt.linked.len(), 2);
    assert!(w.zammad_sim.delete_time_accounting_as_admin(2));

    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert!(
        run.actions.iter().any(|a| matches!(a,
            Action::Conflict { kind: ConflictKind::DeletedAtSourceEditedInKimai, key: k, .. }
                if *k == key(2))),
        "{:#?}",
        run.actions
    );
    assert_eq!(run.counts.deleted, 0, "never deleted on an unknown base");
    assert!(w.kimai_sim.timesheets().iter().any(|t| t.id == ts));
}

#[tokio::test]
async fn entries_named_by_a_merged_timesheet_are_parked_not_created_again() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 1, 45, Some(1), berlin("2026-11-11 11:00")),
        (3, 1, 15, Some(1), berlin("2026-11-12 12:00")),
    ])
    .await;
    let acme = |id| Marker::new(InstanceKey::new("acme").unwrap(), id).render();
    let begin = berlin("2026-11-10 09:00");
    w.kimai_sim.add_timesheet_as_human(SimTimesheet {
        id: 0,
        user: 2,
        project: 1,
        activity: 1,
        begin,
        end: Some(begin + Duration::minutes(75)),
        timezone: String::new(),
        description: Some(format!("merged {} {}", acme(1), acme(2))),
        tags: Vec::new(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: None,
    });
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 1, "only entry 3: {:#?}", run.actions);
    let parked: Vec<_> = w
        .store
        .parked()
        .unwrap()
        .into_iter()
        .map(|p| (p.key.time_accounting_id, p.reason))
        .collect();
    assert_eq!(
        parked,
        vec![
            (1, ParkReason::AmbiguousMarker),
            (2, ParkReason::AmbiguousMarker)
        ]
    );
}

#[tokio::test]
async fn undoing_an_accepted_deletion_brings_back_the_users_edit() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1).id;
    assert!(w.kimai_sim.edit_timesheet_as_human(ts, |t| {
        t.description = Some(format!("{} (checked)", t.description.clone().unwrap()));
    }));
    assert!(w.zammad_sim.delete_time_accounting_as_admin(1));
    let conflicted = w.sync().await;
    assert_eq!(conflicted.counts.conflicts, 1, "{:#?}", conflicted.actions);
    w.store
        .resolve(&key(1), Resolution::AcceptDeletion)
        .unwrap();
    let deleting = w.sync().await;
    assert_eq!(deleting.counts.deleted, 1, "{:#?}", deleting.actions);

    let undo = w
        .engine()
        .undo_run(deleting.run_id, RunTrigger::Cli)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(undo.undone.len(), 1, "{undo:#?}");
    let back = w.timesheet_of(1);
    assert!(
        back.description.unwrap().ends_with("(checked)"),
        "the record as it was deleted, with the user's edit"
    );
}

#[tokio::test]
async fn a_parked_entry_older_than_the_horizon_is_booked_once_it_is_mapped() {
    let mut w = world(&[(1, UNMAPPED_TICKET, 40, Some(1), berlin("2026-10-15 10:00"))]).await;
    let first = w.sync().await;
    assert_eq!(first.counts.parked, 1);
    // December: October is now older than the horizon (November and December).
    let december = berlin("2026-12-10 12:00");
    let aged = manual_at(&w, december).await;
    assert_eq!(aged.counts.created, 0);
    assert_eq!(
        w.store.parked().unwrap().len(),
        1,
        "still waiting, not dropped"
    );

    let mut settings = default_settings();
    settings.rules.push(MappingRule {
        scope: Scope::Organization(UNMAPPED_ORG),
        customer: 1,
        project: 2,
        activity: None,
    });
    w.instances = vec![w.instance_conn(settings)];
    let mapped = manual_at(&w, december).await;
    assert_eq!(mapped.counts.created, 1, "{:#?}", mapped.actions);
    assert!(w.store.parked().unwrap().is_empty());
    assert_eq!(w.link_month(1).as_deref(), Some("2026-10"));
}

// A created timesheet adopted before its ticket was known follows the entry's deletion:
// `sync_adopted_gone.rs`.

#[tokio::test]
async fn a_timesheet_adopted_from_kimai_whose_entry_is_missing_is_a_conflict_not_a_delete() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1).id;
    // A fresh database adopts the marked timesheet (no outbox row: not created here), and the
    // entry is no longer in Zammad.
    let mut w = w;
    let dir = tempfile::tempdir().unwrap();
    w.store = Store::open(&dir.path().join("fresh.db")).unwrap();
    assert!(w.zammad_sim.delete_time_accounting_as_admin(1));
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.adopted, 1);
    assert_eq!(run.counts.deleted, 0, "{:#?}", run.actions);
    assert_eq!(run.counts.conflicts, 1, "{:#?}", run.actions);
    assert!(w.kimai_sim.timesheets().iter().any(|t| t.id == ts));
}

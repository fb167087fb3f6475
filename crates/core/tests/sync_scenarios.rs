//! Sync engine scenarios against the simulators (real HTTP, a real SQLite file): conflicts and
//! their resolution, billed records, deletes on either side, and entries waiting for a
//! mapping. Each test checks what Kimai really holds, what reached it, and what the engine
//! reported and stored.

mod support;

use timebridge_core::sync::mapping::{MappingRule, Scope};
use timebridge_core::sync::plan::{Action, ConflictKind, ParkReason, Resolution};
use timebridge_core::{RunOutcome, ZammadInstance};

use support::{key, local, wall, world, UNMAPPED_ORG, UNMAPPED_TICKET};

fn berlin(s: &str) -> chrono::DateTime<chrono::Utc> {
    local(chrono_tz::Europe::Berlin, s)
}

fn conflict_kinds(w: &support::World) -> Vec<(i64, ConflictKind)> {
    w.store
        .conflicts()
        .unwrap()
        .into_iter()
        .map(|c| (c.record.key.time_accounting_id, c.record.kind))
        .collect()
}

/// Appends " (checked)" to a timesheet's description, as the user would in Kimai.
fn user_edits_description(w: &support::World, ts: u64) {
    assert!(w.kimai_sim.edit_timesheet_as_human(ts, |t| {
        t.description = Some(format!(
            "{} (checked)",
            t.description.clone().unwrap_or_default()
        ));
    }));
}

#[tokio::test]
async fn both_sides_changed_differently_is_a_conflict_and_kimai_is_untouched() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    assert_eq!(w.sync().await.counts.created, 1);
    let ts = w.timesheet_of(1);
    w.change_minutes(1, 45);
    user_edits_description(&w, ts.id);
    let edited = w.kimai_sim.timesheet(ts.id).unwrap();

    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.conflicts, 1, "{:#?}", run.actions);
    assert_eq!(conflict_kinds(&w), vec![(1, ConflictKind::BothChanged)]);
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(
        w.kimai_sim.timesheet(ts.id).unwrap(),
        edited,
        "Kimai untouched"
    );
    // Still a conflict on the next run, still untouched.
    let again = w.sync().await;
    assert_eq!(again.counts.conflicts, 1);
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn the_same_change_on_both_sides_is_a_rebase_not_a_conflict() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1);
    assert_eq!(
        w.wall_span(&ts),
        (wall("2026-11-10 09:30"), wall("2026-11-10 10:00"))
    );
    // Zammad: 30 → 45 minutes; the user already moved the begin to 09:15 in Kimai.
    w.change_minutes(1, 45);
    assert!(w.kimai_sim.edit_timesheet_as_human(ts.id, |t| {
        t.begin = berlin("2026-11-10 09:15");
    }));

    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.rebased, 1, "{:#?}", run.actions);
    assert_eq!(run.counts.conflicts, 0);
    assert!(w.store.conflicts().unwrap().is_empty());
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(
        w.wall_span(&w.timesheet_of(1)),
        (wall("2026-11-10 09:15"), wall("2026-11-10 10:00"))
    );
    let next = w.preview().await;
    assert!(next.actions.is_empty(), "base moved: {:#?}", next.actions);
}

#[tokio::test]
async fn resolving_take_zammad_or_keep_kimai_is_applied_by_the_next_sync() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 2, 20, Some(1), berlin("2026-11-11 11:00")),
    ])
    .await;
    w.sync().await;
    let (ts1, ts2) = (w.timesheet_of(1), w.timesheet_of(2));
    for (entry, ts) in [(1, &ts1), (2, &ts2)] {
        w.change_minutes(entry, 60);
        user_edits_description(&w, ts.id);
    }
    let run = w.sync().await;
    assert_eq!(run.counts.conflicts, 2);
    let kept = w.kimai_sim.timesheet(ts2.id).unwrap();

    w.store.resolve(&key(1), Resolution::TakeZammad).unwrap();
    w.store.resolve(&key(2), Resolution::KeepKimai).unwrap();
    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.updated, 1, "{:#?}", run.actions);
    assert_eq!(run.counts.kept_user_edits, 1);
    assert_eq!(w.kimai_requests("PATCH"), 1, "only entry 1 is written");
    // Zammad's version of entry 1: 60 minutes, Zammad's description (the user's text gone).
    let now1 = w.timesheet_of(1);
    assert_eq!(
        w.wall_span(&now1),
        (wall("2026-11-10 09:00"), wall("2026-11-10 10:00"))
    );
    assert_eq!(now1.description, ts1.description);
    // Kimai's version of entry 2 stays as the user left it.
    assert_eq!(w.kimai_sim.timesheet(ts2.id).unwrap(), kept);
    assert!(kept.description.unwrap().ends_with("(checked)"));
    assert!(w.store.conflicts().unwrap().is_empty());
    assert!(w.store.resolutions().unwrap().is_empty());

    w.kimai_sim.knobs().reset_counts();
    let settled = w.sync().await;
    assert!(settled.actions.is_empty(), "{:#?}", settled.actions);
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn an_exported_timesheet_is_never_written_when_its_entry_changes_or_goes() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 2, 20, Some(1), berlin("2026-11-11 11:00")),
    ])
    .await;
    w.sync().await;
    let before: Vec<_> = [1, 2].map(|id| w.timesheet_of(id)).into();
    for ts in &before {
        assert!(w
            .kimai_sim
            .edit_timesheet_as_human(ts.id, |t| t.exported = true));
    }
    let before: Vec<_> = before
        .iter()
        .map(|t| w.kimai_sim.timesheet(t.id).unwrap())
        .collect();
    w.change_minutes(1, 90);
    assert!(w.zammad_sim.delete_time_accounting_as_admin(2));

    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(
        conflict_kinds(&w),
        vec![
            (1, ConflictKind::BilledChangedAtSource),
            (2, ConflictKind::BilledChangedAtSource)
        ]
    );
    assert_eq!(w.kimai_requests("PATCH"), 0);
    assert_eq!(w.kimai_requests("DELETE"), 0);

    // Not even on request: "take Zammad's" on a billed record still writes nothing.
    w.store.resolve(&key(1), Resolution::TakeZammad).unwrap();
    w.store.resolve(&key(2), Resolution::TakeZammad).unwrap();
    let run = w.sync().await;
    assert_eq!(run.counts.conflicts, 2, "{:#?}", run.actions);
    assert_eq!(w.kimai_writes(), 0);
    for ts in &before {
        assert_eq!(&w.kimai_sim.timesheet(ts.id).unwrap(), ts, "untouched");
    }
}

#[tokio::test]
async fn a_timesheet_in_a_closed_month_is_never_written() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-10-20 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1);
    w.store
        .close_month("2026-10".parse().unwrap(), None)
        .unwrap();
    w.change_minutes(1, 50);
    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(
        conflict_kinds(&w),
        vec![(1, ConflictKind::BilledChangedAtSource)]
    );
    assert_eq!(w.kimai_writes(), 0);
    assert_eq!(w.kimai_sim.timesheet(ts.id).unwrap(), ts);
    // Keeping Kimai's version moves the base: the conflict is settled, nothing written.
    w.store.resolve(&key(1), Resolution::KeepKimai).unwrap();
    let run = w.sync().await;
    assert_eq!(run.counts.kept_user_edits, 1, "{:#?}", run.actions);
    assert!(w.store.conflicts().unwrap().is_empty());
    assert!(w.preview().await.actions.is_empty());
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn deleted_in_zammad_but_edited_in_kimai_is_a_conflict_not_a_delete() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1);
    user_edits_description(&w, ts.id);
    assert!(w.zammad_sim.delete_time_accounting_as_admin(1));

    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(
        conflict_kinds(&w),
        vec![(1, ConflictKind::DeletedAtSourceEditedInKimai)]
    );
    assert_eq!(w.kimai_requests("DELETE"), 0);
    assert!(w.kimai_sim.timesheet(ts.id).is_some(), "not deleted");

    w.store
        .resolve(&key(1), Resolution::AcceptDeletion)
        .unwrap();
    let run = w.sync().await;
    assert_eq!(run.counts.deleted, 1, "{:#?}", run.actions);
    assert!(w.kimai_sim.timesheet(ts.id).is_none());
    assert!(w.store.conflicts().unwrap().is_empty());
    assert!(w.store.link(&key(1)).unwrap().is_none());
}

#[tokio::test]
async fn deleted_in_kimai_is_not_recreated_until_the_user_says_recreate() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.sync().await;
    let ts = w.timesheet_of(1);
    assert!(w.kimai_sim.delete_timesheet_as_human(ts.id));

    w.kimai_sim.knobs().reset_counts();
    for _ in 0..2 {
        let run = w.sync().await;
        assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
        assert!(run.actions.iter().any(|a| matches!(
            a,
            Action::Conflict {
                kind: ConflictKind::DeletedInKimai,
                ..
            }
        )));
        assert_eq!(conflict_kinds(&w), vec![(1, ConflictKind::DeletedInKimai)]);
        assert_eq!(w.kimai_writes(), 0, "not recreated");
        assert!(w.marked().is_empty());
    }

    w.store.resolve(&key(1), Resolution::Recreate).unwrap();
    let run = w.sync().await;
    assert_eq!(run.counts.created, 1, "{:#?}", run.actions);
    let again = w.timesheet_of(1);
    assert_ne!(again.id, ts.id, "a new timesheet");
    assert_eq!(w.wall_span(&again), w.wall_span(&ts));
    assert_eq!(
        w.store.link(&key(1)).unwrap().unwrap().timesheet_id,
        Some(again.id as i64)
    );
    assert!(w.store.conflicts().unwrap().is_empty());
    assert!(w.store.resolutions().unwrap().is_empty());
    w.kimai_sim.knobs().reset_counts();
    assert!(w.sync().await.actions.is_empty());
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn an_unmapped_entry_is_parked_until_a_rule_is_saved() {
    let mut w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, UNMAPPED_TICKET, 40, Some(2), berlin("2026-11-12 15:00")),
    ])
    .await;
    // The instance as the app stores it; the engine is built from what is saved.
    let instance_key = w.instances[0].key.clone();
    let settings = w.instances[0].settings.clone();
    w.store
        .add_zammad_connection(
            "Acme",
            &w.zammad_url.clone(),
            true,
            &instance_key,
            &settings,
        )
        .unwrap();

    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 1);
    assert_eq!(run.counts.parked, 1);
    let parked = w.store.parked().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].key, key(2));
    assert!(
        matches!(parked[0].reason, ParkReason::NeedsMapping { .. }),
        "{:?}",
        parked[0].reason
    );
    assert!(!w.marked().contains_key(&2), "nothing created for it");

    // The user maps Acme Logistics to project 2 and saves the instance.
    let mut saved: ZammadInstance = w.store.instance(&instance_key).unwrap().unwrap();
    saved.settings.rules.push(MappingRule {
        scope: Scope::Organization(UNMAPPED_ORG),
        customer: 1,
        project: 2,
        activity: None,
    });
    w.store.save_instance(&saved).unwrap();
    let reloaded = w.store.instance(&instance_key).unwrap().unwrap().settings;
    w.instances = vec![w.instance_conn(reloaded)];

    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 1, "{:#?}", run.actions);
    assert_eq!(w.kimai_requests("POST /api/timesheets"), 1);
    let ts = w.timesheet_of(2);
    assert_eq!((ts.project, ts.activity), (2, 2));
    assert_eq!(
        w.wall_span(&ts),
        (wall("2026-11-12 14:20"), wall("2026-11-12 15:00"))
    );
    assert!(w.store.parked().unwrap().is_empty(), "no longer parked");
}

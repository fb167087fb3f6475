//! Undo of a run end to end against the simulators (real HTTP, a real SQLite file): what the
//! run wrote is reversed where Kimai still holds exactly what the run left, the rest is
//! reported with its reason, and reversed entries stay held until released.

mod support;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use support::demo::{demo_world as world, DemoWorld as World};
use timebridge_core::engine::{Mode, UndoRefusal, UndoReport, UndoStep, WhyNot};
use timebridge_core::sync::plan::SourceKey;
use timebridge_core::{HoldReason, RunMode, RunOutcome, RunTrigger};
use timebridge_simulators::{Fault, FaultKind};

/// What the undo tests ask of the demo world.
trait UndoWorld {
    async fn synced(&self) -> timebridge_core::engine::RunReport;
    async fn undo(&self, run: i64) -> UndoReport;
    /// Marked timesheets in Kimai: entry id → (timesheet id, description).
    fn texts(&self) -> BTreeMap<i64, (u64, String)>;
    fn held(&self) -> Vec<(i64, HoldReason)>;
}

impl UndoWorld for World {
    async fn synced(&self) -> timebridge_core::engine::RunReport {
        let r = self.sync().await;
        assert_eq!(r.outcome, RunOutcome::Ok, "{:?}", r.error);
        r
    }

    async fn undo(&self, run: i64) -> UndoReport {
        self.engine()
            .undo_run(run, RunTrigger::Cli)
            .await
            .unwrap()
            .unwrap()
    }

    fn texts(&self) -> BTreeMap<i64, (u64, String)> {
        self.marked()
            .into_iter()
            .map(|((_, entry), ts)| {
                let text = self
                    .kimai_sim
                    .timesheets()
                    .into_iter()
                    .find(|t| t.id == ts)
                    .and_then(|t| t.description)
                    .unwrap_or_default();
                (entry, (ts, text))
            })
            .collect()
    }

    fn held(&self) -> Vec<(i64, HoldReason)> {
        self.store
            .held()
            .unwrap()
            .into_iter()
            .map(|h| (h.key.time_accounting_id, h.reason))
            .collect()
    }
}

fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

#[tokio::test]
async fn undoing_a_first_sync_deletes_its_timesheets_and_holds_the_entries_until_released() {
    let w = world().await;
    let first = w.synced().await;
    let created = w.texts();
    assert_eq!(created.len(), first.counts.created as usize);

    let undo = w.undo(first.run_id).await;
    assert_eq!(undo.outcome, RunOutcome::Ok, "{:?}", undo.error);
    assert!(undo.not_undone.is_empty(), "{:#?}", undo.not_undone);
    assert_eq!(undo.undone.len(), created.len());
    assert!(undo.undone.iter().all(|u| u.step == UndoStep::Deleted));
    assert!(w.texts().is_empty(), "every timesheet of the run is gone");
    assert!(w.store.all_links().unwrap().is_empty());
    assert_eq!(w.held().len(), created.len());
    assert!(w.held().iter().all(|(_, r)| *r == HoldReason::Undo));
    let row = w.store.run(undo.run_id).unwrap().unwrap();
    assert_eq!(
        (row.mode, row.undoes_run),
        (RunMode::Undo, Some(first.run_id))
    );
    assert_eq!(row.counts.deleted as usize, created.len());

    // Held: the next sync leaves them alone instead of writing them again.
    let next = w.synced().await;
    assert_eq!(next.counts.created, 0, "{:#?}", next.actions);
    assert!(w.texts().is_empty());

    // Undoing again finds nothing left to do and says so.
    let again = w.undo(first.run_id).await;
    assert!(again
        .undone
        .iter()
        .all(|u| u.step == UndoStep::AlreadyUndone));
    assert!(again.not_undone.is_empty(), "{:#?}", again.not_undone);

    // Released: exactly that entry is synced again.
    let one = *created.keys().next().unwrap();
    assert!(w.store.write(|t| t.release(&key(one))).unwrap());
    let after = w.synced().await;
    assert_eq!(after.counts.created, 1);
    assert_eq!(w.texts().keys().copied().collect::<Vec<_>>(), vec![one]);
}

#[tokio::test]
async fn timesheets_edited_or_exported_since_the_run_are_left_and_reported() {
    let w = world().await;
    let first = w.synced().await;
    let created = w.texts();
    let mut it = created.iter();
    let (&edited, &(edited_ts, ref text)) = it.next().unwrap();
    let (&exported, &(exported_ts, _)) = it.next().unwrap();
    assert!(w.kimai_sim.edit_timesheet_as_human(edited_ts, |t| {
        t.description = Some(format!("{text} (checked)"));
    }));
    assert!(w
        .kimai_sim
        .edit_timesheet_as_human(exported_ts, |t| t.exported = true));

    let undo = w.undo(first.run_id).await;
    assert_eq!(undo.outcome, RunOutcome::Ok, "{:?}", undo.error);
    let why: BTreeMap<i64, WhyNot> = undo
        .not_undone
        .iter()
        .map(|n| (n.key.time_accounting_id, n.why.clone()))
        .collect();
    assert_eq!(
        why,
        BTreeMap::from([
            (edited, WhyNot::ChangedInKimai),
            (exported, WhyNot::Exported)
        ])
    );
    assert_eq!(undo.undone.len(), created.len() - 2);
    let left: Vec<i64> = w.texts().keys().copied().collect();
    let mut expected = vec![edited, exported];
    expected.sort_unstable();
    assert_eq!(left, expected, "only the two stay in Kimai");
    assert!(
        w.store.link(&key(edited)).unwrap().is_some(),
        "still linked"
    );
    let held: Vec<i64> = w.held().into_iter().map(|(id, _)| id).collect();
    assert!(!held.contains(&edited) && !held.contains(&exported));
}

#[tokio::test]
async fn undoing_updates_and_deletes_restores_and_recreates_with_the_marker() {
    let w = world().await;
    w.synced().await;
    let before = w.texts();
    let mut it = before.iter();
    let (&changed, &(changed_ts, ref changed_text)) = it.next().unwrap();
    let (&gone, &(gone_ts, ref gone_text)) = it.next().unwrap();
    let fields_of = |id: u64| {
        let t = w
            .kimai_sim
            .timesheets()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap();
        (t.begin, t.end, t.project, t.activity, t.description)
    };
    let changed_before = fields_of(changed_ts);
    let gone_before = fields_of(gone_ts);
    assert!(w
        .zammad_sim
        .update_time_accounting_as_admin(changed, Some(Decimal::from(97)), None));
    assert!(w.zammad_sim.delete_time_accounting_as_admin(gone));
    let second = w.synced().await;
    assert_eq!((second.counts.updated, second.counts.deleted), (1, 1));
    assert_ne!(fields_of(changed_ts), changed_before);

    let undo = w.undo(second.run_id).await;
    assert_eq!(undo.outcome, RunOutcome::Ok, "{:?}", undo.error);
    assert!(undo.not_undone.is_empty(), "{:#?}", undo.not_undone);
    assert_eq!(
        fields_of(changed_ts),
        changed_before,
        "the update is reversed"
    );
    let now = w.texts();
    let (recreated_ts, recreated_text) = now.get(&gone).expect("recreated");
    assert_ne!(*recreated_ts, gone_ts, "a new timesheet");
    assert_eq!(recreated_text, gone_text, "same text, marker included");
    let recreated = fields_of(*recreated_ts);
    assert_eq!(
        (recreated.0, recreated.1, recreated.2, recreated.3),
        (gone_before.0, gone_before.1, gone_before.2, gone_before.3)
    );
    assert!(undo.undone.iter().any(|u| u.step
        == UndoStep::Recreated {
            timesheet_id: *recreated_ts as i64
        }));
    assert_eq!(
        w.store.link(&key(gone)).unwrap().unwrap().timesheet_id,
        Some(*recreated_ts as i64)
    );
    assert_eq!(now.get(&changed).unwrap().1, *changed_text);

    // Held: no sync puts the update or the delete back behind the user's back…
    let third = w.synced().await;
    assert!(
        third.actions.iter().all(|a| !a.writes_remote()),
        "{:#?}",
        third.actions
    );
    // …until released: then the sync writes Zammad's state again.
    w.store
        .write(|t| {
            t.release(&key(changed))?;
            t.release(&key(gone))
        })
        .unwrap();
    let fourth = w.synced().await;
    assert_eq!(
        (fourth.counts.updated, fourth.counts.deleted),
        (1, 1),
        "{:#?}",
        fourth.actions
    );
    assert!(!w.texts().contains_key(&gone));
}

#[tokio::test]
async fn an_unreachable_kimai_stops_the_undo_with_nothing_changed_and_it_can_be_resumed() {
    let w = world().await;
    let first = w.synced().await;
    let n = w.texts().len();
    w.kimai_sim
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let undo = w.undo(first.run_id).await;
    assert_eq!(undo.outcome, RunOutcome::Offline);
    assert!(undo.undone.is_empty());
    assert_eq!(undo.not_undone.len(), n);
    assert!(undo
        .not_undone
        .iter()
        .all(|x| x.why == WhyNot::NotAttempted));
    assert_eq!(w.texts().len(), n);
    assert!(w.held().is_empty());

    w.kimai_sim.knobs().clear_faults();
    let resumed = w.undo(first.run_id).await;
    assert_eq!(resumed.outcome, RunOutcome::Ok, "{:?}", resumed.error);
    assert_eq!(resumed.undone.len(), n);
    assert!(w.texts().is_empty());
}

#[tokio::test]
async fn previews_undos_and_unknown_runs_are_refused() {
    let w = world().await;
    let preview = w
        .engine()
        .run(w.now, Mode::Preview, RunTrigger::Cli)
        .await
        .unwrap();
    let refuse = |r: Result<UndoReport, UndoRefusal>| r.expect_err("refused");
    let e = refuse(
        w.engine()
            .undo_run(preview.run_id, RunTrigger::Cli)
            .await
            .unwrap(),
    );
    assert!(
        matches!(
            e,
            UndoRefusal::NotASync {
                mode: "preview",
                ..
            }
        ),
        "{e}"
    );
    let first = w.synced().await;
    let undo = w.undo(first.run_id).await;
    let e = refuse(
        w.engine()
            .undo_run(undo.run_id, RunTrigger::Cli)
            .await
            .unwrap(),
    );
    assert!(
        matches!(e, UndoRefusal::NotASync { mode: "undo", .. }),
        "{e}"
    );
    let e = refuse(w.engine().undo_run(9999, RunTrigger::Cli).await.unwrap());
    assert!(matches!(e, UndoRefusal::NoSuchRun(9999)));
}

#[tokio::test]
async fn undoing_again_after_a_lost_recreate_answer_never_duplicates() {
    let w = world().await;
    w.synced().await;
    let (gone, (gone_ts, text)) = w.texts().into_iter().next().unwrap();
    assert!(w.zammad_sim.delete_time_accounting_as_admin(gone));
    let second = w.synced().await;
    assert_eq!(second.counts.deleted, 1);
    assert!(!w.texts().contains_key(&gone));

    // The undo's POST reaches Kimai, but the answer is lost.
    w.kimai_sim.knobs().add_fault(
        Fault::always(FaultKind::Reset)
            .on_path("/api/timesheets")
            .on_method("POST")
            .times(1),
    );
    let lost = w.undo(second.run_id).await;
    assert_ne!(lost.outcome, RunOutcome::Ok);
    assert_eq!(w.texts().get(&gone).map(|t| &t.1), Some(&text), "it landed");

    // Undoing again finds it by its marker instead of creating it a second time.
    let again = w.undo(second.run_id).await;
    assert_eq!(again.outcome, RunOutcome::Ok, "{:?}", again.error);
    assert!(
        again
            .undone
            .iter()
            .any(|u| u.step == UndoStep::AlreadyUndone),
        "{again:#?}"
    );
    let now = w.texts(); // panics on a duplicate marker
    let (recreated, _) = now[&gone];
    assert_ne!(recreated, gone_ts);
    let link = w.store.link(&key(gone)).unwrap().unwrap();
    assert_eq!(link.timesheet_id, Some(recreated as i64));
    assert!(w.store.pending_outbox().unwrap().is_empty());
    assert!(w.held().contains(&(gone, HoldReason::Undo)));
    // Released, the deletion in Zammad is noticed again: the link knows its ticket.
    w.store.write(|t| t.release(&key(gone))).unwrap();
    let after = w.synced().await;
    assert_eq!(after.counts.deleted, 1, "{:#?}", after.actions);
    assert!(!w.texts().contains_key(&gone));
}

#[tokio::test]
async fn undoing_again_after_a_lost_restore_answer_finishes_the_restore() {
    let w = world().await;
    w.synced().await;
    let (&changed, &(ts, _)) = w.texts().iter().next().unwrap();
    let before = w.store.link(&key(changed)).unwrap().unwrap().base_kimai;
    assert!(w
        .zammad_sim
        .update_time_accounting_as_admin(changed, Some(Decimal::from(97)), None));
    let second = w.synced().await;
    assert_eq!(second.counts.updated, 1);

    w.kimai_sim.knobs().add_fault(
        Fault::always(FaultKind::Reset)
            .on_path(&format!("/api/timesheets/{ts}"))
            .on_method("PATCH")
            .times(1),
    );
    let lost = w.undo(second.run_id).await;
    assert_ne!(lost.outcome, RunOutcome::Ok);
    let again = w.undo(second.run_id).await;
    assert_eq!(again.outcome, RunOutcome::Ok, "{:?}", again.error);
    assert_eq!(again.undone.len(), 1, "{again:#?}");
    assert_eq!(again.undone[0].step, UndoStep::Restored);
    let link = w.store.link(&key(changed)).unwrap().unwrap();
    assert_eq!(link.base_kimai, before, "the base went back");
    // Released, Zammad's change is written again (not mistaken for a user edit).
    w.store.write(|t| t.release(&key(changed))).unwrap();
    let after = w.synced().await;
    assert_eq!(after.counts.updated, 1, "{:#?}", after.actions);
    assert_eq!(after.counts.kept_user_edits, 0);
}

#[tokio::test]
async fn a_deletion_recorded_without_its_ticket_is_not_recreated() {
    let w = world().await;
    w.synced().await;
    let (&entry, _) = w.texts().iter().next().unwrap();
    let fields = w.store.link(&key(entry)).unwrap().unwrap().base_kimai;
    // A run from before schema v3: its delete event has no ticket.
    let run = w.store.start_run(RunTrigger::Cli, RunMode::Sync).unwrap();
    w.store
        .write(|t| {
            t.remove_link(&key(entry))?;
            t.append_audit(&timebridge_core::AuditEntry {
                run_id: Some(run),
                actor: timebridge_core::Actor::Cli,
                action: timebridge_core::AuditAction::Delete,
                key: key(entry),
                timesheet_id: Some(1),
                before: Some(fields.clone()),
                after: None,
            })
        })
        .unwrap();
    w.store
        .finish_run(run, RunOutcome::Ok, None, &Default::default())
        .unwrap();
    let undo = w.undo(run).await;
    assert_eq!(undo.not_undone.len(), 1);
    assert_eq!(undo.not_undone[0].why, WhyNot::TicketUnknown);
    assert!(
        w.store.link(&key(entry)).unwrap().is_none(),
        "nothing created"
    );
}

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

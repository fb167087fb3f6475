//! Outbox, runs, user decisions, parked entries, cursors and closed months on real files,
//! each reopened to prove the state persists.

use super::decisions::ConflictRecord;
use super::outbox::{OutboxKind, OutboxState};
use super::runs::{RunCounts, RunMode, RunOutcome, RunTrigger};
use super::sync_fixtures::{fields, key, TestDb};
use crate::sync::time::Month;

fn month(text: &str) -> Month {
    text.parse().expect("a test month")
}
use super::*;
use crate::sync::plan::{Action, ConflictKind, ParkReason, Resolution};

#[test]
fn the_outbox_moves_forward_and_lists_only_unfinished_rows() {
    let db = TestDb::new();
    let (run, create, update, delete) = {
        let store = db.open();
        let run = store.start_run(RunTrigger::Cli, RunMode::Sync).unwrap();
        let ids = store
            .write(|tx| {
                let c = tx.outbox_enqueue(
                    run,
                    &key("acme", 1),
                    OutboxKind::Create,
                    None,
                    Some(&fields(1)),
                )?;
                let u = tx.outbox_enqueue(
                    run,
                    &key("acme", 2),
                    OutboxKind::Update,
                    Some(52),
                    Some(&fields(2)),
                )?;
                let d =
                    tx.outbox_enqueue(run, &key("acme", 3), OutboxKind::Delete, Some(53), None)?;
                Ok((c, u, d))
            })
            .unwrap();
        (run, ids.0, ids.1, ids.2)
    };
    let store = db.open();
    let pending = store.pending_outbox().unwrap();
    assert_eq!(
        pending.iter().map(|r| r.id).collect::<Vec<_>>(),
        [create, update, delete]
    );
    assert_eq!(pending[0].state, OutboxState::Pending);
    assert_eq!(pending[0].run_id, run);
    assert_eq!(pending[0].payload, Some(fields(1)));
    assert_eq!(pending[0].timesheet_id, None);
    assert_eq!(pending[2].kind, OutboxKind::Delete);
    assert_eq!(pending[2].payload, None);

    store
        .write(|tx| {
            tx.outbox_mark(create, OutboxState::Sent, None)?;
            tx.outbox_mark(update, OutboxState::Sent, None)?;
            tx.outbox_mark(update, OutboxState::Confirmed, None)?;
            tx.outbox_mark(delete, OutboxState::Failed, None)
        })
        .unwrap();
    drop(store);
    let store = db.open();
    let open = store.pending_outbox().unwrap();
    assert_eq!(open.len(), 1, "confirmed and failed rows are done");
    assert_eq!((open[0].id, open[0].state), (create, OutboxState::Sent));

    store
        .write(|tx| tx.outbox_mark(create, OutboxState::Confirmed, Some(51)))
        .unwrap();
    assert!(store.pending_outbox().unwrap().is_empty());
    let back = store
        .write(|tx| tx.outbox_mark(create, OutboxState::Pending, None))
        .unwrap_err();
    assert!(back.to_string().contains("only move"), "{back}");
    let ts: Option<i64> = store
        .conn
        .lock()
        .query_row(
            "SELECT timesheet_id FROM outbox WHERE id = ?1",
            [create],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        ts,
        Some(51),
        "the created timesheet is recorded on confirmation"
    );
}

#[test]
fn runs_start_running_and_finish_once() {
    let db = TestDb::new();
    let counts = RunCounts {
        created: 3,
        conflicts: 1,
        ..RunCounts::default()
    };
    let (first, second) = {
        let store = db.open();
        let first = store
            .start_run(RunTrigger::Schedule, RunMode::Sync)
            .unwrap();
        let second = store
            .start_run(RunTrigger::Manual, RunMode::Preview)
            .unwrap();
        let running = store.run(first).unwrap().unwrap();
        assert_eq!(running.outcome, RunOutcome::Running);
        assert_eq!(running.finished_at, None);
        store
            .finish_run(first, RunOutcome::Ok, None, &counts)
            .unwrap();
        (first, second)
    };
    let store = db.open();
    let again = store.finish_run(first, RunOutcome::Failed, Some("x"), &RunCounts::default());
    assert!(
        matches!(
            again,
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
        ),
        "{again:?}"
    );
    assert!(
        store
            .finish_run(second, RunOutcome::Running, None, &counts)
            .is_err(),
        "a run cannot finish as running"
    );
    store
        .finish_run(
            second,
            RunOutcome::Offline,
            Some("kimai unreachable"),
            &RunCounts::default(),
        )
        .unwrap();
    let third = store.start_run(RunTrigger::Cli, RunMode::Undo).unwrap();
    assert_eq!(store.interrupt_unfinished_runs().unwrap(), 1);

    let runs = store.runs(10).unwrap();
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        [third, second, first]
    );
    assert_eq!(runs[0].outcome, RunOutcome::Interrupted);
    assert_eq!(runs[1].outcome, RunOutcome::Offline);
    assert_eq!(runs[1].error.as_deref(), Some("kimai unreachable"));
    assert_eq!(runs[1].mode, RunMode::Preview);
    assert_eq!(runs[2].counts, counts);
    assert_eq!(runs[2].trigger, RunTrigger::Schedule);
    assert!(runs[2].finished_at.unwrap() >= runs[2].started_at);
    assert_eq!(store.runs(1).unwrap().len(), 1);
    assert_eq!(store.run(9999).unwrap(), None);
}

fn conflict(n: i64, kind: ConflictKind) -> ConflictRecord {
    ConflictRecord::from_action(&Action::Conflict {
        key: key("acme", n),
        timesheet_id: Some(300 + n),
        kind,
        source: Some(fields(1)),
        kimai: Some(fields(2)),
        base: None,
    })
    .unwrap()
}

#[test]
fn conflicts_and_decisions_persist_until_cleared() {
    let db = TestDb::new();
    {
        let store = db.open();
        let run = store.start_run(RunTrigger::Cli, RunMode::Sync).unwrap();
        store
            .write(|tx| {
                tx.record_conflict(Some(run), &conflict(2, ConflictKind::BothChanged))?;
                tx.record_conflict(Some(run), &conflict(1, ConflictKind::DeletedInKimai))?;
                tx.set_parked(
                    &key("beta", 5),
                    &ParkReason::NeedsMapping {
                        detail: "org 7".into(),
                    },
                    Some(70),
                )
            })
            .unwrap();
        store
            .resolve(&key("acme", 2), Resolution::KeepKimai)
            .unwrap();
        store
            .resolve(&key("acme", 2), Resolution::TakeZammad)
            .unwrap();
        store
            .resolve(&key("acme", 1), Resolution::Recreate)
            .unwrap();
        store.ignore(&key("beta", 9)).unwrap();
        store.ignore(&key("beta", 9)).unwrap();
    }
    let store = db.open();
    let conflicts = store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 2);
    assert_eq!(
        conflicts[0].record,
        conflict(1, ConflictKind::DeletedInKimai)
    );
    assert_eq!(conflicts[1].record, conflict(2, ConflictKind::BothChanged));
    assert!(conflicts[0].run_id.is_some());
    let resolutions = store.resolutions().unwrap();
    assert_eq!(resolutions.len(), 2);
    assert_eq!(
        resolutions[&key("acme", 2)],
        Resolution::TakeZammad,
        "the latest decision"
    );
    assert_eq!(resolutions[&key("acme", 1)], Resolution::Recreate);
    assert_eq!(
        store.ignored().unwrap().into_iter().collect::<Vec<_>>(),
        [key("beta", 9)]
    );
    let parked = store.parked().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(
        parked[0].reason,
        ParkReason::NeedsMapping {
            detail: "org 7".into()
        }
    );
    assert_eq!(
        ConflictRecord::from_action(&Action::Delete {
            key: key("a", 1),
            timesheet_id: 1
        }),
        None
    );

    // The next run applies the decision and clears it with the conflict.
    store
        .write(|tx| {
            assert!(tx.clear_conflict(&key("acme", 2))?);
            assert!(tx.clear_resolution(&key("acme", 2))?);
            assert!(!tx.clear_resolution(&key("acme", 2))?);
            assert!(tx.clear_parked(&key("beta", 5))?);
            Ok(())
        })
        .unwrap();
    assert!(store.unignore(&key("beta", 9)).unwrap());
    drop(store);
    let store = db.open();
    assert_eq!(store.conflicts().unwrap().len(), 1);
    assert_eq!(store.resolutions().unwrap().len(), 1);
    assert!(store.parked().unwrap().is_empty());
    assert!(store.ignored().unwrap().is_empty());
}

#[test]
fn a_conflict_keeps_its_first_detection_while_its_kind_stays() {
    let db = TestDb::new();
    let store = db.open();
    store
        .write(|tx| tx.record_conflict(None, &conflict(1, ConflictKind::BothChanged)))
        .unwrap();
    let first = store.conflicts().unwrap()[0].detected_at;
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut changed = conflict(1, ConflictKind::BothChanged);
    changed.kimai = Some(fields(9));
    store
        .write(|tx| tx.record_conflict(None, &changed))
        .unwrap();
    let same_kind = store.conflicts().unwrap().remove(0);
    assert_eq!(same_kind.detected_at, first);
    assert_eq!(same_kind.record.kimai, Some(fields(9)));
    store
        .write(|tx| tx.record_conflict(None, &conflict(1, ConflictKind::DeletedInKimai)))
        .unwrap();
    let new_kind = store.conflicts().unwrap().remove(0);
    assert!(new_kind.detected_at > first);
    assert_eq!(new_kind.record.kind, ConflictKind::DeletedInKimai);
}

#[test]
fn cursors_and_closed_months_persist() {
    let db = TestDb::new();
    {
        let store = db.open();
        assert_eq!(store.cursor("kimai:modified_after").unwrap(), None);
        store
            .write(|tx| {
                tx.set_cursor("kimai:modified_after", "2026-03-01T00:00:00Z")?;
                tx.set_cursor("zammad:acme:tickets_updated_at", "2026-03-02T08:00:00Z")?;
                tx.set_cursor("kimai:modified_after", "2026-03-05T00:00:00Z")
            })
            .unwrap();
        store.close_month(month("2026-02"), Some(4)).unwrap();
        store.close_month(month("2026-01"), None).unwrap();
        store.close_month(month("2026-01"), None).unwrap();
    }
    let store = db.open();
    assert_eq!(
        store.cursor("kimai:modified_after").unwrap().as_deref(),
        Some("2026-03-05T00:00:00Z")
    );
    assert_eq!(
        store
            .cursor("zammad:acme:tickets_updated_at")
            .unwrap()
            .as_deref(),
        Some("2026-03-02T08:00:00Z")
    );
    let months: Vec<_> = store.closed_months().unwrap().into_iter().collect();
    assert_eq!(months, [month("2026-01"), month("2026-02")]);
    assert!(store.reopen_month(month("2026-01")).unwrap());
    assert!(!store.reopen_month(month("2026-01")).unwrap());
    assert_eq!(store.closed_months().unwrap().len(), 1);
}

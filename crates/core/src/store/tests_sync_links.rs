//! Links, the write transaction and the audit trail on real files: round trips survive a
//! reopen, one timesheet never stands for two entries, a failed transaction leaves nothing,
//! and audit rows cannot be changed.

use super::audit::{Actor, AuditAction, AuditEntry};
use super::outbox::OutboxKind;
use super::runs::{RunMode, RunTrigger};
use super::sync_fixtures::{count, fields, key, link, TestDb};
use super::*;
use crate::sync::time::Month;

#[test]
fn links_round_trip_per_instance_including_tombstones() {
    let db = TestDb::new();
    {
        let store = db.open();
        store
            .write(|tx| {
                tx.upsert_link(
                    &key("acme", 1),
                    &link(Some(501), 1),
                    Some("2026-03".parse().unwrap()),
                )?;
                tx.upsert_link(
                    &key("acme", 2),
                    &link(Some(502), 2),
                    Some("2026-03".parse().unwrap()),
                )?;
                tx.upsert_link(&key("beta", 1), &link(Some(601), 3), None)?;
                assert!(tx.tombstone_link(&key("acme", 2))?);
                assert!(
                    !tx.tombstone_link(&key("acme", 99))?,
                    "no link, nothing done"
                );
                Ok(())
            })
            .unwrap();
    }
    let store = db.open();
    let acme = store.links_for("acme").unwrap();
    assert_eq!(
        acme.keys().cloned().collect::<Vec<_>>(),
        [key("acme", 1), key("acme", 2)]
    );
    assert_eq!(acme[&key("acme", 1)], link(Some(501), 1));
    assert_eq!(
        acme[&key("acme", 2)],
        link(None, 2),
        "a tombstone keeps its base"
    );
    let all = store.all_links().unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[&key("beta", 1)], link(Some(601), 3));
    assert_eq!(
        store
            .link_month(&key("acme", 1))
            .unwrap()
            .map(|m| m.to_string()),
        Some("2026-03".to_string())
    );
    assert_eq!(store.link_month(&key("beta", 1)).unwrap(), None);

    // Replacing a link moves its base; removing it forgets it.
    store
        .write(|tx| {
            tx.upsert_link(
                &key("acme", 1),
                &link(Some(501), 7),
                Some("2026-04".parse().unwrap()),
            )?;
            assert!(tx.remove_link(&key("beta", 1))?);
            assert!(!tx.remove_link(&key("beta", 1))?);
            Ok(())
        })
        .unwrap();
    drop(store);
    let store = db.open();
    assert_eq!(
        store.link(&key("acme", 1)).unwrap(),
        Some(link(Some(501), 7))
    );
    assert_eq!(store.link(&key("beta", 1)).unwrap(), None);
    assert_eq!(
        store
            .link_month(&key("acme", 1))
            .unwrap()
            .map(|m| m.to_string()),
        Some("2026-04".to_string())
    );
}

#[test]
fn one_timesheet_never_stands_for_two_entries() {
    let db = TestDb::new();
    let store = db.open();
    store
        .write(|tx| tx.upsert_link(&key("acme", 1), &link(Some(700), 1), None))
        .unwrap();
    let err = store
        .write(|tx| tx.upsert_link(&key("beta", 1), &link(Some(700), 2), None))
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
    // Tombstones carry no timesheet, so any number of them may exist.
    store
        .write(|tx| {
            tx.upsert_link(&key("acme", 2), &link(None, 3), None)?;
            tx.upsert_link(&key("acme", 3), &link(None, 4), None)
        })
        .unwrap();
    assert_eq!(store.all_links().unwrap().len(), 3);
    assert_eq!(store.link(&key("beta", 1)).unwrap(), None);
}

#[test]
fn a_malformed_month_is_refused() {
    let db = TestDb::new();
    let store = db.open();
    // The type cannot hold one; the column refuses one from any other writer too.
    let raw = rusqlite::Connection::open(&db.path).unwrap();
    for bad in ["March", "2026-13", "2026-3"] {
        assert!(bad.parse::<Month>().is_err(), "{bad}");
        let err = raw
            .execute(
                "INSERT INTO links (instance, time_accounting_id, timesheet_id, \
                 base_source_json, base_kimai_json, month) VALUES ('acme', 1, 1, '{}', '{}', ?1)",
                [bad],
            )
            .unwrap_err();
        assert!(err.to_string().contains("CHECK"), "{bad}: {err}");
    }
    assert!(store.all_links().unwrap().is_empty());
}

#[test]
fn a_failed_write_rolls_back_every_row_it_wrote() {
    let db = TestDb::new();
    {
        let store = db.open();
        let run = store.start_run(RunTrigger::Cli, RunMode::Sync).unwrap();
        let err = store
            .write(|tx| {
                let id = tx.outbox_enqueue(
                    run,
                    &key("acme", 1),
                    OutboxKind::Create,
                    None,
                    Some(&fields(1)),
                )?;
                tx.upsert_link(
                    &key("acme", 1),
                    &link(Some(900), 1),
                    Some("2026-03".parse().unwrap()),
                )?;
                tx.append_audit(&AuditEntry {
                    run_id: Some(run),
                    actor: Actor::Cli,
                    action: AuditAction::Create,
                    key: key("acme", 1),
                    timesheet_id: Some(900),
                    before: None,
                    after: Some(fields(1)),
                })?;
                tx.set_cursor("kimai:modified_after", "2026-03-29T10:00:00Z")?;
                // The remote answer turned out unusable: give up the whole action.
                tx.outbox_mark(id + 1000, super::outbox::OutboxState::Confirmed, Some(900))
            })
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
            ),
            "{err:?}"
        );
    }
    let store = db.open();
    assert!(store.all_links().unwrap().is_empty());
    assert_eq!(count(&store, "outbox"), 0);
    assert_eq!(count(&store, "audit_events"), 0);
    assert_eq!(store.cursor("kimai:modified_after").unwrap(), None);
    assert_eq!(
        store.runs(10).unwrap().len(),
        1,
        "the run row was its own commit"
    );
}

#[test]
fn audit_events_are_listed_per_run_and_cannot_be_changed() {
    let db = TestDb::new();
    let (run_a, run_b) = {
        let store = db.open();
        let run_a = store
            .start_run(RunTrigger::Schedule, RunMode::Sync)
            .unwrap();
        let run_b = store.start_run(RunTrigger::Manual, RunMode::Undo).unwrap();
        store
            .write(|tx| {
                for (run, action, n) in [
                    (run_a, AuditAction::Create, 1),
                    (run_b, AuditAction::Delete, 1),
                    (run_a, AuditAction::Update, 2),
                ] {
                    tx.append_audit(&AuditEntry {
                        run_id: Some(run),
                        actor: Actor::Scheduler,
                        action,
                        key: key("acme", n),
                        timesheet_id: Some(800 + n),
                        before: (action != AuditAction::Create).then(|| fields(10)),
                        after: (action != AuditAction::Delete).then(|| fields(11)),
                    })?;
                }
                Ok(())
            })
            .unwrap();
        (run_a, run_b)
    };
    let store = db.open();
    let events = store.audit_for_run(run_a).unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.entry.action).collect();
    assert_eq!(actions, [AuditAction::Create, AuditAction::Update]);
    assert_eq!(events[0].entry.before, None);
    assert_eq!(events[0].entry.after, Some(fields(11)));
    assert_eq!(events[1].entry.key, key("acme", 2));
    assert_eq!(events[1].entry.before, Some(fields(10)));
    assert!(events[0].id < events[1].id);
    assert_eq!(store.audit_for_run(run_b).unwrap().len(), 1);

    let conn = store.conn.lock();
    let update = conn.execute("UPDATE audit_events SET action = 'create'", []);
    assert!(
        update.unwrap_err().to_string().contains("append-only"),
        "audit rows cannot be rewritten"
    );
    let delete = conn.execute("DELETE FROM audit_events", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    drop(conn);
    assert_eq!(count(&store, "audit_events"), 3);
}

#[test]
fn a_panicking_write_rolls_back_and_leaves_the_store_usable() {
    let db = TestDb::new();
    let store = db.open();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.write(|tx| -> Result<(), StoreError> {
            tx.upsert_link(&key("acme", 1), &link(Some(1), 1), None)?;
            panic!("executor bug");
        })
    }));
    assert!(result.is_err());
    assert!(store.all_links().unwrap().is_empty());
    store
        .write(|tx| tx.upsert_link(&key("acme", 2), &link(Some(2), 2), None))
        .unwrap();
    assert_eq!(store.all_links().unwrap().len(), 1);
}

#[test]
fn an_unknown_stored_name_is_a_conversion_error_not_a_default() {
    let db = TestDb::new();
    let store = db.open();
    let run = store.start_run(RunTrigger::Cli, RunMode::Sync).unwrap();
    store
        .conn
        .lock()
        .execute(
            "INSERT INTO audit_events (run_id, actor, action, instance, time_accounting_id) \
             VALUES (?1, 'cli', 'teleport', 'acme', 1)",
            [run],
        )
        .unwrap();
    let err = store.audit_for_run(run).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(..))
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("teleport"), "{err}");
}

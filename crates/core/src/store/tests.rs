//! Store tests on real database files in temporary directories.

use std::path::Path;

use rusqlite::Connection;

use super::*;

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_fresh_file_is_created_migrated_and_in_wal_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    let store = Store::open(&path).unwrap();
    assert!(path.is_file());
    assert_eq!(store.schema_version().unwrap(), latest_schema_version());
    assert!(latest_schema_version() >= 1);
    assert_eq!(store.journal_mode().unwrap(), "wal");
    assert_eq!(store.connection_count().unwrap(), 0);
}

#[test]
fn reopening_keeps_data_and_applies_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    {
        let store = Store::open(&path).unwrap();
        store
            .conn
            .lock()
            .execute(
                "INSERT INTO connections (kind, name, base_url) VALUES ('kimai', 'Mine', 'https://k.example')",
                [],
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.connection_count().unwrap(), 1);
    let rows: i64 = store
        .conn
        .lock()
        .query_row("SELECT COUNT(*) FROM refinery_schema_history", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        rows,
        i64::from(latest_schema_version()),
        "one history row per migration"
    );
}

#[test]
fn an_empty_file_is_treated_as_a_new_database() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_schema_version());
}

#[test]
fn a_garbage_file_is_reported_corrupt_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("has not changed it"), "{err}");
    assert_eq!(
        file_bytes(&path),
        garbage,
        "the user's file is never overwritten"
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    drop(Store::open(&path).unwrap());
    let newer = latest_schema_version() + 1;
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, 'future', '2030-01-01T00:00:00Z', '0')",
            [newer],
        )
        .unwrap();
    }
    let before = file_bytes(&path);
    let err = Store::open(&path).unwrap_err();
    match &err {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, newer);
            assert_eq!(*supported, latest_schema_version());
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(err.to_string().contains("newer Timebridge"), "{err}");
    assert_eq!(
        file_bytes(&path),
        before,
        "a newer database is never written to"
    );
}

#[test]
fn a_foreign_sqlite_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);",
        )
        .unwrap();
    }
    let before = file_bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_missing_directory_is_reported_as_unwritable() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("no/such/dir/tb.db");
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
}

#[test]
fn the_schema_enforces_its_constraints() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("tb.db")).unwrap();
    let conn = store.conn.lock();
    let bad_kind = conn.execute(
        "INSERT INTO connections (kind, name, base_url) VALUES ('jira', 'x', 'https://j')",
        [],
    );
    assert!(bad_kind.is_err(), "only kimai and zammad connections exist");
    let blank_name = conn.execute(
        "INSERT INTO connections (kind, name, base_url) VALUES ('zammad', '  ', 'https://z')",
        [],
    );
    assert!(blank_name.is_err(), "a connection needs a name");
}

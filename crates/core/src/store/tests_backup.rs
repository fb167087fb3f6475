//! Upgrades: a database created at every earlier schema version, with rows in every table it
//! has, migrates to the schema a fresh database has (compared statement by statement) and
//! keeps its rows; a copy is taken before every upgrade, only then, and the newest few kept;
//! a failing upgrade is rolled back and its error says where the copy is and how to recover.

use std::path::Path;

use rusqlite::Connection;

use super::*;

/// Representative rows for the tables schema version `v` introduced (valid against it).
const ROWS: [&str; 6] = [
    "INSERT INTO connections (id, kind, name, base_url) VALUES (1, 'kimai', 'Mine', 'https://k.example'), (2, 'zammad', 'Acme', 'https://z.example');
     INSERT INTO settings (key, value) VALUES ('theme', 'dark');",
    "INSERT INTO zammad_instances (key, connection_id, settings_json) VALUES ('acme', 2, '{}');
     UPDATE kimai_settings SET billing_timezone = 'Europe/Berlin';
     INSERT INTO links (instance, time_accounting_id, timesheet_id, ticket_id, base_source_json, base_kimai_json, month)
         VALUES ('acme', 7, 70, 5, '{}', '{}', '2026-03'), ('acme', 8, NULL, 5, '{}', '{}', NULL);
     INSERT INTO sync_runs (id, trigger, mode, outcome, finished_at) VALUES (1, 'cli', 'sync', 'ok', '2026-03-02T10:00:00Z');
     INSERT INTO outbox (run_id, instance, time_accounting_id, kind, payload_json, state, timesheet_id)
         VALUES (1, 'acme', 7, 'create', '{}', 'confirmed', 70);
     INSERT INTO audit_events (run_id, actor, action, instance, time_accounting_id, timesheet_id, after_json)
         VALUES (1, 'cli', 'create', 'acme', 7, 70, '{}');
     INSERT INTO conflicts (instance, time_accounting_id, kind, timesheet_id) VALUES ('acme', 9, 'deleted_in_kimai', 90);
     INSERT INTO resolutions (instance, time_accounting_id, resolution) VALUES ('acme', 9, 'recreate');
     INSERT INTO ignored (instance, time_accounting_id) VALUES ('acme', 10);
     INSERT INTO parked (instance, time_accounting_id, reason_json) VALUES ('acme', 11, '{\"reason\":\"ambiguous_marker\"}');
     INSERT INTO cursors (name, value) VALUES ('zammad:acme', '2026-03-01T00:00:00Z');
     INSERT INTO closed_months (month) VALUES ('2026-01');",
    "INSERT INTO sync_runs (id, trigger, mode, outcome, finished_at, undoes_run) VALUES (2, 'cli', 'undo', 'ok', '2026-03-02T11:00:00Z', 1);
     INSERT INTO ignored (instance, time_accounting_id, reason) VALUES ('acme', 12, 'undo');",
    "INSERT INTO billing_runs (id, month, customers_json, tag, state) VALUES (1, '2026-01', '[1]', 'billed-2026-01', 'done');
     INSERT INTO billing_journal (run_id, timesheet_id, customer_id, state, before_tags_json, before_exported, record_json)
         VALUES (1, 70, 1, 'done', '[]', 0, '{}');",
    "INSERT INTO resolutions (instance, time_accounting_id, resolution, edit_json) VALUES ('acme', 13, 'edit', '{}');",
    "INSERT INTO entry_facts (instance, time_accounting_id, ticket_id, ticket_number, ticket_title, booked_at, day, time_unit, zammad_millis, outcome, wanted_seconds, wanted_project)
         VALUES ('acme', 7, 5, '31005', 'Printer', '2026-03-02T09:00:00.000Z', '2026-03-02', '15', 900000, 'wanted', 900, 1);
     INSERT INTO unreadable_tickets (instance, ticket_id, since) VALUES ('acme', 6, '2026-03-03T09:00:00.000Z');
     INSERT INTO run_refusals (run_id, instance, time_accounting_id, refusal_json) VALUES (1, 'acme', 8, '{}');",
];

/// The schema as `(type, name, sql)` with whitespace normalised, refinery's table left out.
fn schema(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite_%' AND name <> 'refinery_schema_history' ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn rows(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// A file at schema `version` with the rows of every version up to it.
fn database_at(path: &Path, version: i32) {
    let mut conn = Connection::open(path).unwrap();
    migrations::runner()
        .set_target(refinery::Target::Version(version))
        .run(&mut conn)
        .unwrap();
    for sql in &ROWS[..version as usize] {
        conn.execute_batch(sql).unwrap();
    }
}

#[test]
fn every_earlier_version_migrates_to_the_fresh_schema_and_keeps_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let fresh = Store::open(&tmp.path().join("fresh.db")).unwrap();
    let want = schema(&fresh.conn.lock());
    assert!(
        want.len() > 20,
        "the fresh schema has every table, index, trigger: {want:?}"
    );
    assert_eq!(
        ROWS.len(),
        latest_schema_version() as usize,
        "rows for every version"
    );
    for version in 1..latest_schema_version() {
        let path = tmp.path().join(format!("v{version}.db"));
        database_at(&path, version);
        let store = Store::open(&path).unwrap_or_else(|e| panic!("v{version}: {e}"));
        let conn = store.conn.lock();
        assert_eq!(
            schema(&conn),
            want,
            "v{version} upgraded differs from a fresh database"
        );
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let fk: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0, "v{version}: foreign keys hold");
        assert_eq!(rows(&conn, "connections"), 2, "v{version}");
        if version >= 2 {
            assert_eq!((rows(&conn, "links"), rows(&conn, "audit_events")), (2, 1));
            let reason: String = conn
                .query_row(
                    "SELECT reason FROM ignored WHERE time_accounting_id = 10",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(reason, "user", "v{version}: an old ignore is the user's");
        }
        if version >= 3 {
            assert_eq!(rows(&conn, "ignored"), 2);
        }
        assert_eq!(
            backup::list(&path).len(),
            1,
            "v{version}: one copy before the upgrade"
        );
    }
}

#[test]
fn a_copy_is_taken_before_an_upgrade_and_only_then() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    drop(Store::open(&path).unwrap());
    assert!(
        backup::list(&path).is_empty(),
        "a fresh database has nothing to copy"
    );
    drop(Store::open(&path).unwrap());
    assert!(
        backup::list(&path).is_empty(),
        "an up-to-date one needs no upgrade"
    );

    let old = tmp.path().join("old.db");
    database_at(&old, 2);
    drop(Store::open(&old).unwrap());
    let copies = backup::list(&old);
    assert_eq!(copies.len(), 1);
    let name = copies[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("old.db.backup-v2-"), "{name}");
    let copy = Connection::open(&copies[0]).unwrap();
    assert_eq!(
        open::applied_schema_version(&copy).unwrap(),
        Some(2),
        "the copy is the old file"
    );
    assert_eq!(rows(&copy, "links"), 2, "with its rows");
}

#[test]
fn only_the_newest_copies_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    for stamp in [
        "20250101T000000.000Z",
        "20250201T000000.000Z",
        "20250301T000000.000Z",
        "20250401T000000.000Z",
    ] {
        std::fs::write(
            tmp.path().join(format!("tb.db.backup-v1-{stamp}")),
            b"old copy",
        )
        .unwrap();
    }
    std::fs::write(
        tmp.path().join("other.db.backup-v1-20240101T000000.000Z"),
        b"not ours",
    )
    .unwrap();
    database_at(&path, 3);
    drop(Store::open(&path).unwrap());
    let kept: Vec<String> = backup::list(&path)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept.len(), backup::KEEP, "{kept:?}");
    assert_eq!(kept[0], "tb.db.backup-v1-20250301T000000.000Z");
    assert_eq!(kept[1], "tb.db.backup-v1-20250401T000000.000Z");
    assert!(
        kept[2].starts_with("tb.db.backup-v3-"),
        "the new copy is the newest: {kept:?}"
    );
    assert!(
        tmp.path()
            .join("other.db.backup-v1-20240101T000000.000Z")
            .exists(),
        "another file's copies are not ours"
    );
}

#[test]
fn a_failing_upgrade_is_rolled_back_and_says_how_to_recover() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tb.db");
    database_at(&path, 3);
    // Something V4 cannot cope with: a table of the name it creates.
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE billing_runs (x INTEGER);")
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    let StoreError::MigrationFailed { backup, from, .. } = &err else {
        panic!("expected MigrationFailed, got {err:?}");
    };
    assert_eq!(*from, 3);
    assert!(backup.is_file(), "the copy named in the error exists");
    let text = err.to_string();
    for needle in [
        backup.to_string_lossy().as_ref(),
        "rolled back",
        "previous Timebridge",
        "replace",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from: {text}");
    }
    let conn = Connection::open(&path).unwrap();
    assert_eq!(
        open::applied_schema_version(&conn).unwrap(),
        Some(3),
        "still version 3"
    );
    assert_eq!(rows(&conn, "connections"), 2, "nothing lost");
}

#[cfg(unix)]
#[test]
fn a_copy_that_cannot_be_taken_stops_the_upgrade_untouched() {
    use std::os::unix::ffi::OsStrExt;
    // A folder name that is not UTF-8: SQLite opens the file, but the copy's name cannot be
    // given to `VACUUM INTO` (the stand-in for a copy failing on a full disk).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(std::ffi::OsStr::from_bytes(b"data-\xff"));
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("tb.db");
    database_at(&path, 1);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Backup { .. }), "{err:?}");
    assert!(err.to_string().contains("has not been changed"), "{err}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(
        open::applied_schema_version(&conn).unwrap(),
        Some(1),
        "not upgraded"
    );
    assert_eq!(rows(&conn, "connections"), 2);
    drop(conn);
    assert_eq!(std::fs::read(&path).unwrap().len(), before.len());
}

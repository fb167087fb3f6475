//! Shared builders for the sync-state tests: a store on a real file in a temporary
//! directory, reopened to prove persistence, and planner values that differ per number.

use std::path::PathBuf;

use chrono::NaiveDate;
use tempfile::TempDir;

use super::Store;
use crate::sync::plan::{Link, SourceKey, TimesheetFields};

/// A database file in its own temporary directory (kept alive by the `TempDir`).
pub(super) struct TestDb {
    _dir: TempDir,
    pub(super) path: PathBuf,
}

impl TestDb {
    pub(super) fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tb.db");
        Self { _dir: dir, path }
    }

    /// Opens (or reopens) the store on the file.
    pub(super) fn open(&self) -> Store {
        Store::open(&self.path).expect("open store")
    }
}

pub(super) fn key(instance: &str, id: i64) -> SourceKey {
    SourceKey {
        instance: instance.into(),
        time_accounting_id: id,
    }
}

/// Fields that differ for every `n` (begin hour, project, description, tags).
pub(super) fn fields(n: u32) -> TimesheetFields {
    let day = NaiveDate::from_ymd_opt(2026, 3, 29).expect("date");
    TimesheetFields {
        begin: day.and_hms_opt(n % 20, 15, 0).expect("time"),
        end: day.and_hms_opt(n % 20 + 1, 0, 0).expect("time"),
        project: i64::from(n) + 100,
        activity: 7,
        description: format!("#{n} Ticket ⟦tb:acme:{n}⟧"),
        tags: vec!["a".into(), format!("t{n}")],
    }
}

pub(super) fn link(timesheet_id: Option<i64>, n: u32) -> Link {
    Link {
        timesheet_id,
        base_source: fields(n),
        base_kimai: fields(n + 1),
    }
}

/// Inserts a connection row (connections have no store API yet) and returns its id.
pub(super) fn add_connection(store: &Store, kind: &str, url: &str) -> i64 {
    let conn = store.conn.lock();
    conn.execute(
        "INSERT INTO connections (kind, name, base_url) VALUES (?1, 'c', ?2)",
        [kind, url],
    )
    .expect("insert connection");
    conn.last_insert_rowid()
}

/// How many rows a table holds.
pub(super) fn count(store: &Store, table: &str) -> i64 {
    store
        .conn
        .lock()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

//! Opening a database file without ever damaging it: check, then migrate.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{backup, latest_schema_version, migrations};

/// How long a writer waits for another process (the CLI, a second app) to release the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// refinery's bookkeeping table; its presence marks a Timebridge database.
const HISTORY_TABLE: &str = "refinery_schema_history";

/// Why the database cannot be used. Every variant leaves the file as it was.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file cannot be created or opened for writing.
    #[error("Cannot open the database {path} for writing: {detail}. Check the permissions of the file and its directory.")]
    Unwritable {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// The file is damaged or not SQLite at all.
    #[error("The database {path} is damaged or is not a database ({detail}). Timebridge has not changed it. Restore it from a backup, or move it away to start afresh.")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// A valid SQLite database, but not one of ours.
    #[error("{path} is an SQLite database, but not a Timebridge one. Timebridge has not changed it; move it away or point {} elsewhere.", crate::DATA_DIR_ENV)]
    Foreign {
        /// The database file.
        path: PathBuf,
    },
    /// Written by a newer Timebridge: this build must not touch it.
    #[error("The database {path} has schema version {found}, but this Timebridge only knows up to version {supported}. It was written by a newer Timebridge: install that version again. The file has not been changed.")]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The version recorded in the file.
        found: i32,
        /// The newest version this build knows.
        supported: i32,
    },
    /// Another process holds a lock on the file.
    #[error("The database {path} is locked by another process (another Timebridge, or the CLI). Try again when it has finished.")]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// A migration failed; the transaction was rolled back.
    #[error("Upgrading the database schema failed and was rolled back: {detail}.")]
    Migration {
        /// What refinery or SQLite said.
        detail: String,
    },
    /// No copy of the database could be taken before upgrading it, so it was not upgraded.
    #[error("Before upgrading the database {path}, Timebridge copies it, and the copy failed: {detail}. The database has not been changed. Free some disk space (or fix the permissions of its folder) and start Timebridge again.")]
    Backup {
        /// The database file.
        path: PathBuf,
        /// Why the copy failed.
        detail: String,
    },
    /// Upgrading an existing database failed; it was rolled back, and a copy taken before
    /// the upgrade is kept beside it.
    #[error("Upgrading the database {path} from schema version {from} failed and was rolled back: {detail}. The database should be as it was; a copy taken just before the upgrade is {backup}. To recover: install the previous Timebridge again and keep using the database, or, if the database is damaged, quit Timebridge and replace {path} with that copy (delete {path}-wal and {path}-shm too).")]
    MigrationFailed {
        /// The database file.
        path: PathBuf,
        /// The copy taken before the upgrade.
        backup: PathBuf,
        /// The schema version before the upgrade.
        from: i32,
        /// What refinery or SQLite said.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
}

/// A disk that is full gets a sentence of its own: it is the one database failure the user
/// can fix, and the sync is built so that nothing is lost when it happens.
fn sqlite_message(err: &rusqlite::Error) -> String {
    if err.sqlite_error_code() == Some(ErrorCode::DiskFull) {
        format!("The disk holding the database is full ({err}). Nothing was lost: what could not be saved was rolled back. Free some disk space and try again.")
    } else {
        format!("Database error: {err}")
    }
}

fn classify(path: &Path, err: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path,
            detail: err.to_string(),
        },
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            StoreError::Unwritable {
                path,
                detail: err.to_string(),
            }
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        _ => StoreError::Sqlite(err),
    }
}

/// The highest version in refinery's history table, `None` if the table is absent.
pub(super) fn applied_schema_version(conn: &Connection) -> Result<Option<i32>, rusqlite::Error> {
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        [HISTORY_TABLE],
        |r| r.get(0),
    )?;
    if !has_history {
        return Ok(None);
    }
    conn.query_row(
        &format!("SELECT MAX(version) FROM {HISTORY_TABLE}"),
        [],
        |r| r.get(0),
    )
}

/// Reads the file and refuses it, untouched, unless it is empty or a Timebridge database this
/// build can handle.
fn check_existing(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt {
            path: path.into(),
            detail: verdict,
        });
    }
    let version = applied_schema_version(conn).map_err(|e| classify(path, e))?;
    let supported = latest_schema_version();
    match version {
        Some(found) if found > supported => Err(StoreError::TooNew {
            path: path.into(),
            found,
            supported,
        }),
        Some(_) => Ok(()),
        None => {
            let tables: i64 = conn
                .query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(|e| classify(path, e))?;
            if tables == 0 {
                Ok(())
            } else {
                Err(StoreError::Foreign { path: path.into() })
            }
        }
    }
}

pub(super) fn open_checked_and_migrated(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    check_existing(&conn, path)?;

    // WAL cannot be switched on inside a transaction, so before migrating. It persists in the
    // file; on a fresh file this is the first write.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "SQLite refused WAL mode; continuing in this mode");
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;

    let before = applied_schema_version(&conn)?;
    // An existing file with pending migrations is copied first (a fresh one has nothing to lose).
    let backup = match before {
        Some(from) if from < latest_schema_version() => {
            let copy = backup::take(&conn, path, from).map_err(|e| StoreError::Backup {
                path: path.into(),
                detail: e.to_string(),
            })?;
            tracing::info!(copy = %copy.display(), from, "copied the database before upgrading it");
            Some((from, copy))
        }
        _ => None,
    };
    let report = migrations::runner()
        .set_grouped(true)
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .run(&mut conn)
        .map_err(|e| match backup {
            Some((from, backup)) => StoreError::MigrationFailed {
                path: path.into(),
                backup,
                from,
                detail: e.to_string(),
            },
            None => StoreError::Migration {
                detail: e.to_string(),
            },
        })?;
    for m in report.applied_migrations() {
        tracing::info!(version = m.version(), name = m.name(), "applied migration");
    }
    tracing::info!(
        path = %path.display(),
        from = ?before,
        to = latest_schema_version(),
        "database ready"
    );
    Ok(conn)
}

//! The SQLite store: one database file in the data directory, owned by this module.
//!
//! Opening is careful because the file holds a consultant's billing state:
//! - an existing file is checked (`PRAGMA quick_check`) and its schema version read *before*
//!   anything is written, so a damaged file, a foreign database or one written by a newer
//!   Timebridge is reported and left exactly as it was;
//! - pending migrations (refinery, embedded from `migrations/`) run grouped in one transaction,
//!   so a failed upgrade leaves the previous schema intact;
//! - WAL mode, so the UI can read while a sync writes.
//!
//! The sync engine's state (schema v2) is read through methods on [`Store`] and written
//! through [`Store::write`], one module per group of tables: `instances`, `links`, `runs`,
//! `outbox`, `audit`, `decisions` (conflicts, resolutions, ignored, parked) and `cursors`
//! (cursors, closed months). All SQL lives in these modules.

mod app_settings;
pub(crate) mod audit;
mod backup;
mod billing;
mod codec;
pub(crate) mod connections;
mod cursors;
pub(crate) mod decisions;
pub(crate) mod facts;
pub(crate) mod holds;
pub(crate) mod instances;
mod links;
mod open;
pub(crate) mod outbox;
pub(crate) mod runs;
pub(crate) mod twins;
pub(crate) mod txn;

pub(crate) use txn::WriteTxn;

use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use rusqlite::Connection;

pub use open::StoreError;

refinery::embed_migrations!("../../migrations");

/// The newest schema version this build knows (the highest embedded migration).
pub(crate) fn latest_schema_version() -> i32 {
    migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}

/// An open, migrated database.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if absent), checks and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = open::open_checked_and_migrated(path)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The newest migration recorded in the file itself.
    pub fn schema_version(&self) -> Result<i32, StoreError> {
        open::applied_schema_version(&self.conn.lock())?.ok_or_else(|| StoreError::Migration {
            detail: "no migration is recorded".into(),
        })
    }

    /// The SQLite journal mode (`wal` once opened).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .lock()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }

    /// How many Kimai and Zammad connections are configured.
    pub fn connection_count(&self) -> Result<u32, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row("SELECT COUNT(*) FROM connections", [], |r| r.get(0))?)
    }

    /// A stamp that differs whenever the database may have changed since it was taken: rows
    /// changed through this store (`total_changes`) or commits by another connection, e.g.
    /// the CLI (`PRAGMA data_version`). Caches of derived views (the entries list) compare it.
    pub fn data_stamp(&self) -> Result<(i64, u64), StoreError> {
        let conn = self.conn.lock();
        let version: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok((version, conn.total_changes()))
    }
}

#[cfg(test)]
mod sync_fixtures;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_backup;
#[cfg(test)]
mod tests_disk_full;
#[cfg(test)]
mod tests_sync_links;
#[cfg(test)]
mod tests_sync_schema;
#[cfg(test)]
mod tests_sync_state;

//! A copy of the database before every schema upgrade.
//!
//! Migrations run grouped in one transaction, so a failing one is rolled back; the copy is for
//! what a transaction cannot undo: a migration that succeeds but is wrong, or a user who must
//! go back to the previous Timebridge. It is taken with `VACUUM INTO` (a consistent snapshot,
//! WAL included, even while another reader has the file open) next to the database, as
//! `<db>.backup-v<from>-<UTC timestamp>`; the newest [`KEEP`] copies are kept.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// How many pre-upgrade copies are kept per database file.
pub(crate) const KEEP: usize = 3;

/// Why no copy could be taken (the upgrade is then not attempted).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct BackupError(String);

/// `<file name>.backup-v`: the start of every copy's name.
fn prefix(db: &Path) -> String {
    let name = db
        .file_name()
        .map_or_else(|| "timebridge.db".into(), |n| n.to_string_lossy());
    format!("{name}.backup-v")
}

/// Copies the database at `db` (open as `conn`, schema version `from`) to a new file beside
/// it and removes the oldest copies beyond [`KEEP`]. Returns the copy's path.
pub(crate) fn take(conn: &Connection, db: &Path, from: i32) -> Result<PathBuf, BackupError> {
    // When the copy was taken, by the computer's clock: it only names and orders the copies.
    let stamp = crate::Clock::system().now().format("%Y%m%dT%H%M%S%.3fZ");
    let target = db.with_file_name(format!("{}{from}-{stamp}", prefix(db)));
    let text = target
        .to_str()
        .ok_or_else(|| BackupError(format!("the path {} is not UTF-8", target.display())))?;
    if !target.exists() {
        conn.execute("VACUUM INTO ?1", [text])
            .map_err(|e| BackupError(e.to_string()))?;
    }
    prune(db);
    Ok(target)
}

/// The existing copies of `db`, oldest first (by the timestamp in their names).
pub(crate) fn list(db: &Path) -> Vec<PathBuf> {
    let prefix = prefix(db);
    let dir = db.parent().unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut copies: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?;
            // `<from>-<stamp>`: sort by the stamp, whatever the version.
            let (_, stamp) = rest.split_once('-')?;
            Some((stamp.to_owned(), e.path()))
        })
        .collect();
    copies.sort();
    copies.into_iter().map(|(_, p)| p).collect()
}

/// Removes all but the newest [`KEEP`] copies. A copy that cannot be removed stays (logged).
fn prune(db: &Path) {
    let copies = list(db);
    let excess = copies.len().saturating_sub(KEEP);
    for old in &copies[..excess] {
        if let Err(e) = std::fs::remove_file(old) {
            tracing::warn!(path = %old.display(), error = %e, "could not remove an old database copy");
        }
    }
}

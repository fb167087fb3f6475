//! Sync runs: one row per sync, preview or undo, written when it starts and when it ends, so
//! status, history and undo can name a run, and a run that never ended (a crash) is visible.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::codec::{json, now_sql, stored_names, time, time_opt, to_json};
use super::{Store, StoreError};

/// What started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunTrigger {
    /// The user, from the app.
    Manual,
    /// The cron schedule: the app's background sync or `timebridge schedule`.
    Schedule,
    /// The command line.
    Cli,
}
stored_names!(RunTrigger { Manual => "manual", Schedule => "schedule", Cli => "cli" });

/// What a run does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// Plan and carry out.
    Sync,
    /// Plan only; no writes.
    Preview,
    /// Reverse an earlier run.
    Undo,
}
stored_names!(RunMode { Sync => "sync", Preview => "preview", Undo => "undo" });

/// How a run ended (or that it has not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// Still going (or its process died: see `Store::interrupt_unfinished_runs`).
    Running,
    /// Done.
    Ok,
    /// A server was unreachable; nothing was lost, the next run continues.
    Offline,
    /// Ended with an error.
    Failed,
    /// Its process ended before it did.
    Interrupted,
}
stored_names!(RunOutcome {
    Running => "running",
    Ok => "ok",
    Offline => "offline",
    Failed => "failed",
    Interrupted => "interrupted",
});

/// What a run did, by kind. Missing fields read as 0, so older rows stay readable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunCounts {
    /// Timesheets created.
    pub created: u32,
    /// Timesheets updated.
    pub updated: u32,
    /// Timesheets deleted.
    pub deleted: u32,
    /// User edits in Kimai kept (no write).
    pub kept_user_edits: u32,
    /// Bases moved without a write.
    pub rebased: u32,
    /// Links forgotten or tombstoned.
    pub forgotten: u32,
    /// Entries parked.
    pub parked: u32,
    /// Conflicts reported.
    pub conflicts: u32,
    /// Writes Kimai refused (their entries parked with Kimai's answer).
    pub refused: u32,
    /// Writes Kimai stored with other times than sent (its own rounding rules).
    pub kimai_adjusted: u32,
    /// Actions that failed.
    pub failed: u32,
    /// Writes whose answer was lost, settled in the same run (found by their marker, or read
    /// back) instead of being left for the next run.
    pub recovered: u32,
}

/// One run as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRow {
    /// Its id (the `run_id` of its audit and outbox rows).
    pub id: i64,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while running.
    pub finished_at: Option<DateTime<Utc>>,
    /// What started it.
    pub trigger: RunTrigger,
    /// What it does.
    pub mode: RunMode,
    /// How it ended.
    pub outcome: RunOutcome,
    /// The error, for `failed` and `offline` runs.
    pub error: Option<String>,
    /// What it did.
    pub counts: RunCounts,
    /// For an undo: the run it reverses.
    pub undoes_run: Option<i64>,
}

const SELECT: &str = "SELECT id, started_at, finished_at, trigger, mode, outcome, error, \
                      counts_json, undoes_run FROM sync_runs";

fn run_row(row: &Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: row.get(0)?,
        started_at: time(row, 1)?,
        finished_at: time_opt(row, 2)?,
        trigger: row.get(3)?,
        mode: row.get(4)?,
        outcome: row.get(5)?,
        error: row.get(6)?,
        counts: json(row, 7)?,
        undoes_run: row.get(8)?,
    })
}

impl Store {
    /// Records the start of a run (outcome `running`) and returns its id.
    pub fn start_run(&self, trigger: RunTrigger, mode: RunMode) -> Result<i64, StoreError> {
        let conn = self.conn.lock();
        conn.execute(
            "INSERT INTO sync_runs (trigger, mode) VALUES (?1, ?2)",
            params![trigger, mode],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Records the start of an undo of run `undoes` (mode `undo`) and returns its id.
    pub fn start_undo_run(&self, trigger: RunTrigger, undoes: i64) -> Result<i64, StoreError> {
        let conn = self.conn.lock();
        conn.execute(
            "INSERT INTO sync_runs (trigger, mode, undoes_run) VALUES (?1, 'undo', ?2)",
            params![trigger, undoes],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Records the end of a running run. Fails with `QueryReturnedNoRows` if the run does not
    /// exist or has already ended, and with a constraint error if `outcome` is `Running`.
    pub fn finish_run(
        &self,
        id: i64,
        outcome: RunOutcome,
        error: Option<&str>,
        counts: &RunCounts,
    ) -> Result<(), StoreError> {
        let n = self.conn.lock().execute(
            concat!(
                "UPDATE sync_runs SET outcome = ?2, error = ?3, counts_json = ?4, finished_at = ",
                now_sql!(),
                " WHERE id = ?1 AND outcome = 'running'"
            ),
            params![id, outcome, error, to_json(counts)?],
        )?;
        if n == 0 {
            return Err(rusqlite::Error::QueryReturnedNoRows.into());
        }
        Ok(())
    }

    /// Marks every run still `running` as `interrupted`. Call it only when no other run can be
    /// in progress (at start-up, under the scheduler's single-flight guard). Returns how many.
    pub fn interrupt_unfinished_runs(&self) -> Result<usize, StoreError> {
        Ok(self.conn.lock().execute(
            concat!(
                "UPDATE sync_runs SET outcome = 'interrupted', finished_at = ",
                now_sql!(),
                " WHERE outcome = 'running'"
            ),
            [],
        )?)
    }

    /// The newest `limit` runs, newest first.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY id DESC LIMIT ?1"))?;
        let rows = stmt.query_map([limit], run_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One run, if it exists.
    pub fn run(&self, id: i64) -> Result<Option<RunRow>, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], run_row)
            .optional()?)
    }
}

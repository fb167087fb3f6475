//! The write-ahead outbox, what "exactly once" rests on: a row is committed *before* a
//! remote write (`pending`), marked `sent` just before the request goes out, and `confirmed`
//! in the transaction that writes the link. A crash between the request and that commit
//! leaves a `pending`/`sent` row, and the next run looks for the timesheet by its marker
//! before creating anything. States only move forward (a trigger enforces it).

use chrono::{DateTime, Utc};
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};

use super::codec::{json_opt, now_sql, source_key, stored_names, time, to_json_opt};
use super::{Store, StoreError, WriteTxn};
use crate::sync::plan::{SourceKey, TimesheetFields};

/// The remote write an outbox row stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    /// Create a timesheet.
    Create,
    /// Update a timesheet.
    Update,
    /// Delete a timesheet.
    Delete,
}
stored_names!(OutboxKind { Create => "create", Update => "update", Delete => "delete" });

/// Where an outbox row stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Written; the request has not gone out.
    Pending,
    /// The request may have gone out; its result is not recorded.
    Sent,
    /// Done, and the link reflects it.
    Confirmed,
    /// Kimai refused it; nothing changed remotely.
    Failed,
}
stored_names!(OutboxState {
    Pending => "pending",
    Sent => "sent",
    Confirmed => "confirmed",
    Failed => "failed",
});

/// One outbox row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    /// The row id (from `outbox_enqueue`); ids grow, so id order is write order.
    pub id: i64,
    /// The run that wrote it.
    pub run_id: i64,
    /// The Zammad entry whose timesheet the write is for.
    pub key: SourceKey,
    /// What it writes.
    pub kind: OutboxKind,
    /// The fields sent (create/update); `None` for a delete.
    pub payload: Option<TimesheetFields>,
    /// Where it stands.
    pub state: OutboxState,
    /// The timesheet: known up front for update/delete, once confirmed for create.
    pub timesheet_id: Option<i64>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When its state last changed.
    pub updated_at: DateTime<Utc>,
}

fn outbox_row(row: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: row.get(0)?,
        run_id: row.get(1)?,
        key: source_key(row, 2)?,
        kind: row.get(4)?,
        payload: json_opt(row, 5)?,
        state: row.get(6)?,
        timesheet_id: row.get(7)?,
        created_at: time(row, 8)?,
        updated_at: time(row, 9)?,
    })
}

impl Store {
    /// The rows a crash may have left half done (`pending` and `sent`), oldest first.
    pub fn pending_outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT id, run_id, instance, time_accounting_id, kind, payload_json, state, \
             timesheet_id, created_at, updated_at FROM outbox \
             WHERE state IN ('pending', 'sent') ORDER BY id",
        )?;
        let rows = stmt.query_map([], outbox_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Of `keys`, those whose timesheet this app created (a confirmed create in the outbox):
    /// their timesheet was placed from the entry itself, so it begins no earlier than the
    /// entry was booked.
    pub fn created_here(
        &self,
        keys: &[SourceKey],
    ) -> Result<std::collections::BTreeSet<SourceKey>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT 1 FROM outbox WHERE instance = ?1 AND time_accounting_id = ?2 \
             AND kind = 'create' AND state = 'confirmed' LIMIT 1",
        )?;
        let mut out = std::collections::BTreeSet::new();
        for key in keys {
            if stmt.exists(params![key.instance, key.time_accounting_id])? {
                out.insert(key.clone());
            }
        }
        Ok(out)
    }
}

impl WriteTxn<'_> {
    /// Writes a `pending` row before a remote write and returns its id.
    pub fn outbox_enqueue(
        &self,
        run_id: i64,
        key: &SourceKey,
        kind: OutboxKind,
        timesheet_id: Option<i64>,
        payload: Option<&TimesheetFields>,
    ) -> Result<i64, StoreError> {
        self.conn().execute(
            "INSERT INTO outbox (run_id, instance, time_accounting_id, kind, payload_json, \
             timesheet_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                run_id,
                key.instance,
                key.time_accounting_id,
                kind,
                to_json_opt(payload)?,
                timesheet_id
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Moves a row to `state`, recording the timesheet id when given (kept otherwise).
    /// Fails with `QueryReturnedNoRows` for an unknown id, and with a constraint error for a
    /// backward move (e.g. out of `confirmed`).
    pub fn outbox_mark(
        &self,
        id: i64,
        state: OutboxState,
        timesheet_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let n = self.conn().execute(
            concat!(
                "UPDATE outbox SET state = ?2, timesheet_id = COALESCE(?3, timesheet_id), ",
                "updated_at = ",
                now_sql!(),
                " WHERE id = ?1"
            ),
            params![id, state, timesheet_id],
        )?;
        if n == 0 {
            return Err(rusqlite::Error::QueryReturnedNoRows.into());
        }
        Ok(())
    }
}

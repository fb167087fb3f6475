//! The audit trail: every remote write and every base move, with the run, the actor and the
//! before/after fields, so the user can see what happened and undo a run. Append-only: the
//! schema refuses `UPDATE` and `DELETE` on it.

use chrono::{DateTime, Utc};
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};

use super::codec::{json_opt, source_key, stored_names, time, to_json_opt};
use super::{Store, StoreError, WriteTxn};
use crate::sync::plan::{SourceKey, TimesheetFields};

/// Who caused an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// A scheduled run.
    Scheduler,
    /// The user, in the app.
    User,
    /// The command line.
    Cli,
}
stored_names!(Actor { Scheduler => "scheduler", User => "user", Cli => "cli" });

/// What happened to one entry's timesheet or link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A timesheet was created.
    Create,
    /// A timesheet was found by its marker (after a crash) and linked instead of created.
    Adopt,
    /// A timesheet was updated.
    Update,
    /// A timesheet was deleted.
    Delete,
    /// The user's edit in Kimai was kept; the base moved.
    KeepUserEdit,
    /// Both sides agreed; the base moved.
    Rebase,
    /// The link was dropped.
    ForgetLink,
    /// The link became a tombstone.
    Tombstone,
}
stored_names!(AuditAction {
    Create => "create",
    Adopt => "adopt",
    Update => "update",
    Delete => "delete",
    KeepUserEdit => "keep_user_edit",
    Rebase => "rebase",
    ForgetLink => "forget_link",
    Tombstone => "tombstone",
});

/// An event to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// The run, or `None` for a decision outside a run.
    pub run_id: Option<i64>,
    /// Who caused it: a scheduled run, the user in the app, or the CLI.
    pub actor: Actor,
    /// What happened to the entry's timesheet or link.
    pub action: AuditAction,
    /// The Zammad entry whose timesheet or link the event is about.
    pub key: SourceKey,
    /// The timesheet, if any.
    pub timesheet_id: Option<i64>,
    /// Kimai's fields before (update, delete).
    pub before: Option<TimesheetFields>,
    /// Kimai's fields after (create, update).
    pub after: Option<TimesheetFields>,
}

/// An event as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// Its id; ids grow in the order events happened.
    pub id: i64,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// What was appended: run, actor, action, entry, timesheet and Kimai's fields.
    pub entry: AuditEntry,
    /// The entry's Zammad ticket, as its link knew it when the event was written.
    pub ticket_id: Option<i64>,
}

fn audit_row(row: &Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        id: row.get(0)?,
        at: time(row, 1)?,
        entry: AuditEntry {
            run_id: row.get(2)?,
            actor: row.get(3)?,
            action: row.get(4)?,
            key: source_key(row, 5)?,
            timesheet_id: row.get(7)?,
            before: json_opt(row, 8)?,
            after: json_opt(row, 9)?,
        },
        ticket_id: row.get(10)?,
    })
}

impl Store {
    /// The events of one run, in the order they happened.
    pub fn audit_for_run(&self, run_id: i64) -> Result<Vec<AuditEvent>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT id, at, run_id, actor, action, instance, time_accounting_id, timesheet_id, \
             before_json, after_json, ticket_id FROM audit_events WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTxn<'_> {
    /// Appends an event and returns its id. The entry's ticket is taken from its link as this
    /// transaction sees it (so write the event before removing a link).
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<i64, StoreError> {
        self.conn().execute(
            "INSERT INTO audit_events (run_id, actor, action, instance, time_accounting_id, \
             timesheet_id, before_json, after_json, ticket_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
             ?7, ?8, (SELECT ticket_id FROM links WHERE instance = ?4 AND \
             time_accounting_id = ?5))",
            params![
                entry.run_id,
                entry.actor,
                entry.action,
                entry.key.instance,
                entry.key.time_accounting_id,
                entry.timesheet_id,
                to_json_opt(entry.before.as_ref())?,
                to_json_opt(entry.after.as_ref())?
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }
}

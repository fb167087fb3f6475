//! History: sync runs, the audit log (what was written where, before → after), and undo with
//! a preview of what will and will not be undone.

use serde::{Deserialize, Serialize};

use crate::common::{EntryKey, FieldsView};

/// One run in the history.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunView {
    /// The run's id in the history (`timebridge runs show <id>` shows the same run).
    pub id: i64,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339; `None` while running.
    pub finished_at: Option<String>,
    /// `manual`, `schedule` or `cli`.
    pub trigger: String,
    /// `sync`, `preview` or `undo`.
    pub mode: String,
    /// `running`, `ok`, `offline`, `failed`, `interrupted`.
    pub outcome: String,
    /// Why not ok.
    pub error: Option<String>,
    /// Timesheets created.
    pub created: u32,
    /// Timesheets updated.
    pub updated: u32,
    /// Timesheets deleted.
    pub deleted: u32,
    /// Conflicts reported.
    pub conflicts: u32,
    /// Entries parked.
    pub parked: u32,
    /// Actions that failed.
    pub failed: u32,
    /// For an undo: the run it reversed.
    pub undoes_run: Option<i64>,
    /// Whether "Undo this run" applies (a finished sync that wrote something).
    pub undoable: bool,
}

/// `list_runs` request.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunsQuery {
    /// Newest first, at most this many (capped at 500).
    pub limit: u32,
}

/// A run id (`run_audit`, `undo_preview`, `undo_run`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunId {
    /// A sync run's id (`RunView::id`); for `billing_reverse`, a billing run's id.
    pub id: i64,
}

/// One audit event: a write to Kimai.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AuditView {
    /// The audit event's id; ids grow in the order events happened.
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// The run that wrote it.
    pub run_id: Option<i64>,
    /// `create`, `update`, `delete`, … (the core's `AuditAction`).
    pub action: String,
    /// Who: `scheduler`, `user`, `cli`.
    pub actor: String,
    /// The Zammad entry whose timesheet or link the event is about.
    pub key: EntryKey,
    /// The Kimai timesheet.
    pub timesheet_id: Option<i64>,
    /// The Zammad ticket.
    pub ticket_id: Option<i64>,
    /// Before.
    pub before: Option<FieldsView>,
    /// After.
    pub after: Option<FieldsView>,
}

/// One write of the run and what undoing it does (or would do).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UndoItem {
    /// The Zammad entry whose timesheet the run wrote.
    pub key: EntryKey,
    /// The timesheet the run wrote.
    pub timesheet_id: Option<i64>,
    /// What the run did: `create`, `update`, `delete`.
    pub action: String,
    /// Undone: `deleted`, `restored`, `recreated`, `already_gone`, `already_undone`.
    /// Not undone: `exported`, `changed_in_kimai`, `deleted_in_kimai`, `changed_since`,
    /// `month_closed`, `locked`, `rejected`, `failed`, `not_attempted`.
    pub code: String,
    /// In words.
    pub text: String,
}

/// What an undo did — or, for a preview, would do (nothing written).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UndoView {
    /// `true`: a dry run; nothing was written and no run recorded.
    pub preview: bool,
    /// The undo's own run id (`None` for a preview).
    pub run_id: Option<i64>,
    /// The run reversed.
    pub undoes_run: i64,
    /// `ok`, `offline`, `failed`.
    pub outcome: String,
    /// Why it stopped early.
    pub error: Option<String>,
    /// Reversed (or would be).
    pub undone: Vec<UndoItem>,
    /// Left as they are, with the reason.
    pub not_undone: Vec<UndoItem>,
}

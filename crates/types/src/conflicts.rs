//! Conflict review, offline: the three sides with the differing fields, the reason in plain
//! words, and the decisions that apply. A decision is stored at once; the next sync applies it.

use serde::{Deserialize, Serialize};

use crate::common::{EntryKey, Field, FieldsView};

/// A decision on a conflict (the core's `Resolution`, plus editing first).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// Write Zammad's version to Kimai.
    TakeZammad,
    /// Keep what Kimai holds; it becomes the new base.
    KeepKimai,
    /// Create the timesheet again (deleted in Kimai).
    Recreate,
    /// Accept that the timesheet is gone.
    AcceptDeletion,
    /// Leave the entry out of the sync from now on.
    Ignore,
    /// Book these fields (the user edited Zammad's version first).
    Edit {
        /// Begin, wall time `YYYY-MM-DDTHH:MM:SS`.
        begin: String,
        /// End, wall time.
        end: String,
        /// Project id.
        project: i64,
        /// Activity id.
        activity: i64,
        /// Description.
        description: String,
    },
}

/// Which decisions a conflict allows (for the buttons).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// [`Decision::TakeZammad`].
    TakeZammad,
    /// [`Decision::KeepKimai`].
    KeepKimai,
    /// [`Decision::Recreate`].
    Recreate,
    /// [`Decision::AcceptDeletion`].
    AcceptDeletion,
    /// [`Decision::Ignore`].
    Ignore,
    /// [`Decision::Edit`].
    Edit,
}

/// One open conflict, side by side.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    /// The Zammad entry in conflict.
    pub key: EntryKey,
    /// `both_changed`, `billed_changed_at_source`, `deleted_in_kimai`,
    /// `deleted_at_source_edited_in_kimai`, `new_entry_in_closed_month`.
    pub kind: String,
    /// The reason in plain words.
    pub reason: String,
    /// The Kimai timesheet, if any.
    pub timesheet_id: Option<i64>,
    /// What Zammad wants now (`None`: deleted in Zammad).
    pub zammad: Option<FieldsView>,
    /// What Kimai holds now (`None`: deleted in Kimai).
    pub kimai: Option<FieldsView>,
    /// The last synced state (`None`: never synced; `unknown`: rebuilt from Kimai).
    pub base: Option<FieldsView>,
    /// Fields where Zammad and Kimai differ (to highlight).
    pub differing: Vec<Field>,
    /// When first seen, RFC 3339.
    pub detected_at: String,
    /// A decision stored and waiting for the next sync.
    pub decided: Option<Decision>,
    /// The decisions this kind allows.
    pub choices: Vec<DecisionKind>,
}

/// `resolve_conflicts`: one decision for one or many conflicts (bulk).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ResolveRequest {
    /// The entries to decide on (exactly one for an edit); a parked entry takes only `ignore`.
    pub keys: Vec<EntryKey>,
    /// What to do with each of them; stored at once, applied by the next sync.
    pub decision: Decision,
}

/// One conflict the decision did not fit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NotResolved {
    /// The entry whose decision was not stored.
    pub key: EntryKey,
    /// Why (not a conflict any more, decision not allowed for its kind).
    pub reason: String,
}

/// What `resolve_conflicts` stored.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ResolveResult {
    /// Decisions stored (applied at the next sync).
    pub stored: Vec<EntryKey>,
    /// Conflicts left as they were.
    pub refused: Vec<NotResolved>,
}

//! The entries page: a window of rows (the UI virtualizes; the shell pages), filters, and one
//! entry's detail with how it was placed in time and rounded.

use serde::{Deserialize, Serialize};

use crate::common::{EntryKey, FieldsView};

/// An entry's state, as the filter and the dashboard name it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Booked in Kimai as Zammad wants.
    Synced,
    /// A write or a decision waits for the next sync.
    Pending,
    /// Parked: no mapping for its ticket.
    NeedsMapping,
    /// An open conflict.
    Conflict,
    /// Kimai refused its write (a project that ended, a locked period…): held, with Kimai's
    /// answer and what to do, until something changes.
    Refused,
    /// Parked for another reason, or its write failed.
    Error,
    /// Held after an undo, or ignored by the user: the sync leaves it alone.
    Held,
    /// Its ticket is no longer readable in Zammad (group access removed): the timesheet is
    /// kept, but changes no longer flow.
    Unreadable,
}

/// `list_entries` request: filters and the window wanted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct EntryQuery {
    /// `YYYY-MM` in the billing timezone.
    pub month: Option<String>,
    /// A Zammad instance key.
    pub instance: Option<String>,
    /// A Kimai customer id.
    pub customer: Option<i64>,
    /// One state.
    pub state: Option<EntryState>,
    /// First row of the window (0-based, in the filtered, sorted list).
    pub offset: u32,
    /// Rows wanted (the shell caps it at 500).
    pub limit: u32,
}

/// One row of the list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EntryRow {
    /// The Zammad time entry this row shows.
    pub key: EntryKey,
    /// Its one state, worked out from the local database (what the `state` filter matches).
    pub state: EntryState,
    /// Start, wall time (`2026-03-02T09:00:00`), when placed.
    pub begin: Option<String>,
    /// Duration in seconds, when known.
    pub duration_seconds: Option<i64>,
    /// The Kimai customer, when mapped.
    pub customer: Option<String>,
    /// The Kimai project, when mapped.
    pub project: Option<String>,
    /// The description (first line).
    pub description: String,
    /// The Kimai timesheet, when linked.
    pub timesheet_id: Option<i64>,
    /// A short note for parked/conflict/error rows.
    pub note: Option<String>,
    /// What Zammad says about it, when read: ticket, organization, day, exact time.
    #[serde(default)]
    pub zammad: Option<ZammadFactsView>,
}

/// `decide_twin`: is the entry the same work as the timesheet found for it?
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TwinAnswer {
    /// The entry waiting as a possible twin (any other entry is answered `false`).
    pub key: EntryKey,
    /// `true`: the same work (linked at the next sync); `false`: different work (booked too).
    pub same: bool,
}

/// What Zammad last said about an entry, kept whatever the sync did with it (so a parked or
/// refused entry is recognisable).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ZammadFactsView {
    /// Zammad's ticket id.
    pub ticket_id: i64,
    /// `#31010 VPN outage`.
    pub ticket: String,
    /// The ticket's organization.
    pub organization: Option<String>,
    /// The booking day, `YYYY-MM-DD` (billing timezone).
    pub day: String,
    /// When it was booked, RFC 3339.
    pub booked_at: String,
    /// The amount as Zammad gave it, in the instance's unit.
    pub time_unit: String,
    /// Exact time in milliseconds (`None`: the unit cannot convert it).
    pub millis: Option<i64>,
    /// The timesheet's whole seconds, when it is to be booked.
    pub booked_seconds: Option<i64>,
}

/// A window of the filtered list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EntryPage {
    /// Rows `offset .. offset + rows.len()`.
    pub rows: Vec<EntryRow>,
    /// The offset asked for.
    pub offset: u32,
    /// All rows matching the filters.
    pub total: u32,
}

/// How the entry was placed in time and rounded: Zammad's raw booking → Kimai's timesheet.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlacementView {
    /// Zammad's duration before rounding, seconds.
    pub before_seconds: Option<i64>,
    /// After rounding, seconds (the timesheet's duration).
    pub after_seconds: i64,
    /// The rounding rule in words (`up to 15 minutes`, `none`).
    pub rounding: String,
    /// The placement in words (`ends when it was booked`, `laid out back to back`).
    pub layout: String,
}

/// `entry_detail`: one entry from both sides.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EntryDetail {
    /// The entry asked for.
    pub key: EntryKey,
    /// Its one state, worked out from the local database (as in the list).
    pub state: EntryState,
    /// The Zammad ticket, when known.
    pub ticket_id: Option<i64>,
    /// What Zammad wants (the last synced or the conflicting source side).
    pub zammad: Option<FieldsView>,
    /// What Kimai holds (the last synced Kimai side, or the conflict's Kimai side).
    pub kimai: Option<FieldsView>,
    /// The Kimai timesheet.
    pub timesheet_id: Option<i64>,
    /// Placement and rounding, before → after.
    pub placement: Option<PlacementView>,
    /// Why it is parked, in conflict or held, in words.
    pub note: Option<String>,
    /// What Zammad says about it, when read.
    #[serde(default)]
    pub facts: Option<ZammadFactsView>,
    /// Why it is parked, as a code (`needs_mapping`, `unit_changed`, a refusal code…).
    #[serde(default)]
    pub reason_code: Option<String>,
}

/// One thing the next sync would do (`preview_sync`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PlannedAction {
    /// The Zammad time entry the action is for.
    pub key: EntryKey,
    /// `create`, `update`, `delete`, `keep_user_edit`, `rebase`, `forget_link`, `park`,
    /// `conflict` (the core's action names).
    pub action: String,
    /// Whether it writes to Kimai.
    pub writes: bool,
    /// In words.
    pub description: String,
}

/// What the next sync would do; nothing was written.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncPreviewView {
    /// The preview's run id (in the history as a preview).
    pub run_id: i64,
    /// `ok`, `offline` or `failed`.
    pub outcome: String,
    /// Why not ok.
    pub error: Option<String>,
    /// Every action the plan holds, writing or not (see `writes`); none was carried out.
    pub actions: Vec<PlannedAction>,
}

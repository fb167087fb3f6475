//! Syncing as the window and the tray see it: the schedule, "Sync now", progress events and
//! the tray's state.

use serde::{Deserialize, Serialize};

/// What the background schedule is doing.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SchedulePhase {
    /// Waiting for the next tick.
    Idle,
    /// A run is going.
    Running,
    /// Paused by the user.
    Paused,
    /// Scheduled runs fail; ticks are skipped for a while.
    BackingOff,
}

/// The last finished run, short.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LastSyncView {
    /// RFC 3339.
    pub finished_at: String,
    /// `succeeded`, `offline`, `failed`.
    pub outcome: String,
    /// `schedule` or `manual`.
    pub trigger: String,
    /// Remote writes.
    pub writes: u32,
    /// New conflicts.
    pub conflicts: u32,
    /// Why it failed.
    pub error: Option<String>,
}

/// The schedule's status (`schedule_status`, event `schedule://changed`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    /// What it does.
    pub phase: SchedulePhase,
    /// The cron expression in force.
    pub cron: String,
    /// RFC 3339, while a run is going.
    pub running_since: Option<String>,
    /// The last finished run.
    pub last: Option<LastSyncView>,
    /// RFC 3339; `None` when paused or not started.
    pub next_run: Option<String>,
    /// Scheduled runs failed in a row.
    pub consecutive_failures: u32,
    /// The latest failure.
    pub last_error: Option<String>,
}

/// `set_paused` request.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PauseRequest {
    /// Pause (`true`) or resume.
    pub paused: bool,
}

/// What "Sync now" did.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncResultView {
    /// The run's id.
    pub run_id: i64,
    /// `ok`, `offline`, `failed`.
    pub outcome: String,
    /// Why not ok.
    pub error: Option<String>,
    /// Timesheets created.
    pub created: u32,
    /// Updated.
    pub updated: u32,
    /// Deleted.
    pub deleted: u32,
    /// Conflicts now open from this run.
    pub conflicts: u32,
    /// Entries parked.
    pub parked: u32,
    /// Helpdesks whose first sync waits for the go-ahead (their part was only planned).
    #[serde(default)]
    pub awaiting_go_ahead: Vec<String>,
    /// Requests to Kimai sent again in this run (slow answers, errors, garbled bodies).
    #[serde(default)]
    pub kimai_retries: u64,
    /// Requests to the Zammad helpdesks sent again in this run.
    #[serde(default)]
    pub zammad_retries: u64,
    /// Writes whose answer was lost, settled in this run.
    #[serde(default)]
    pub recovered: u32,
}

/// A step of a run (event `sync://progress`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SyncStep {
    /// The run started.
    Started,
    /// Reading Zammad and Kimai.
    Reading,
    /// Writing to Kimai.
    Writing,
    /// Done (a `sync://finished` follows).
    Finished,
}

/// Progress of the run in flight.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// Where the run is; only `reading` and `writing` carry `done` and `total`.
    pub step: SyncStep,
    /// Items done in this step, when counted.
    pub done: Option<u32>,
    /// Items in this step, when known.
    pub total: Option<u32>,
    /// `schedule` or `manual`.
    pub trigger: String,
    /// Requests sent again so far in this run (the servers answer slowly or with errors).
    #[serde(default)]
    pub retries: u32,
}

/// What the tray icon shows.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TrayState {
    /// All is well.
    Idle,
    /// A run is going.
    Syncing,
    /// Conflicts or parked entries wait for the user.
    NeedsAttention,
    /// The last run failed (a rejected token, a failing schedule).
    Error,
    /// A server could not be reached.
    Offline,
}

/// The tray's state, tooltip and menu facts (`tray_state`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TrayView {
    /// Which icon: syncing, else error, offline or needs attention (the first that applies),
    /// else idle.
    pub state: TrayState,
    /// `Timebridge: …` in the user's language (a failed run's error text stays English).
    pub tooltip: String,
    /// Open conflicts ("Review N conflicts…").
    pub conflicts: u32,
    /// "Last sync: HH:MM" (local time), `None` before the first.
    pub last_sync: Option<String>,
    /// Background sync paused.
    pub paused: bool,
}

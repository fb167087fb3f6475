//! The values that cross the scheduler's boundary: what the sync job is given and returns, the
//! configuration, and the status the desktop shell, the CLI and the tray render. They live apart
//! from the scheduler's machinery so the sync engine can adapt to them without pulling it in,
//! and all of them serialize so the shell can hand them to the webview as they are.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The default schedule: second 0 of every 15th minute.
pub const DEFAULT_CRON: &str = "0 */15 * * * *";

/// A boxed, sendable future, as returned by a [`SyncJob`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The work the scheduler runs: one sync run, told what started it.
///
/// Build one from an async closure with [`sync_job`].
pub type SyncJob =
    Arc<dyn Fn(Trigger) -> BoxFuture<'static, Result<RunSummary, JobError>> + Send + Sync>;

/// Wraps an async closure as a [`SyncJob`].
pub fn sync_job<F, Fut>(f: F) -> SyncJob
where
    F: Fn(Trigger) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<RunSummary, JobError>> + Send + 'static,
{
    Arc::new(move |trigger| Box::pin(f(trigger)))
}

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A cron tick of the background schedule. Failures count towards backoff.
    Schedule,
    /// The user asked (tray "Sync now", the CLI, the window). Never delayed by backoff.
    Manual,
}

/// What a finished run did, as the sync engine reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Remote writes made (creates, updates, deletes).
    pub writes: u32,
    /// Conflicts parked for the user in this run.
    pub conflicts: u32,
    /// Writes Kimai refused in this run (their entries are parked with Kimai's answer).
    #[serde(default)]
    pub refused: u32,
    /// This run was the first ever to find Kimai storing other times than sent (its own
    /// rounding rules): the user is told once.
    #[serde(default)]
    pub kimai_rounds_first: bool,
    /// A server could not be reached; the run ended early with nothing lost.
    /// Counts as a failure for backoff but is shown as "offline", not "error".
    pub offline: bool,
}

/// A run that failed, as the sync engine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    /// What went wrong, in words fit for the user.
    pub message: String,
    /// Whether trying again later may help (a timeout) or not (a rejected token).
    pub retryable: bool,
}

impl JobError {
    /// A failure that may go away by itself.
    pub fn retryable(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: true,
        }
    }

    /// A failure that needs the user (a revoked token, a missing permission).
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: false,
        }
    }
}

/// How the background schedule is set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleConfig {
    /// A six-field cron expression with seconds, in UTC: `sec min hour day month weekday`.
    pub cron: String,
    /// Start with background runs paused (manual runs still work).
    pub paused: bool,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            cron: DEFAULT_CRON.to_owned(),
            paused: false,
        }
    }
}

/// What the scheduler is doing, for the tray icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchedulerState {
    /// Waiting for the next tick (or not started).
    Idle,
    /// A run is in progress.
    Running,
    /// Background runs are paused by the user; manual runs still work.
    Paused,
    /// Scheduled runs have been failing; ticks are being skipped (see `next_run`).
    BackingOff,
}

/// How a finished run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    /// The run completed.
    Succeeded,
    /// The run completed but a server was unreachable ([`RunSummary::offline`]).
    Offline,
    /// The job returned an error (or panicked).
    Failed,
}

/// The most recent finished run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRun {
    /// What started it.
    pub trigger: Trigger,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
    /// How it ended.
    pub outcome: SyncOutcome,
    /// The job's summary, when it returned one.
    pub summary: Option<RunSummary>,
    /// The job's error, when it failed.
    pub error: Option<JobError>,
}

/// A snapshot of the scheduler for the UI, the CLI `status` and the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleStatus {
    /// What the scheduler is doing now.
    pub state: SchedulerState,
    /// The cron expression in force.
    pub cron: String,
    /// When the run in progress started, if one is.
    pub running_since: Option<DateTime<Utc>>,
    /// The most recent finished run, manual or scheduled.
    pub last_run: Option<LastRun>,
    /// When the next scheduled run will happen, counting ticks backoff will skip.
    /// `None` when not started, paused or shut down.
    pub next_run: Option<DateTime<Utc>>,
    /// Scheduled runs that failed (or were offline) in a row; reset by any success.
    pub consecutive_failures: u32,
    /// The message of the latest failed run; cleared by a success. Offline runs don't set it.
    pub last_error: Option<String>,
    /// Ticks skipped because a run was still in progress or because of backoff.
    pub skipped_ticks: u64,
}

/// Why a scheduled tick did not start a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum SkipReason {
    /// Background runs are paused.
    Paused,
    /// A run (manual or scheduled) was still in progress.
    AlreadyRunning,
    /// Backing off after failures; `remaining` more ticks will be skipped after this one.
    BackingOff {
        /// Ticks still to skip after this one.
        remaining: u32,
    },
}

/// One thing that happened, for notifications and the tray tooltip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum ScheduleEvent {
    /// A run started.
    Started {
        /// What started it.
        trigger: Trigger,
        /// When.
        at: DateTime<Utc>,
    },
    /// A run finished.
    Finished(LastRun),
    /// A scheduled tick was skipped (paused ticks are not reported).
    Skipped {
        /// Why.
        reason: SkipReason,
        /// When.
        at: DateTime<Utc>,
    },
    /// The run in flight moved on (throttled to whole percents per phase).
    Progress {
        /// What started the run.
        trigger: Trigger,
        /// How far.
        progress: crate::progress::Progress,
    },
}

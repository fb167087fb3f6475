//! The scheduler's typed errors, split by caller: [`ScheduleError`] for setting the schedule up,
//! [`RunNowError`] for "Sync now", whose refusal the tray shows to the user as it is.

use chrono::{DateTime, Utc};

use super::types::{JobError, Trigger};

/// Setting up or changing the schedule failed.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The cron expression does not parse; nothing was changed.
    #[error("invalid schedule {expression:?}: {reason}")]
    InvalidCron {
        /// The expression as given.
        expression: String,
        /// Why it was rejected, with the expected format.
        reason: String,
    },
    /// The scheduler was shut down; create a new one.
    #[error("the scheduler has been shut down")]
    ShutDown,
    /// The underlying cron runtime (tokio-cron-scheduler) failed to start or stop.
    #[error("the background scheduler failed: {0}")]
    Runtime(String),
}

/// A manual run did not happen or failed.
#[derive(Debug, thiserror::Error)]
pub enum RunNowError {
    /// Single flight: another run is in progress, so this one was refused (not queued, not
    /// joined). Try again when the status is no longer `running`.
    #[error("a sync is already running (started by {trigger:?} at {since}); try again when it has finished")]
    AlreadyRunning {
        /// When the run in progress started.
        since: DateTime<Utc>,
        /// What started it.
        trigger: Trigger,
    },
    /// The scheduler was shut down.
    #[error("the scheduler has been shut down")]
    ShutDown,
    /// The run happened and failed.
    #[error("sync failed: {0}")]
    Failed(#[from] JobError),
}

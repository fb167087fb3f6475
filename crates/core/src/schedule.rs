//! Background polling. Timebridge runs on a laptop that webhooks cannot reach, so the only way
//! to notice new Zammad time entries is to sync on a timer. This module owns that timer — a
//! tokio-cron-scheduler job, every 15 minutes by default — and the rules around it, with no
//! knowledge of Tauri: the desktop shell and the CLI's foreground mode both drive a
//! [`Scheduler`] and render its [`ScheduleStatus`].
//!
//! Rules:
//! - **Single flight.** At most one run at a time, whatever started it. A manual run while
//!   another is in progress is refused with [`RunNowError::AlreadyRunning`] (not queued, not
//!   joined); a scheduled tick that finds a run in progress is skipped, logged and counted in
//!   [`ScheduleStatus::skipped_ticks`].
//! - **Quick retries, then backoff.** After the n-th scheduled run in a row that failed or was
//!   offline, it is tried again after 1, 2, 4, 8 … minutes while that is shorter than the
//!   schedule's period ([`retry_after`]; shown as the next run) — a flaky network rarely stays
//!   down for a whole period. Once those are used up, ticks are skipped so the interval grows
//!   1, 2, 4 … ticks, capped at one hour ([`backoff_skips`]). Any successful run (manual ones
//!   too) resets both; manual runs are never delayed and their failures do not count. Offline
//!   runs count but are reported as [`SyncOutcome::Offline`], not as errors.
//! - **Pause** ignores ticks until resumed; manual runs still work.
//! - **Updates** arrive without polling: [`Scheduler::subscribe`] is a watch channel holding
//!   the latest [`ScheduleStatus`] (for the tray icon and tooltip); [`Scheduler::events`] is a
//!   broadcast of every [`ScheduleEvent`] (for notifications).

mod backoff;
mod cron;
mod error;
mod scheduler;
#[cfg(test)]
mod tests;
mod types;

pub use backoff::{
    backoff_skips, decide_tick, derive_state, quick_retries, retry_after, TickDecision,
    BACKOFF_CAP, FIRST_RETRY,
};
pub use error::{RunNowError, ScheduleError};
pub use scheduler::Scheduler;
pub use types::{
    sync_job, BoxFuture, JobError, LastRun, RunSummary, ScheduleConfig, ScheduleEvent,
    ScheduleStatus, SchedulerState, SkipReason, SyncJob, SyncOutcome, Trigger, DEFAULT_CRON,
};

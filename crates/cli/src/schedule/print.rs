//! The lines `timebridge schedule` prints: one per run start, run end (with what the run did and
//! the next run time), backoff skip, and the start and stop of the scheduler — as text, or as
//! one compact JSON object per line (`--json`, for log shippers). Ticks skipped because a run
//! is still in progress are not printed: with a short schedule they would be most lines.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use timebridge_core::schedule::{ScheduleEvent, ScheduleStatus, SkipReason, SyncOutcome, Trigger};
use timebridge_core::RunCounts;

use super::LastReport;

/// One printed line (`{"event": "…", …}` under `--json`).
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Line {
    /// The scheduler started.
    Scheduled {
        /// The cron expression (UTC).
        cron: String,
        /// The first run.
        next_run: Option<DateTime<Utc>>,
    },
    /// A run started.
    Started {
        /// `schedule` (or `manual`).
        trigger: Trigger,
        /// When.
        at: DateTime<Utc>,
    },
    /// A run finished.
    Finished {
        /// What started it.
        trigger: Trigger,
        /// When it started.
        started_at: DateTime<Utc>,
        /// When it finished.
        finished_at: DateTime<Utc>,
        /// `succeeded`, `offline` or `failed`.
        outcome: SyncOutcome,
        /// The run's id (`runs show <id>`), if it got one.
        run_id: Option<i64>,
        /// What it did, if it ran.
        counts: Option<RunCounts>,
        /// Remote writes (creates, updates, deletes).
        writes: Option<u32>,
        /// Why it did not succeed.
        error: Option<String>,
        /// The next run, counting ticks backoff will skip.
        next_run: Option<DateTime<Utc>>,
    },
    /// A tick was skipped because earlier runs failed.
    Skipped {
        /// Why (`{"reason": "backing_off", "remaining": n}`).
        reason: SkipReason,
        /// When.
        at: DateTime<Utc>,
        /// The next run.
        next_run: Option<DateTime<Utc>>,
    },
    /// Ctrl-C or SIGTERM: stopped after any run in progress finished.
    Stopped {
        /// `interrupt` or `terminate`.
        signal: &'static str,
        /// Runs finished while it ran.
        runs: u64,
    },
}

/// Prints lines, text or JSON.
pub(crate) struct Printer {
    json: bool,
    last: LastReport,
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "none".into(),
        |t| t.to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

impl Printer {
    pub(crate) fn new(json: bool, last: LastReport) -> Self {
        Self { json, last }
    }

    /// Prints the line for a scheduler event (nothing for an already-running skip).
    pub(crate) fn event(&self, event: &ScheduleEvent, status: &ScheduleStatus) {
        let line = match event {
            ScheduleEvent::Started { trigger, at } => Line::Started {
                trigger: *trigger,
                at: *at,
            },
            ScheduleEvent::Finished(last) => {
                let report = self.last.lock().ok().and_then(|mut slot| slot.take());
                let (run_id, counts, error) = match report {
                    Some(Ok(r)) => (Some(r.run_id), Some(r.counts), r.error),
                    Some(Err(message)) => (None, None, Some(message)),
                    None => (None, None, last.error.as_ref().map(|e| e.message.clone())),
                };
                Line::Finished {
                    trigger: last.trigger,
                    started_at: last.started_at,
                    finished_at: last.finished_at,
                    outcome: last.outcome,
                    run_id,
                    writes: last.summary.map(|s| s.writes),
                    counts,
                    error,
                    next_run: status.next_run,
                }
            }
            ScheduleEvent::Skipped {
                reason: SkipReason::AlreadyRunning,
                ..
            }
            | ScheduleEvent::Progress { .. } => return,
            ScheduleEvent::Skipped { reason, at } => Line::Skipped {
                reason: *reason,
                at: *at,
                next_run: status.next_run,
            },
        };
        self.print(&line);
    }

    /// Prints one line and flushes (stdout may be a pipe).
    pub(crate) fn print(&self, line: &Line) {
        let text = if self.json {
            serde_json::to_string(line).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        } else {
            text(line)
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }
}

fn text(line: &Line) -> String {
    match line {
        Line::Scheduled { cron, next_run } => format!(
            "Scheduling syncs on {cron:?} (UTC); first run at {}. Stop with Ctrl-C.",
            time(*next_run)
        ),
        Line::Started { trigger, at } => {
            let by = match trigger {
                Trigger::Schedule => "schedule",
                Trigger::Manual => "manual",
            };
            format!("{} sync started ({by})", time(Some(*at)))
        }
        Line::Finished {
            finished_at,
            outcome,
            run_id,
            counts,
            writes,
            error,
            next_run,
            ..
        } => {
            let run = run_id.map(|id| format!(" run {id}")).unwrap_or_default();
            let outcome = match outcome {
                SyncOutcome::Succeeded => "ok",
                SyncOutcome::Offline => "offline",
                SyncOutcome::Failed => "failed",
            };
            let done = counts.as_ref().map_or_else(String::new, |c| {
                format!(
                    ": created {}, updated {}, deleted {}, parked {}, conflicts {} ({} writes)",
                    c.created,
                    c.updated,
                    c.deleted,
                    c.parked,
                    c.conflicts,
                    writes.unwrap_or_default()
                )
            });
            let error = error
                .as_ref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default();
            format!(
                "{} sync{run} {outcome}{done}{error}; next run at {}",
                time(Some(*finished_at)),
                time(*next_run)
            )
        }
        Line::Skipped {
            reason,
            at,
            next_run,
        } => {
            let why = match reason {
                SkipReason::BackingOff { remaining } => {
                    format!("backing off after failures ({remaining} more tick(s) to skip)")
                }
                SkipReason::Paused => "paused".into(),
                SkipReason::AlreadyRunning => "a run is in progress".into(),
            };
            format!(
                "{} tick skipped: {why}; next run at {}",
                time(Some(*at)),
                time(*next_run)
            )
        }
        Line::Stopped { signal, runs } => {
            format!("Stopped ({signal}) after {runs} run(s).")
        }
    }
}

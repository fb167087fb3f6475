//! Scheduler behaviour driven tick by tick with a fixed clock, so backoff, skipping and
//! `next_run` are checked exactly and without waiting for real time.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use parking_lot::Mutex;
use tokio::sync::Semaphore;

use super::*;
use crate::Clock;

fn fixed(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap()
}

/// A job that counts its calls, returns the scripted result and can be held at a gate.
#[derive(Clone)]
struct Fake {
    calls: Arc<AtomicU32>,
    result: Arc<Mutex<Result<RunSummary, JobError>>>,
    gate: Option<Arc<Semaphore>>,
}

impl Fake {
    fn new(result: Result<RunSummary, JobError>) -> Self {
        Self {
            calls: Arc::default(),
            result: Arc::new(Mutex::new(result)),
            gate: None,
        }
    }

    fn gated(mut self) -> (Self, Arc<Semaphore>) {
        let gate = Arc::new(Semaphore::new(0));
        self.gate = Some(gate.clone());
        (self, gate)
    }

    fn job(&self) -> SyncJob {
        let this = self.clone();
        sync_job(move |_| {
            let this = this.clone();
            async move {
                this.calls.fetch_add(1, Ordering::SeqCst);
                if let Some(gate) = &this.gate {
                    gate.acquire().await.expect("gate open").forget();
                }
                this.result.lock().clone()
            }
        })
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    fn scheduler(&self, cron: &str, now: DateTime<Utc>) -> Scheduler {
        let config = ScheduleConfig {
            cron: cron.to_owned(),
            paused: false,
        };
        Scheduler::with_clock(self.job(), config, Clock::fixed(now)).unwrap()
    }
}

fn ok() -> Result<RunSummary, JobError> {
    Ok(RunSummary {
        writes: 2,
        conflicts: 1,
        refused: 0,
        kimai_rounds_first: false,
        offline: false,
    })
}

async fn wait_for_state(s: &Scheduler, state: SchedulerState) {
    let mut rx = s.subscribe();
    tokio::time::timeout(Duration::from_secs(2), rx.wait_for(|st| st.state == state))
        .await
        .expect("state reached in time")
        .expect("scheduler alive");
}

#[tokio::test]
async fn failing_scheduled_runs_back_off_doubling_then_capped_and_success_resets() {
    let fake = Fake::new(Err(JobError::retryable("Kimai answered 502")));
    let s = fake.scheduler(DEFAULT_CRON, fixed(10, 7));
    s.start().await.unwrap();

    let mut ran_at_ticks = Vec::new();
    for tick in 1..=12 {
        let before = fake.calls();
        s.tick().await;
        if fake.calls() > before {
            ran_at_ticks.push(tick);
        }
    }
    // The first four failures get quick retries (1, 2, 4, 8 minutes: shorter than the
    // quarter hour; their timers do not fire in this test) and skip no tick; then the interval
    // is 1, 2, 4 ticks, capped at 4 ticks (= 1 hour at 15 minutes).
    assert_eq!(ran_at_ticks, [1, 2, 3, 4, 5, 6, 8, 12]);
    let st = s.status();
    assert_eq!(st.consecutive_failures, 8);
    assert_eq!(st.state, SchedulerState::BackingOff);
    assert_eq!(st.skipped_ticks, 4);
    assert_eq!(st.last_error.as_deref(), Some("Kimai answered 502"));
    // Three ticks are to be skipped, so the next run is the fourth quarter hour from 10:07.
    assert_eq!(st.next_run, Some(fixed(11, 0)));

    // A manual run is never delayed by backoff, and its success resets everything.
    *fake.result.lock() = ok();
    s.run_now(Trigger::Manual).await.unwrap();
    let st = s.status();
    assert_eq!(
        (st.consecutive_failures, st.state),
        (0, SchedulerState::Idle)
    );
    assert_eq!(st.last_error, None);
    assert_eq!(st.next_run, Some(fixed(10, 15)));
    let calls = fake.calls();
    s.tick().await;
    assert_eq!(fake.calls(), calls + 1, "the next tick runs again");
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn offline_counts_for_backoff_but_is_not_an_error() {
    let fake = Fake::new(Ok(RunSummary {
        writes: 0,
        conflicts: 0,
        refused: 0,
        kimai_rounds_first: false,
        offline: true,
    }));
    let s = fake.scheduler(DEFAULT_CRON, fixed(10, 0));
    s.start().await.unwrap();
    s.tick().await;
    s.tick().await;
    let st = s.status();
    assert_eq!(st.consecutive_failures, 2);
    assert_eq!(st.last_error, None);
    let last = st.last_run.expect("a run");
    assert_eq!(last.outcome, SyncOutcome::Offline);
    assert_eq!(last.trigger, Trigger::Schedule);
    assert!(last.summary.is_some_and(|s| s.offline));
    // The second failure asks for a quick retry in two minutes (shown as the next run), not
    // for a skipped tick.
    assert_eq!(st.next_run, Some(fixed(10, 2)));
    s.tick().await;
    assert_eq!((fake.calls(), s.status().skipped_ticks), (3, 0));
}

#[tokio::test]
async fn a_failed_scheduled_run_is_retried_within_minutes_until_it_succeeds() {
    let fake = Fake::new(Err(JobError::retryable("connection reset")));
    let s = fake.scheduler(DEFAULT_CRON, fixed(10, 0));
    s.start().await.unwrap();
    s.tick().await;
    assert_eq!(
        s.status().next_run,
        Some(fixed(10, 1)),
        "a retry in a minute"
    );
    s.retry().await;
    assert_eq!(fake.calls(), 2, "the retry ran");
    assert_eq!(s.status().next_run, Some(fixed(10, 2)), "then in two");
    *fake.result.lock() = ok();
    s.retry().await;
    let st = s.status();
    assert_eq!((fake.calls(), st.consecutive_failures), (3, 0));
    assert_eq!(st.next_run, Some(fixed(10, 15)), "back on the schedule");
    s.retry().await;
    assert_eq!(fake.calls(), 3, "no retry after a success");
    // A manual run's failure does not start retries.
    *fake.result.lock() = Err(JobError::retryable("offline"));
    let _ = s.run_now(Trigger::Manual).await;
    assert_eq!(s.status().next_run, Some(fixed(10, 15)));
    // Nor cancel one; a pause does.
    s.tick().await;
    assert_eq!(s.status().next_run, Some(fixed(10, 1)));
    let _ = s.run_now(Trigger::Manual).await;
    assert_eq!(s.status().next_run, Some(fixed(10, 1)), "still due");
    s.pause();
    s.resume();
    assert_eq!(
        s.status().next_run,
        Some(fixed(10, 15)),
        "dropped by the pause"
    );
    let calls = fake.calls();
    s.retry().await;
    assert_eq!(fake.calls(), calls, "and it does not run");
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn manual_failures_are_reported_but_do_not_back_off() {
    let fake = Fake::new(Err(JobError::permanent("token rejected (401)")));
    let s = fake.scheduler(DEFAULT_CRON, fixed(10, 0));
    let err = s.run_now(Trigger::Manual).await.unwrap_err();
    assert!(
        matches!(&err, RunNowError::Failed(e) if !e.retryable),
        "{err}"
    );
    assert_eq!(err.to_string(), "sync failed: token rejected (401)");
    let st = s.status();
    assert_eq!(st.consecutive_failures, 0);
    assert_eq!(st.last_error.as_deref(), Some("token rejected (401)"));
    let last = st.last_run.unwrap();
    assert_eq!(
        (last.outcome, last.started_at, last.finished_at),
        (SyncOutcome::Failed, fixed(10, 0), fixed(10, 0))
    );
    assert_eq!(last.error.map(|e| e.retryable), Some(false));
}

#[tokio::test]
async fn a_tick_during_a_run_is_skipped_counted_and_announced() {
    let (fake, gate) = Fake::new(ok()).gated();
    let s = fake.scheduler(DEFAULT_CRON, fixed(9, 0));
    let mut events = s.events();
    let manual = tokio::spawn({
        let s = s.clone();
        async move { s.run_now(Trigger::Manual).await }
    });
    wait_for_state(&s, SchedulerState::Running).await;
    assert_eq!(s.status().running_since, Some(fixed(9, 0)));

    // Bounded: a tick that wrongly started a second run would wait on the gate.
    tokio::time::timeout(Duration::from_secs(2), s.tick())
        .await
        .expect("tick skipped at once");
    assert_eq!(s.status().skipped_ticks, 1);
    gate.add_permits(1);
    assert_eq!(manual.await.unwrap().unwrap().writes, 2);
    assert_eq!(fake.calls(), 1, "the tick did not start a second run");

    let seen: Vec<_> = std::iter::from_fn(|| events.try_recv().ok()).collect();
    assert!(
        matches!(
            seen[0],
            ScheduleEvent::Started {
                trigger: Trigger::Manual,
                ..
            }
        ),
        "{seen:?}"
    );
    assert_eq!(
        seen[1],
        ScheduleEvent::Skipped {
            reason: SkipReason::AlreadyRunning,
            at: fixed(9, 0)
        }
    );
    assert!(matches!(&seen[2], ScheduleEvent::Finished(l) if l.outcome == SyncOutcome::Succeeded));
    assert_eq!(seen.len(), 3);
}

#[tokio::test]
async fn paused_ticks_do_nothing_and_next_run_follows_pause_and_cron() {
    let fake = Fake::new(ok());
    let s = fake.scheduler(DEFAULT_CRON, fixed(10, 7));
    assert_eq!(s.status().next_run, None, "not started");
    s.start().await.unwrap();
    assert_eq!(s.status().next_run, Some(fixed(10, 15)));

    s.pause();
    s.tick().await;
    let st = s.status();
    assert_eq!(
        (fake.calls(), st.state, st.next_run, st.skipped_ticks),
        (0, SchedulerState::Paused, None, 0)
    );

    s.resume();
    s.tick().await;
    assert_eq!(fake.calls(), 1);

    s.set_cron("0 0 * * * *".to_owned()).await.unwrap();
    assert_eq!(s.status().next_run, Some(fixed(11, 0)));
    assert_eq!(s.status().cron, "0 0 * * * *");
    let err = s.set_cron("0 0 * * *".to_owned()).await.unwrap_err();
    assert!(err.to_string().contains("5 fields"), "{err}");
    assert_eq!(
        s.status().cron,
        "0 0 * * * *",
        "a bad cron leaves the old one in force"
    );

    s.shutdown().await.unwrap();
    s.tick().await;
    assert_eq!(fake.calls(), 1, "no run after shutdown");
    assert_eq!(s.status().next_run, None);
    assert!(matches!(
        s.run_now(Trigger::Manual).await,
        Err(RunNowError::ShutDown)
    ));
    assert!(matches!(s.start().await, Err(ScheduleError::ShutDown)));
}

#[tokio::test]
async fn a_panicking_job_is_a_failed_run_not_a_stuck_scheduler() {
    let calls = Arc::new(AtomicU32::new(0));
    let job = sync_job({
        let calls = calls.clone();
        move |_| {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(n > 0, "boom");
                Ok(RunSummary::default())
            }
        }
    });
    let s = Scheduler::new(job, ScheduleConfig::default()).unwrap();
    let err = s.run_now(Trigger::Manual).await.unwrap_err();
    assert!(err.to_string().contains("crashed"), "{err}");
    assert_eq!(s.status().state, SchedulerState::Idle);
    s.run_now(Trigger::Manual)
        .await
        .expect("the next run works");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn status_and_config_serialize_for_the_ui() {
    let config: ScheduleConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(
        config,
        ScheduleConfig {
            cron: "0 */15 * * * *".into(),
            paused: false
        }
    );
    let fake = Fake::new(ok());
    let s = fake.scheduler(DEFAULT_CRON, fixed(10, 0));
    let json = serde_json::to_value(s.status()).unwrap();
    assert_eq!(json["state"], "idle");
    assert_eq!(json["cron"], DEFAULT_CRON);
    assert_eq!(json["next_run"], serde_json::Value::Null);
    let event = ScheduleEvent::Skipped {
        reason: SkipReason::BackingOff { remaining: 2 },
        at: fixed(10, 0),
    };
    let json = serde_json::to_value(event).unwrap();
    assert_eq!(json["event"], "skipped");
    assert_eq!(json["reason"]["reason"], "backing_off");
    assert_eq!(json["reason"]["remaining"], 2);
}

#[tokio::test]
async fn a_runs_progress_reaches_the_event_stream_between_start_and_finish() {
    let job = sync_job(|_| async {
        for done in 0..=4 {
            crate::progress::report(crate::progress::Phase::Writing, done, 4);
        }
        ok()
    });
    let config = ScheduleConfig {
        cron: DEFAULT_CRON.to_owned(),
        paused: false,
    };
    let s = Scheduler::with_clock(job, config, Clock::fixed(fixed(9, 0))).unwrap();
    let mut events = s.events();
    s.run_now(Trigger::Manual).await.unwrap();
    let seen: Vec<_> = std::iter::from_fn(|| events.try_recv().ok()).collect();
    assert!(matches!(seen[0], ScheduleEvent::Started { .. }), "{seen:?}");
    let done: Vec<u32> = seen
        .iter()
        .filter_map(|e| match e {
            ScheduleEvent::Progress {
                trigger: Trigger::Manual,
                progress,
            } => Some(progress.done),
            _ => None,
        })
        .collect();
    assert_eq!(done, [0, 1, 2, 3, 4], "{seen:?}");
    assert!(matches!(seen.last(), Some(ScheduleEvent::Finished(_))));
}

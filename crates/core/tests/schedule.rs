//! The scheduler against real time and the real tokio-cron-scheduler runtime, with a
//! per-second cron: single flight, pause/resume, shutdown and status, kept to about a second
//! or two of waiting per test.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use timebridge_core::schedule::{
    sync_job, JobError, RunNowError, RunSummary, ScheduleConfig, ScheduleError, Scheduler,
    SchedulerState, SyncOutcome, Trigger,
};
use tokio::sync::Semaphore;

const EVERY_SECOND: &str = "*/1 * * * * *";

fn counting_job(calls: &Arc<AtomicU32>) -> timebridge_core::schedule::SyncJob {
    let calls = calls.clone();
    sync_job(move |_| {
        calls.fetch_add(1, Ordering::SeqCst);
        async {
            Ok(RunSummary {
                writes: 1,
                conflicts: 0,
                refused: 0,
                kimai_rounds_first: false,
                offline: false,
            })
        }
    })
}

fn every_second(paused: bool) -> ScheduleConfig {
    ScheduleConfig {
        cron: EVERY_SECOND.to_owned(),
        paused,
    }
}

/// Waits until `calls` exceeds `above`, failing after `limit`.
async fn wait_for_calls_above(calls: &AtomicU32, above: u32, limit: Duration) {
    tokio::time::timeout(limit, async {
        while calls.load(Ordering::SeqCst) <= above {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("a scheduled run happened in time");
}

#[tokio::test]
async fn schedule_a_manual_run_while_one_is_in_progress_is_refused_and_the_job_runs_once() {
    let calls = Arc::new(AtomicU32::new(0));
    let gate = Arc::new(Semaphore::new(0));
    let job = sync_job({
        let (calls, gate) = (calls.clone(), gate.clone());
        move |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            let gate = gate.clone();
            async move {
                gate.acquire().await.expect("open").forget();
                Ok(RunSummary {
                    writes: 3,
                    conflicts: 0,
                    refused: 0,
                    kimai_rounds_first: false,
                    offline: false,
                })
            }
        }
    });
    let s = Scheduler::new(job, ScheduleConfig::default()).unwrap();
    let first = tokio::spawn({
        let s = s.clone();
        async move { s.run_now(Trigger::Manual).await }
    });
    let mut rx = s.subscribe();
    let running = rx.wait_for(|st| st.state == SchedulerState::Running);
    tokio::time::timeout(Duration::from_secs(2), running)
        .await
        .expect("started")
        .unwrap();

    // Bounded, so a broken single flight fails here instead of hanging on the gate.
    let second = tokio::time::timeout(Duration::from_secs(2), s.run_now(Trigger::Manual));
    let refused = second.await.expect("refused at once").unwrap_err();
    assert!(matches!(
        refused,
        RunNowError::AlreadyRunning {
            trigger: Trigger::Manual,
            ..
        }
    ));
    assert!(refused.to_string().contains("already running"), "{refused}");

    gate.add_permits(1);
    assert_eq!(first.await.unwrap().unwrap().writes, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(s.status().state, SchedulerState::Idle);
}

#[tokio::test]
async fn schedule_pause_stops_scheduled_runs_and_resume_restarts_them() {
    let calls = Arc::new(AtomicU32::new(0));
    let s = Scheduler::new(counting_job(&calls), every_second(true)).unwrap();
    s.start().await.unwrap();
    assert_eq!(s.status().state, SchedulerState::Paused);

    // At least one second boundary passes: paused, nothing runs.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    s.resume();
    assert!(s.status().next_run.is_some());
    wait_for_calls_above(&calls, 0, Duration::from_secs(3)).await;
    let last = s.status().last_run.expect("recorded");
    assert_eq!(
        (last.trigger, last.outcome),
        (Trigger::Schedule, SyncOutcome::Succeeded)
    );
    s.shutdown().await.unwrap();
}

#[tokio::test]
async fn schedule_shutdown_stops_further_runs() {
    let calls = Arc::new(AtomicU32::new(0));
    let s = Scheduler::new(counting_job(&calls), every_second(false)).unwrap();
    s.start().await.unwrap();
    wait_for_calls_above(&calls, 0, Duration::from_secs(3)).await;

    s.shutdown().await.unwrap();
    let after = calls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(calls.load(Ordering::SeqCst), after);
    assert_eq!(s.status().next_run, None);
}

#[tokio::test]
async fn schedule_a_bad_cron_is_a_clear_error() {
    let calls = Arc::new(AtomicU32::new(0));
    let config = ScheduleConfig {
        cron: "*/15 * * * *".to_owned(),
        paused: false,
    };
    let err = Scheduler::new(counting_job(&calls), config)
        .err()
        .expect("rejected");
    assert!(
        matches!(&err, ScheduleError::InvalidCron { expression, .. } if expression == "*/15 * * * *")
    );
    let text = err.to_string();
    assert!(
        text.contains("seconds field is required") && text.contains("0 */15 * * * *"),
        "{text}"
    );
}

#[tokio::test]
async fn schedule_status_reflects_the_last_scheduled_run_and_its_error() {
    let job = sync_job(|_| async { Err(JobError::retryable("Zammad timed out")) });
    let s = Scheduler::new(job, every_second(false)).unwrap();
    let mut rx = s.subscribe();
    s.start().await.unwrap();
    let st = tokio::time::timeout(
        Duration::from_secs(3),
        rx.wait_for(|st| st.last_run.is_some()),
    )
    .await
    .expect("a run in time")
    .unwrap()
    .clone();
    s.shutdown().await.unwrap();

    let last = st.last_run.unwrap();
    assert_eq!(
        (last.trigger, last.outcome),
        (Trigger::Schedule, SyncOutcome::Failed)
    );
    assert_eq!(
        last.error.map(|e| e.message),
        Some("Zammad timed out".to_owned())
    );
    assert!(last.finished_at >= last.started_at);
    assert_eq!(st.last_error.as_deref(), Some("Zammad timed out"));
    assert_eq!(
        (st.consecutive_failures, st.state),
        (1, SchedulerState::BackingOff)
    );
}

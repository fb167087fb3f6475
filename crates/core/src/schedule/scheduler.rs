//! The scheduler itself: a tokio-cron-scheduler job whose ticks go through
//! [`decide_tick`](super::backoff::decide_tick), one run at a time, with the status published on
//! a watch channel and events on a broadcast channel.
//!
//! Bookkeeping sits behind one synchronous mutex that is never held across an `.await`; the
//! cron runtime sits behind an async mutex because starting and stopping it awaits. A
//! generation number guards against a late tick from a runtime that was just replaced or shut
//! down (tokio-cron-scheduler may deliver one more tick after its shutdown).

use std::sync::{Arc, Weak};

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use tokio::sync::{broadcast, watch};
use tokio_cron_scheduler::{Job, JobScheduler};

use super::backoff::{
    backoff_skips, decide_tick, derive_state, quick_retries, retry_after, TickDecision,
};
use super::cron::CronSchedule;
use super::error::{RunNowError, ScheduleError};
use crate::Clock;

use super::types::{
    JobError, LastRun, RunSummary, ScheduleConfig, ScheduleEvent, ScheduleStatus, SchedulerState,
    SkipReason, SyncJob, SyncOutcome, Trigger,
};

/// Runs the sync job on a cron schedule, one run at a time. Cheap to clone; clones share state.
///
/// Needs a Tokio runtime for [`start`](Self::start), [`set_cron`](Self::set_cron),
/// [`run_now`](Self::run_now) and [`shutdown`](Self::shutdown).
#[derive(Clone)]
pub struct Scheduler {
    inner: Arc<Inner>,
}

struct Inner {
    job: SyncJob,
    clock: Clock,
    book: Mutex<Book>,
    runtime: tokio::sync::Mutex<Option<JobScheduler>>,
    status_tx: watch::Sender<ScheduleStatus>,
    events_tx: broadcast::Sender<ScheduleEvent>,
}

/// The mutable bookkeeping; `status` is derived from the rest by [`Inner::publish`].
struct Book {
    cron: CronSchedule,
    paused: bool,
    started: bool,
    shut_down: bool,
    generation: u64,
    running: Option<(Trigger, DateTime<Utc>)>,
    skip_remaining: u32,
    consecutive_failures: u32,
    /// When a quick retry after a failed scheduled run is due, if one is.
    retry_at: Option<DateTime<Utc>>,
    last_run: Option<LastRun>,
    last_error: Option<String>,
    skipped_ticks: u64,
}

impl Scheduler {
    /// A scheduler for `job`, not yet ticking; fails on an invalid cron expression.
    pub fn new(job: SyncJob, config: ScheduleConfig) -> Result<Self, ScheduleError> {
        Self::with_clock(job, config, Clock::system())
    }

    /// As [`new`](Self::new), with the clock used for status timestamps and `next_run`.
    pub fn with_clock(
        job: SyncJob,
        config: ScheduleConfig,
        clock: Clock,
    ) -> Result<Self, ScheduleError> {
        let cron = CronSchedule::parse(&config.cron)?;
        let book = Book {
            cron,
            paused: config.paused,
            started: false,
            shut_down: false,
            generation: 0,
            running: None,
            skip_remaining: 0,
            consecutive_failures: 0,
            retry_at: None,
            last_run: None,
            last_error: None,
            skipped_ticks: 0,
        };
        let status = book.status(clock.now());
        let (status_tx, _) = watch::channel(status);
        let (events_tx, _) = broadcast::channel(256);
        let inner = Inner {
            job,
            clock,
            book: Mutex::new(book),
            runtime: tokio::sync::Mutex::new(None),
            status_tx,
            events_tx,
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Starts ticking. Does nothing if already started.
    pub async fn start(&self) -> Result<(), ScheduleError> {
        let mut runtime = self.inner.runtime.lock().await;
        if runtime.is_some() {
            return Ok(());
        }
        let (cron, generation) = {
            let mut book = self.inner.book.lock();
            if book.shut_down {
                return Err(ScheduleError::ShutDown);
            }
            book.generation += 1;
            (book.cron.clone(), book.generation)
        };
        *runtime = Some(self.inner.launch(&cron, generation).await?);
        self.inner.book.lock().started = true;
        self.inner.publish();
        Ok(())
    }

    /// Stops ticking for good. A run in progress finishes and is recorded; no new run starts.
    pub async fn shutdown(&self) -> Result<(), ScheduleError> {
        let mut runtime = self.inner.runtime.lock().await;
        {
            let mut book = self.inner.book.lock();
            book.shut_down = true;
            book.started = false;
            book.generation += 1;
        }
        self.inner.publish();
        if let Some(mut old) = runtime.take() {
            old.shutdown()
                .await
                .map_err(|e| ScheduleError::Runtime(e.to_string()))?;
        }
        Ok(())
    }

    /// Pauses background runs: ticks are ignored until [`resume`](Self::resume). Manual runs
    /// still work; a run in progress is not interrupted.
    pub fn pause(&self) {
        {
            let mut book = self.inner.book.lock();
            book.paused = true;
            // A quick retry due while paused is dropped; the ticks carry on after `resume`.
            book.retry_at = None;
        }
        self.inner.publish();
    }

    /// Resumes background runs from the next tick.
    pub fn resume(&self) {
        self.inner.book.lock().paused = false;
        self.inner.publish();
    }

    /// Replaces the cron expression. An invalid one is rejected and the old one stays in force.
    /// Clears any pending backoff skips and quick retry, so the new schedule's next tick runs.
    pub async fn set_cron(&self, cron: String) -> Result<(), ScheduleError> {
        let parsed = CronSchedule::parse(&cron)?;
        let mut runtime = self.inner.runtime.lock().await;
        let generation = {
            let mut book = self.inner.book.lock();
            if book.shut_down {
                return Err(ScheduleError::ShutDown);
            }
            book.cron = parsed.clone();
            book.skip_remaining = 0;
            book.retry_at = None;
            book.generation += 1;
            book.generation
        };
        if let Some(mut old) = runtime.take() {
            old.shutdown()
                .await
                .map_err(|e| ScheduleError::Runtime(e.to_string()))?;
            match self.inner.launch(&parsed, generation).await {
                Ok(new) => *runtime = Some(new),
                Err(e) => {
                    self.inner.book.lock().started = false;
                    self.inner.publish();
                    return Err(e);
                }
            }
        }
        self.inner.publish();
        Ok(())
    }

    /// Runs the job now and waits for it. Single flight: refused with
    /// [`RunNowError::AlreadyRunning`] while any run is in progress (it is not queued or joined).
    /// `Trigger::Schedule` makes it count as a scheduled run for backoff (for foreground loops).
    pub async fn run_now(&self, trigger: Trigger) -> Result<RunSummary, RunNowError> {
        {
            let mut book = self.inner.book.lock();
            if book.shut_down {
                return Err(RunNowError::ShutDown);
            }
            if let Some((trigger, since)) = book.running {
                return Err(RunNowError::AlreadyRunning { since, trigger });
            }
            book.running = Some((trigger, self.inner.clock.now()));
        }
        Ok(self.inner.execute(trigger).await?)
    }

    /// The current status.
    pub fn status(&self) -> ScheduleStatus {
        self.inner.status_tx.borrow().clone()
    }

    /// A receiver that always holds the latest status; `changed().await` wakes on every
    /// update (run started or finished, tick skipped, pause, resume, new cron). Intermediate
    /// values may be coalesced; use [`events`](Self::events) to see each one.
    pub fn subscribe(&self) -> watch::Receiver<ScheduleStatus> {
        self.inner.status_tx.subscribe()
    }

    /// Each run start, finish and skipped tick, for notifications. A slow receiver lags
    /// (oldest events dropped, see [`broadcast`]), never the scheduler.
    pub fn events(&self) -> broadcast::Receiver<ScheduleEvent> {
        self.inner.events_tx.subscribe()
    }

    /// Fires the pending quick retry at once, as its timer would (for tests that must not
    /// wait a minute).
    #[cfg(test)]
    pub(crate) async fn retry(&self) {
        let (generation, failures) = {
            let book = self.inner.book.lock();
            (book.generation, book.consecutive_failures)
        };
        Inner::on_retry(Arc::downgrade(&self.inner), generation, failures).await;
    }

    /// Handles one cron tick as the runtime would (for tests that must not wait for time).
    #[cfg(test)]
    pub(crate) async fn tick(&self) {
        let generation = self.inner.book.lock().generation;
        Inner::on_tick(Arc::downgrade(&self.inner), generation).await;
    }
}

impl Inner {
    /// Starts a tokio-cron-scheduler runtime with one job that forwards ticks to `on_tick`.
    async fn launch(
        self: &Arc<Self>,
        cron: &CronSchedule,
        generation: u64,
    ) -> Result<JobScheduler, ScheduleError> {
        let runtime_err =
            |e: tokio_cron_scheduler::JobSchedulerError| ScheduleError::Runtime(e.to_string());
        let weak = Arc::downgrade(self);
        let job = Job::new_async(cron.expression(), move |_, _| {
            Box::pin(Inner::on_tick(weak.clone(), generation))
        })
        .map_err(runtime_err)?;
        let runtime = JobScheduler::new().await.map_err(runtime_err)?;
        runtime.add(job).await.map_err(runtime_err)?;
        runtime.start().await.map_err(runtime_err)?;
        Ok(runtime)
    }

    async fn on_tick(weak: Weak<Self>, generation: u64) {
        let Some(inner) = weak.upgrade() else { return };
        let now = inner.clock.now();
        let decision = {
            let mut book = inner.book.lock();
            if book.shut_down || book.generation != generation {
                return;
            }
            let decision = decide_tick(book.paused, book.running.is_some(), book.skip_remaining);
            match decision {
                TickDecision::Run => book.running = Some((Trigger::Schedule, now)),
                TickDecision::Skip(SkipReason::Paused) => {}
                TickDecision::Skip(reason) => {
                    if let SkipReason::BackingOff { remaining } = reason {
                        book.skip_remaining = remaining;
                    }
                    book.skipped_ticks += 1;
                }
            }
            decision
        };
        match decision {
            TickDecision::Run => {
                // The outcome is recorded in the status; nobody waits for it here.
                let _ = inner.execute(Trigger::Schedule).await;
            }
            TickDecision::Skip(SkipReason::Paused) => {
                tracing::debug!("scheduled sync skipped: paused");
            }
            TickDecision::Skip(reason) => {
                tracing::info!(?reason, "scheduled sync skipped");
                inner.publish();
                let _ = inner
                    .events_tx
                    .send(ScheduleEvent::Skipped { reason, at: now });
            }
        }
    }

    /// [`Inner::on_retry`] after `wait`, boxed: the retry runs the job, whose end may start
    /// another retry.
    fn retry_later(
        weak: Weak<Self>,
        wait: std::time::Duration,
        generation: u64,
        failures: u32,
    ) -> futures_util::future::BoxFuture<'static, ()> {
        Box::pin(async move {
            tokio::time::sleep(wait).await;
            Inner::on_retry(weak, generation, failures).await;
        })
    }

    /// A quick retry after the `failures`-th scheduled failure in a row: runs unless the
    /// schedule changed, a run is going, it is paused, or anything ran since.
    async fn on_retry(weak: Weak<Self>, generation: u64, failures: u32) {
        let Some(inner) = weak.upgrade() else { return };
        let now = inner.clock.now();
        {
            let mut book = inner.book.lock();
            let due = !book.shut_down
                && book.generation == generation
                && !book.paused
                && book.running.is_none()
                && book.retry_at.is_some()
                && book.consecutive_failures == failures;
            if !due {
                return;
            }
            book.retry_at = None;
            book.running = Some((Trigger::Schedule, now));
        }
        tracing::info!(failures, "retrying a failed scheduled sync");
        let _ = inner.execute(Trigger::Schedule).await;
    }

    /// Runs the job; the caller has already set `book.running`. Records the outcome.
    async fn execute(self: &Arc<Self>, trigger: Trigger) -> Result<RunSummary, JobError> {
        let started_at = self
            .book
            .lock()
            .running
            .map_or_else(|| self.clock.now(), |r| r.1);
        self.publish();
        let _ = self.events_tx.send(ScheduleEvent::Started {
            trigger,
            at: started_at,
        });
        tracing::info!(?trigger, "sync run started");

        // Spawned so a panicking job is a failed run, not a scheduler stuck in `Running`.
        let events = self.events_tx.clone();
        let sink = crate::progress::throttled(std::sync::Arc::new(move |progress| {
            let _ = events.send(ScheduleEvent::Progress { trigger, progress });
        }));
        let job = crate::progress::scoped(sink, (self.job)(trigger));
        let result = match tokio::spawn(job).await {
            Ok(result) => result,
            Err(e) => Err(JobError::retryable(format!("the sync job crashed: {e}"))),
        };

        let finished_at = self.clock.now();
        let (outcome, summary, error) = match &result {
            Ok(s) if s.offline => (SyncOutcome::Offline, Some(*s), None),
            Ok(s) => (SyncOutcome::Succeeded, Some(*s), None),
            Err(e) => (SyncOutcome::Failed, None, Some(e.clone())),
        };
        let last = LastRun {
            trigger,
            started_at,
            finished_at,
            outcome,
            summary,
            error,
        };
        let retry = self.book.lock().finished(&last);
        if let Some((wait, generation, failures)) = retry {
            tokio::spawn(Inner::retry_later(
                Arc::downgrade(self),
                wait,
                generation,
                failures,
            ));
        }
        match &last.error {
            Some(e) => tracing::warn!(?trigger, error = %e, "sync run failed"),
            None => tracing::info!(?trigger, ?outcome, "sync run finished"),
        }
        self.publish();
        let _ = self.events_tx.send(ScheduleEvent::Finished(last));
        result
    }

    /// Recomputes the status from the bookkeeping and publishes it.
    fn publish(&self) {
        let status = self.book.lock().status(self.clock.now());
        self.status_tx.send_replace(status);
    }
}

/// A scheduler dropped without [`Scheduler::shutdown`] still stops its cron runtime's tasks.
impl Drop for Inner {
    fn drop(&mut self) {
        let runtime = self.runtime.get_mut().take();
        if let (Some(mut rt), Ok(handle)) = (runtime, tokio::runtime::Handle::try_current()) {
            handle.spawn(async move { rt.shutdown().await });
        }
    }
}

impl Book {
    /// Books a finished run: the failure count, the backoff, the last error and run. Returns
    /// the quick retry to schedule after a failed scheduled run (its wait, the schedule's
    /// generation, the failures so far).
    fn finished(&mut self, last: &LastRun) -> Option<(std::time::Duration, u64, u32)> {
        let (trigger, outcome, finished_at) = (last.trigger, last.outcome, last.finished_at);
        self.running = None;
        // A manual run's failure keeps a pending quick retry; anything else decides anew.
        if trigger == Trigger::Schedule || outcome == SyncOutcome::Succeeded {
            self.retry_at = None;
        }
        if outcome == SyncOutcome::Succeeded {
            self.consecutive_failures = 0;
            self.skip_remaining = 0;
            self.last_error = None;
        } else if let Some(e) = &last.error {
            self.last_error = Some(e.message.clone());
        }
        let mut retry = None;
        if outcome != SyncOutcome::Succeeded && trigger == Trigger::Schedule {
            self.consecutive_failures = self.consecutive_failures.saturating_add(1);
            let period = self.cron.period_after(finished_at);
            // Quick retries first; ticks are skipped only when they are used up.
            let beyond = self
                .consecutive_failures
                .saturating_sub(quick_retries(period));
            self.skip_remaining = backoff_skips(beyond, period);
            retry = retry_after(self.consecutive_failures, period);
            if let Some(wait) = retry {
                self.retry_at = chrono::Duration::from_std(wait)
                    .ok()
                    .map(|d| finished_at + d);
            }
            retry = retry.filter(|_| self.started && !self.shut_down);
        }
        self.last_run = Some(last.clone());
        retry.map(|wait| (wait, self.generation, self.consecutive_failures))
    }

    fn status(&self, now: DateTime<Utc>) -> ScheduleStatus {
        let next_run = (self.started && !self.paused && !self.shut_down)
            .then(|| {
                let tick = self
                    .cron
                    .nth_after(now, self.skip_remaining.saturating_add(1));
                match (tick, self.retry_at) {
                    (Some(t), Some(r)) => Some(t.min(r)),
                    (t, r) => t.or(r),
                }
            })
            .flatten();
        let state = if self.shut_down && self.running.is_none() {
            SchedulerState::Idle
        } else {
            derive_state(
                self.running.is_some(),
                self.paused,
                self.consecutive_failures,
            )
        };
        ScheduleStatus {
            state,
            cron: self.cron.expression().to_owned(),
            running_since: self.running.map(|r| r.1),
            last_run: self.last_run.clone(),
            next_run,
            consecutive_failures: self.consecutive_failures,
            last_error: self.last_error.clone(),
            skipped_ticks: self.skipped_ticks,
        }
    }
}

//! `timebridge schedule [--cron "<6 fields, UTC>"]`: the core's [`Scheduler`] in the foreground
//! — for a server without the desktop app — until Ctrl-C or SIGTERM. Each run is exactly what
//! `timebridge sync` does (the core's `Workspace::sync`), with the configuration read afresh, so mapping
//! and timezone edits made meanwhile apply at the next run. The scheduler brings single flight
//! (a tick during a run is skipped), backoff after failed or offline runs, and the next run
//! time; this module only prints its events, one line each (one JSON object per line with
//! `--json`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use timebridge_core::engine::{Mode, RunReport};
use timebridge_core::ops::Workspace;
use timebridge_core::schedule::{
    sync_job, JobError, RunSummary, ScheduleConfig, ScheduleEvent, Scheduler, DEFAULT_CRON,
};
use timebridge_core::secrets::KeychainStore;
use timebridge_core::{Actor, Clock, DataDir, RunTrigger, Store};
use tokio::sync::broadcast::error::RecvError;

use crate::failure::Failure;
mod print;

use crate::Context;
use print::{Line, Printer};

/// How long a run in progress may take to finish after Ctrl-C/SIGTERM before we exit anyway
/// (the outbox makes an interrupted run safe; waiting only makes it tidy).
const FINISH_GRACE: Duration = Duration::from_secs(120);

/// `timebridge schedule`.
#[derive(Debug, Args)]
pub(crate) struct ScheduleArgs {
    /// When to sync: six cron fields with seconds, in UTC (`sec min hour day month weekday`).
    #[arg(long, default_value = DEFAULT_CRON, value_parser = parse_cron)]
    pub(crate) cron: String,
}

/// A cron expression the scheduler accepts (checked by building one that never starts).
fn parse_cron(text: &str) -> Result<String, String> {
    let job = sync_job(|_| async { Ok(RunSummary::default()) });
    let config = ScheduleConfig {
        cron: text.to_string(),
        paused: false,
    };
    Scheduler::new(job, config)
        .map(|_| text.to_string())
        .map_err(|e| e.to_string())
}

/// What the last run reported, for the line that announces its end.
pub(crate) type LastReport = Arc<Mutex<Option<Result<RunReport, String>>>>;

/// Runs the scheduler until a signal; exit 0 after a clean stop.
pub(crate) fn run(ctx: &Context, args: &ScheduleArgs) -> Result<(), Failure> {
    // Refuse to start unconfigured (exit 1/3 as `sync` would) rather than fail every tick.
    let store = ctx.store()?;
    ctx.workspace(&store).setup()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::usage("runtime", format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(foreground(ctx, args))
}

/// One sync, as `sync` runs it, reported to the scheduler.
async fn one_run(
    data_dir: DataDir,
    keychain: KeychainStore,
    last: LastReport,
    clock: Clock,
) -> Result<RunSummary, JobError> {
    let result = match Store::open(&data_dir.database_file()) {
        Ok(store) => Workspace::new(&store, &keychain, data_dir.root(), Actor::Scheduler)
            .sync(clock.now(), Mode::Apply, RunTrigger::Schedule)
            .await
            .map_err(Failure::from),
        Err(e) => Err(Failure::from(e)),
    };
    let summary = match &result {
        Ok(report) => report.summary(),
        Err(f) if f.code == "busy" => Err(JobError::retryable(f.message.clone())),
        Err(f) => Err(JobError::permanent(f.message.clone())),
    };
    if let Ok(mut slot) = last.lock() {
        *slot = Some(result.map_err(|f| f.message));
    }
    summary
}

async fn foreground(ctx: &Context, args: &ScheduleArgs) -> Result<(), Failure> {
    let last: LastReport = Arc::default();
    let job = {
        let (data_dir, keychain) = (ctx.data_dir.clone(), ctx.keychain.clone());
        let (last, clock) = (last.clone(), ctx.clock.clone());
        sync_job(move |_| {
            one_run(
                data_dir.clone(),
                keychain.clone(),
                last.clone(),
                clock.clone(),
            )
        })
    };
    let config = ScheduleConfig {
        cron: args.cron.clone(),
        paused: false,
    };
    let failed = |e: timebridge_core::schedule::ScheduleError| {
        Failure::usage("schedule", format!("the scheduler cannot start: {e}"))
    };
    let scheduler = Scheduler::with_clock(job, config, ctx.clock.clone()).map_err(failed)?;
    let mut events = scheduler.events();
    scheduler.start().await.map_err(failed)?;
    let printer = Printer::new(ctx.json, last);
    printer.print(&Line::Scheduled {
        cron: args.cron.clone(),
        next_run: scheduler.status().next_run,
    });

    let mut runs = 0u64;
    let mut in_flight = false;
    let signal = tokio::select! {
        signal = stop_signal() => signal,
        () = async {
            loop {
                match events.recv().await {
                    Ok(event) => {
                        match &event {
                            ScheduleEvent::Started { .. } => in_flight = true,
                            ScheduleEvent::Finished(_) => {
                                in_flight = false;
                                runs += 1;
                            }
                            ScheduleEvent::Skipped { .. } | ScheduleEvent::Progress { .. } => {}
                        }
                        printer.event(&event, &scheduler.status());
                    }
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break,
                }
            }
        } => "closed",
    };
    scheduler
        .shutdown()
        .await
        .map_err(|e| Failure::usage("schedule", format!("stopping the scheduler: {e}")))?;
    // A run in progress finishes (it is never cut off by us); print its end.
    if in_flight || scheduler.status().running_since.is_some() {
        let deadline = tokio::time::sleep(FINISH_GRACE);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Ok(event) => {
                        let done = matches!(event, ScheduleEvent::Finished(_));
                        printer.event(&event, &scheduler.status());
                        if done {
                            runs += 1;
                            break;
                        }
                    }
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break,
                },
                () = &mut deadline => break,
            }
        }
    }
    printer.print(&Line::Stopped { signal, runs });
    Ok(())
}

/// Waits for Ctrl-C (`interrupt`) or, on Unix, SIGTERM (`terminate`).
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "interrupt",
                _ = term.recv() => "terminate",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "interrupt"
}

//! How far a sync run is, for the window's progress bar and the tray's tooltip.
//!
//! The engine reports from deep inside its read and write loops; threading a callback through
//! every constructor of `Engine` (and its many tests) would be noise, so the sink is a task-local
//! value the scheduler sets around a run ([`scoped`]). Outside such a scope (the CLI, tests)
//! [`report`] does nothing.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The phase a count belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading tickets' entries (done / total tickets of one helpdesk).
    Reading,
    /// Writing to Kimai (done / total planned writes).
    Writing,
}

/// One step of progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Which phase `done` and `total` count: tickets read, or planned writes to Kimai.
    pub phase: Phase,
    /// Items done.
    pub done: u32,
    /// Items in the phase.
    pub total: u32,
    /// Requests sent again so far in this run (the servers answer slowly or with errors).
    #[serde(default)]
    pub retries: u32,
}

/// Receives progress; must be cheap (called once per ticket read and per write).
pub type Sink = Arc<dyn Fn(Progress) + Send + Sync>;

tokio::task_local! {
    static SINK: Sink;
}

/// Runs `fut` with `sink` receiving its progress.
pub async fn scoped<F: std::future::Future>(sink: Sink, fut: F) -> F::Output {
    SINK.scope(sink, fut).await
}

/// Reports progress to the current run's sink, if any.
pub fn report(phase: Phase, done: usize, total: usize) {
    report_with_retries(phase, done, total, 0);
}

/// [`report`] with the requests sent again so far in the run.
pub fn report_with_retries(phase: Phase, done: usize, total: usize, retries: u64) {
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let p = Progress {
        phase,
        done: clamp(done),
        total: clamp(total),
        retries: u32::try_from(retries).unwrap_or(u32::MAX),
    };
    let _ = SINK.try_with(|sink| sink(p));
}

/// Passes on only the reports that move the bar: the first and last of a phase and every
/// whole percent in between (10,000 writes make 100 events, not 10,000).
pub fn throttled(inner: Sink) -> Sink {
    let last = std::sync::Mutex::new(None::<(Phase, u32, u32)>);
    Arc::new(move |p: Progress| {
        let percent = if p.total == 0 {
            100
        } else {
            (u64::from(p.done) * 100 / u64::from(p.total)) as u32
        };
        let key = (p.phase, p.total, percent);
        let fresh = match last.lock() {
            Ok(mut slot) => {
                let fresh = *slot != Some(key) || p.done == p.total;
                *slot = Some(key);
                fresh
            }
            Err(_) => true,
        };
        if fresh {
            inner(p);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_reach_the_scoped_sink_throttled_to_whole_percents() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let into = seen.clone();
        let sink = throttled(Arc::new(move |p: Progress| into.lock().unwrap().push(p)));
        report(Phase::Reading, 1, 2); // outside a scope: nowhere
        scoped(sink, async {
            for done in 0..=1000 {
                report(Phase::Writing, done, 1000);
            }
        })
        .await;
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 101, "one per percent, 0..=100");
        assert_eq!(seen.first().unwrap().done, 0);
        assert_eq!(seen.last().unwrap().done, 1000);
        assert!(seen.iter().all(|p| p.phase == Phase::Writing));
    }
}

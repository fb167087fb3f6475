//! Progress under faults: how many runs a sync needs to finish when a share of all requests
//! fails, and that it finishes with every entry booked exactly once. Two scenarios, each in a
//! faulty world and a fault-free twin holding the same data:
//!
//! - **first sync**: a helpdesk's entries (two months, in the sync horizon and before it) are
//!   booked by runs under faults until one ends `ok`;
//! - **daily changes**: after a fault-free first sync, every day brings new entries, changes
//!   and deletions in Zammad; each day, runs under faults repeat until one ends `ok`.
//!
//! The faults are every kind the simulators have (`world::fault_mix_at`), on both servers, at
//! a given rate. Counted per episode (the first sync, or one day): the runs until `ok` and the
//! requests sent. After each scenario the faults stop and Kimai must hold exactly what the
//! fault-free twin holds (by marker, all fields): a duplicate or a lost entry is a finding.

use std::time::{Duration, Instant};

use rand::{rngs::StdRng, Rng, SeedableRng};
use timebridge_core::{RunOutcome, RunTrigger};
use timebridge_simulators::Knobs;

use crate::dataset;
use crate::soak::edits::{apply, Edit};
use crate::soak::start_instant;
use crate::soak::world::SoakWorld;
use crate::HarnessError;

/// Which work is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// The first sync of `entries` entries.
    FirstSync,
    /// `days` days of Zammad changes after a first sync.
    DailyChanges {
        /// Days.
        days: u32,
    },
}

/// One measurement.
#[derive(Clone, Copy, Debug)]
pub struct ConvergeConfig {
    /// Seed of the data, the changes and the faults.
    pub seed: u64,
    /// Share of requests that fail (0–0.9).
    pub rate: f64,
    /// What is measured.
    pub scenario: Scenario,
    /// Entries in the data set.
    pub entries: usize,
    /// Tickets they are booked on.
    pub tickets: i64,
    /// Runs after which an episode counts as not converged.
    pub max_runs: u32,
}

/// What it saw.
#[derive(Clone, Debug, Default)]
pub struct ConvergeResult {
    /// Runs until `ok`, per episode (`max_runs + 1` for one that never got there).
    pub runs: Vec<u32>,
    /// Requests sent, per episode.
    pub requests: Vec<u64>,
    /// Episodes that did not converge within `max_runs`.
    pub not_converged: u32,
    /// Findings: duplicates, lost or differing entries against the fault-free twin.
    pub problems: Vec<String>,
    /// Wall time.
    pub duration: Duration,
}

/// A run of a thousand entries under 40 % faults (slow answers, `Retry-After`) takes a
/// while; one that has not ended after this is hung.
const HUNG_AFTER: Duration = Duration::from_secs(300);

fn total_requests(w: &SoakWorld) -> u64 {
    w.knobs().iter().map(Knobs::total_requests).sum()
}

/// Runs `w` (faults on) until a run ends `ok`; returns the runs and requests it took.
async fn until_ok(
    w: &SoakWorld,
    cfg: &ConvergeConfig,
    fault_seed: u64,
) -> Result<(u32, u64, bool), HarnessError> {
    let before = total_requests(w);
    for run in 1..=cfg.max_runs {
        w.faults_at(
            Some(fault_seed.wrapping_mul(97).wrapping_add(u64::from(run))),
            cfg.rate,
        );
        let trigger = if run == 1 {
            RunTrigger::Cli
        } else {
            RunTrigger::Schedule
        };
        let report = tokio::time::timeout(HUNG_AFTER, w.sync(trigger))
            .await
            .map_err(|_| HarnessError::Hung(format!("run {run}: no end")))??;
        // A minute between runs: the scheduler's first retry.
        w.clock.advance(chrono::Duration::minutes(1));
        if report.outcome == RunOutcome::Ok {
            w.faults_at(None, 0.0);
            return Ok((run, total_requests(w) - before, true));
        }
    }
    w.faults_at(None, 0.0);
    Ok((cfg.max_runs + 1, total_requests(w) - before, false))
}

/// A day's Zammad changes: a few entries booked, one changed, now and then one deleted.
fn day_edits(rng: &mut StdRng, tickets: i64, known: &[i64]) -> Vec<Edit> {
    let mut out: Vec<Edit> = (0..rng.random_range(3..8))
        .map(|_| Edit::ZAdd {
            ticket: rng.random_range(1..=tickets),
            minutes: rng.random_range(5..120),
            type_id: 1,
        })
        .collect();
    if let Some(&entry) = known.get(rng.random_range(0..known.len().max(1))) {
        out.push(Edit::ZUpdate {
            entry,
            minutes: rng.random_range(5..120),
        });
    }
    if rng.random_bool(0.3) {
        if let Some(&entry) = known.get(rng.random_range(0..known.len().max(1))) {
            out.push(Edit::ZDelete { entry });
        }
    }
    out
}

/// One measurement.
pub async fn converge(cfg: ConvergeConfig) -> Result<ConvergeResult, HarnessError> {
    let start = Instant::now();
    let now = start_instant();
    let data = dataset::generate(cfg.seed, cfg.entries, cfg.tickets, now);
    let (faulty, clean) = SoakWorld::twins(&data, now).await?;
    let mut res = ConvergeResult::default();
    let record = |(runs, requests, ok): (u32, u64, bool), res: &mut ConvergeResult| {
        res.runs.push(runs);
        res.requests.push(requests);
        if !ok {
            res.not_converged += 1;
        }
    };
    let clean_sync = async |w: &SoakWorld, what: &str, out: &mut Vec<String>| match w
        .sync(RunTrigger::Cli)
        .await
    {
        Ok(r) if r.outcome == RunOutcome::Ok => {}
        Ok(r) => out.push(format!("{what} ended {:?}: {:?}", r.outcome, r.error)),
        Err(e) => out.push(format!("{what}: {e}")),
    };
    match cfg.scenario {
        Scenario::FirstSync => {
            clean_sync(&clean, "the fault-free first sync", &mut res.problems).await;
            let episode = until_ok(&faulty, &cfg, cfg.seed).await?;
            record(episode, &mut res);
        }
        Scenario::DailyChanges { days } => {
            clean_sync(&clean, "the fault-free first sync", &mut res.problems).await;
            clean_sync(&faulty, "the first sync", &mut res.problems).await;
            let mut rng = StdRng::seed_from_u64(cfg.seed ^ 0x5eed);
            for day in 0..days {
                for w in [&faulty, &clean] {
                    w.clock.advance(chrono::Duration::hours(24));
                }
                let known: Vec<i64> = clean
                    .zammad
                    .time_accountings()
                    .iter()
                    .filter(|e| e.created_by_id == dataset::OWN)
                    .map(|e| e.id)
                    .collect();
                for edit in day_edits(&mut rng, cfg.tickets, &known) {
                    apply(&edit, &clean);
                    apply(&edit, &faulty);
                }
                clean_sync(&clean, &format!("fault-free day {day}"), &mut res.problems).await;
                let episode =
                    until_ok(&faulty, &cfg, cfg.seed.wrapping_mul(1000) + u64::from(day)).await?;
                record(episode, &mut res);
                // The retries took the faulty world's clock on; both go on from there.
                clean.clock.set(faulty.clock.now());
            }
        }
    }
    // Both worlds once more without faults; then Kimai must be the same in both.
    clean_sync(&faulty, "the final run", &mut res.problems).await;
    clean_sync(&clean, "the fault-free final run", &mut res.problems).await;
    for p in faulty.snapshot().own_problems() {
        res.problems.push(p);
    }
    for p in faulty.snapshot().diff(&clean.snapshot()) {
        res.problems.push(format!("faulty vs fault-free: {p}"));
    }
    res.duration = start.elapsed();
    Ok(res)
}

/// The `q`-quantile (0–1) of `values` (nearest rank), 0 for none.
pub fn quantile(values: &[u32], q: f64) -> u32 {
    if values.is_empty() {
        return 0;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_are_nearest_rank() {
        let v = [3, 1, 2, 1, 1, 1, 1, 1, 1, 5];
        assert_eq!(quantile(&v, 0.5), 1);
        assert_eq!(quantile(&v, 0.9), 3);
        assert_eq!(quantile(&v, 1.0), 5);
        assert_eq!(quantile(&[], 0.5), 0);
    }
}

//! The crash harness: the scenario (sync, edits on both sides, sync, more edits, `bill apply`)
//! run by the real CLI, once without crashes (the reference) and then in trials that each kill
//! one step with SIGKILL at a random point — after a random delay, or while the simulator holds
//! its N-th Kimai write before or after processing it — sometimes kill the recovering run too,
//! then run it to completion and finish the scenario. Every trial must end where the
//! reference ended: same timesheets by marker, same fields, billed once, a sound database.

pub mod world;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use timebridge_core::DataDir;
use timebridge_simulators::{Stall, StallPoint};

use crate::checks;
use crate::dataset::{self, at, month_start};
use crate::proc::{self, Finished};
use crate::snapshot::Snapshot;
use crate::HarnessError;
use world::{CrashWorld, Step, WRITES};

/// What every trial of one harness run shares.
#[derive(Clone, Debug)]
pub struct CrashConfig {
    /// Seed of the data set and the human edits.
    pub data_seed: u64,
    /// Time entries in the data set.
    pub entries: usize,
    /// The `timebridge` binary.
    pub bin: PathBuf,
    /// The instant the data set is laid out around.
    pub now: DateTime<Utc>,
}

/// What a step did in the crash-free run.
#[derive(Clone, Copy, Debug, Default)]
pub struct StepStats {
    /// Kimai writes.
    pub writes: u64,
    /// Wall time of the process.
    pub duration: Duration,
}

/// The crash-free run.
#[derive(Clone, Debug)]
pub struct Reference {
    /// Kimai at the end.
    pub snapshot: Snapshot,
    /// Per step, in [`Step::ALL`] order.
    pub steps: [StepStats; 3],
    /// Export toggles over the scenario.
    pub toggles: u64,
}

/// Where a trial kills.
#[derive(Clone, Copy, Debug)]
pub enum Kill {
    /// SIGKILL after this long.
    Delay(Duration),
    /// SIGKILL while the `write`-th Kimai write (from 1) is held at `point`.
    Stall {
        /// Which write.
        write: u32,
        /// Before or after the server processed it.
        point: StallPoint,
    },
}

/// One trial's result.
#[derive(Clone, Debug)]
pub struct Trial {
    /// Its seed (`--seed` replays it).
    pub seed: u64,
    /// What was killed where, in words.
    pub plan: String,
    /// How the kills landed (killed, or finished first).
    pub landed: Vec<String>,
    /// Everything that differs from the reference or breaks an invariant.
    pub problems: Vec<String>,
    /// Wall time.
    pub duration: Duration,
}

/// Checks that hold for the reference and every trial.
fn invariants(w: &CrashWorld, cfg: &CrashConfig, deleted: &[i64]) -> Vec<String> {
    let snap = w.snapshot();
    let since = at(month_start(cfg.now, 1), 0, 0);
    let mut out = checks::entries_in_step(&snap, &w.zammad.time_accountings(), since, deleted);
    out.extend(checks::billed_once(
        &snap,
        month_start(cfg.now, 1),
        month_start(cfg.now, 0),
    ));
    out.extend(checks::database(&DataDir::at(w.dir()).database_file()));
    out
}

/// Runs the scenario without crashes and checks it.
pub async fn reference(cfg: &CrashConfig) -> Result<Reference, HarnessError> {
    let data = dataset::generate(cfg.data_seed, cfg.entries, dataset::TICKETS, cfg.now);
    let w = CrashWorld::new(&cfg.bin, &data, cfg.data_seed, cfg.now).await?;
    let mut steps = [StepStats::default(); 3];
    let mut deleted = Vec::new();
    for (i, step) in Step::ALL.into_iter().enumerate() {
        deleted.extend(w.human_edits(step));
        let (writes, start) = (w.writes(), Instant::now());
        let out = w.run(step).await?;
        if !step.complete(&out) {
            return Err(HarnessError::Reference(format!("{step:?}: {}", out.all())));
        }
        steps[i] = StepStats {
            writes: w.writes() - writes,
            duration: start.elapsed(),
        };
    }
    let problems = invariants(&w, cfg, &deleted);
    if !problems.is_empty() {
        return Err(HarnessError::Reference(problems.join("\n")));
    }
    Ok(Reference {
        snapshot: w.snapshot(),
        steps,
        toggles: w.export_toggles(),
    })
}

/// The kills of trial `seed`: the step, the kill, and an optional second kill (a delay) of
/// the recovering run.
pub fn plan(seed: u64, r: &Reference) -> (Step, Kill, Option<Duration>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let i = rng.random_range(0..Step::ALL.len());
    let stats = r.steps[i];
    let delay = |rng: &mut StdRng| {
        let max = stats.duration.as_millis() as u64 * 11 / 10 + 20;
        Duration::from_millis(rng.random_range(0..=max))
    };
    let kill = if stats.writes > 0 && rng.random_bool(0.5) {
        Kill::Stall {
            write: rng.random_range(1..=stats.writes) as u32,
            point: if rng.random_bool(0.5) {
                StallPoint::BeforeProcessing
            } else {
                StallPoint::AfterProcessing
            },
        }
    } else {
        Kill::Delay(delay(&mut rng))
    };
    let second = rng.random_bool(0.25).then(|| delay(&mut rng));
    (Step::ALL[i], kill, second)
}

/// Runs `step` and kills it as `kill` says; how it landed.
async fn killed(w: &CrashWorld, step: Step, kill: Kill) -> Result<String, HarnessError> {
    let knobs = w.kimai.knobs();
    let reached = knobs.stalls_reached();
    if let Kill::Stall { write, point } = kill {
        let stall = Stall::new(point).on_path("/api/").on_methods(&WRITES);
        knobs.add_stall(stall.after_skipping(write - 1));
    }
    let mut child = proc::spawn(w.bin(), w.dir(), step.args())?;
    let start = Instant::now();
    let wait = |e: std::io::Error| HarnessError::Setup(e.to_string());
    let finished_first = loop {
        if child.try_wait().map_err(wait)?.is_some() {
            break true;
        }
        let due = match kill {
            Kill::Delay(d) => start.elapsed() >= d,
            Kill::Stall { .. } => knobs.stalls_reached() > reached,
        };
        if due {
            break false;
        }
        if start.elapsed() > Duration::from_secs(120) {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    if !finished_first {
        child.start_kill().map_err(wait)?;
    }
    let out = proc::finish(child).await?;
    knobs.release_stalls();
    Ok(if out.code.is_none() {
        format!("killed after {} ms", start.elapsed().as_millis())
    } else {
        format!("finished before the kill ({})", exit(&out))
    })
}

fn exit(out: &Finished) -> String {
    format!("exit {:?}", out.code)
}

/// Runs `step` until it completes (at most three runs); a run that does not is a problem.
async fn complete(
    w: &CrashWorld,
    step: Step,
    problems: &mut Vec<String>,
) -> Result<(), HarnessError> {
    for attempt in 1..=3 {
        let out = w.run(step).await?;
        if step.complete(&out) {
            return Ok(());
        }
        problems.push(format!(
            "{step:?} re-run {attempt} did not complete: {}",
            out.all()
        ));
        if out.code.is_none() {
            return Ok(()); // hung: running it again would hang again
        }
    }
    Ok(())
}

/// One trial.
pub async fn trial(cfg: &CrashConfig, r: &Reference, seed: u64) -> Result<Trial, HarnessError> {
    let start = Instant::now();
    let (kill_step, kill, second) = plan(seed, r);
    let data = dataset::generate(cfg.data_seed, cfg.entries, dataset::TICKETS, cfg.now);
    let w = CrashWorld::new(&cfg.bin, &data, cfg.data_seed, cfg.now).await?;
    let (mut problems, mut landed, mut deleted) = (Vec::new(), Vec::new(), Vec::new());
    let mut bill_kills = 0;
    for step in Step::ALL {
        deleted.extend(w.human_edits(step));
        if step == kill_step {
            landed.push(killed(&w, step, kill).await?);
            if let Some(d) = second {
                landed.push(killed(&w, step, Kill::Delay(d)).await?);
            }
            bill_kills = if step == Step::Bill {
                landed.len() as u64
            } else {
                0
            };
        }
        complete(&w, step, &mut problems).await?;
    }
    problems.extend(invariants(&w, cfg, &deleted));
    problems.extend(w.snapshot().diff(&r.snapshot));
    let toggles = w.export_toggles();
    if toggles > r.toggles + bill_kills {
        problems.push(format!(
            "export toggles: {toggles}, the reference needed {} (+{bill_kills} kills)",
            r.toggles
        ));
    }
    Ok(Trial {
        seed,
        plan: format!("{kill_step:?}: {kill:?}, second kill: {second:?}"),
        landed,
        problems,
        duration: start.elapsed(),
    })
}

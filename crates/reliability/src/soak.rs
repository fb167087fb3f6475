//! The fault soak: two worlds hold the same data and receive the same human edits; one runs
//! its syncs (manual and scheduled, mixed) while both simulators inject about 20 % faults, the
//! other without faults. After every run of either world, each timesheet that disappeared
//! during the run must have stood for an entry that is really gone from Zammad (an incremental
//! run may delete too: a deletion changes the ticket's total, so the ticket is re-read whole). At the end the faults stop, both worlds run one clean manual sync, and
//! Kimai must hold the same in both; one more sync writes nothing.

pub mod edits;
pub mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rand::Rng;
use timebridge_core::engine::RunReport;
use timebridge_core::RunTrigger;
use timebridge_simulators::kimai::SimTimesheet;
use timebridge_simulators::Knobs;

use crate::checks;
use crate::dataset::{self, at, month_start};
use crate::proc::HUNG_AFTER;
use crate::snapshot::markers;
use crate::HarnessError;
use edits::{apply, Edit, Human};
use world::SoakWorld;

/// One soak.
#[derive(Clone, Copy, Debug)]
pub struct SoakConfig {
    /// Seed of the edits and of fault injection.
    pub seed: u64,
    /// Syncs under faults.
    pub runs: usize,
    /// Entries in the data set.
    pub entries: usize,
    /// Tickets they are booked on (more tickets, more requests per full read to fail).
    pub tickets: i64,
}

/// What a soak saw.
#[derive(Clone, Debug, Default)]
pub struct SoakResult {
    /// Its seed.
    pub seed: u64,
    /// Syncs of the faulty world by outcome (`ok`, `offline`, `failed`), full or incremental.
    pub outcomes: BTreeMap<String, u32>,
    /// Faults injected (both simulators of the faulty world).
    pub faults: u64,
    /// Requests those simulators received during the runs under faults.
    pub requests: u64,
    /// Human edits made.
    pub edits: usize,
    /// Timesheets deleted by syncs in the faulty world (each checked).
    pub deletes: u64,
    /// Findings.
    pub problems: Vec<String>,
    /// Wall time.
    pub duration: Duration,
}

/// The soak starts on a fixed instant: mid-month, so nine hours of runs stay in one month.
pub fn start_instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Timesheets that vanished during a run must have stood for an entry gone from Zammad.
/// Returns how many vanished.
fn check_deletes(w: &SoakWorld, before: &[SimTimesheet], what: &str, out: &mut Vec<String>) -> u64 {
    let now: BTreeSet<u64> = w.kimai.timesheets().iter().map(|t| t.id).collect();
    let entries: BTreeSet<i64> = w.zammad.time_accountings().iter().map(|e| e.id).collect();
    let mut n = 0;
    for t in before.iter().filter(|t| !now.contains(&t.id)) {
        n += 1;
        let found = markers(t.description.as_deref().unwrap_or_default());
        match found.as_slice() {
            [entry] if !entries.contains(entry) => {}
            _ => out.push(format!(
                "{what}: timesheet {} {:?} deleted although its entry exists (markers {found:?})",
                t.id, t.description
            )),
        }
    }
    n
}

/// Runs one sync of `w` with `during` made while it runs; checks its deletes.
async fn run_one(
    w: &SoakWorld,
    trigger: RunTrigger,
    during: Option<(Edit, Duration)>,
    what: &str,
    out: &mut Vec<String>,
) -> Result<(RunReport, u64), HarnessError> {
    let before = w.kimai.timesheets();
    let edit = async {
        if let Some((edit, delay)) = &during {
            tokio::time::sleep(*delay).await;
            apply(edit, w);
        }
    };
    let sync = tokio::time::timeout(HUNG_AFTER, w.sync(trigger));
    let (report, ()) = tokio::join!(sync, edit);
    let report = report
        .map_err(|_| HarnessError::Hung(format!("{what}: no end after {HUNG_AFTER:?}")))??;
    let deleted = check_deletes(w, &before, what, out);
    Ok((report, deleted))
}

/// The soak.
pub async fn soak(cfg: SoakConfig) -> Result<SoakResult, HarnessError> {
    let start = Instant::now();
    let now = start_instant();
    let data = dataset::generate(cfg.seed, cfg.entries, cfg.tickets, now);
    let (faulty, clean) = SoakWorld::twins(&data, now).await?;
    let mut human = Human::new(cfg.seed);
    let mut res = SoakResult {
        seed: cfg.seed,
        ..SoakResult::default()
    };
    let mut out = Vec::new();
    for i in 0..cfg.runs {
        for edit in human.between(&faulty, &clean)? {
            apply(&edit, &clean);
            apply(&edit, &faulty);
        }
        let trigger = if human.rng().random_bool(0.3) {
            RunTrigger::Cli
        } else {
            RunTrigger::Schedule
        };
        // Three runs in four under faults; the others let a run complete now and then, so
        // cursors move and scheduled runs read incrementally (under faults too).
        let faults_on = human.rng().random_bool(0.75);
        faulty.faults(faults_on.then_some(cfg.seed.wrapping_mul(1000).wrapping_add(i as u64)));
        let delay = Duration::from_millis(human.rng().random_range(0..40));
        let during = human.during(&clean).map(|e| (e, delay));
        let what = format!("run {i} ({trigger:?})");
        let requests: u64 = faulty.knobs().iter().map(Knobs::total_requests).sum();
        let (r, deleted) = run_one(
            &faulty,
            trigger,
            during.clone(),
            &format!("faulty {what}"),
            &mut out,
        )
        .await?;
        res.deletes += deleted;
        if faults_on {
            let after: u64 = faulty.knobs().iter().map(Knobs::total_requests).sum();
            res.requests += after - requests;
        }
        if let Some(Ok(entry)) = std::env::var("TIMEBRIDGE_SOAK_WATCH")
            .ok()
            .map(|e| e.parse::<i64>())
        {
            let in_zammad = faulty
                .zammad
                .time_accountings()
                .iter()
                .any(|e| e.id == entry);
            let open: Vec<String> = faulty
                .store
                .pending_outbox()?
                .iter()
                .filter(|r| r.key.time_accounting_id == entry)
                .map(|r| format!("{:?} {:?}", r.kind, r.state))
                .collect();
            eprintln!(
                "  watch {entry}: zammad {in_zammad}, kimai {:?}, link {:?}, outbox {open:?}",
                faulty
                    .snapshot()
                    .marked
                    .get(&entry)
                    .map(|v| v.iter().map(|x| x.0).collect::<Vec<_>>()),
                faulty.linked(entry)?
            );
        }
        if std::env::var_os("TIMEBRIDGE_SOAK_VERBOSE").is_some() {
            eprintln!(
                "{what}: {:?} full {} {:?} {:?}",
                r.outcome, r.full, r.counts, r.error
            );
        }
        let kind = if r.full { "full" } else { "incremental" };
        let phase = if faults_on { "faults" } else { "clean" };
        *res.outcomes
            .entry(format!("{:?} {kind} ({phase})", r.outcome).to_lowercase())
            .or_default() += 1;
        let (c, _) = run_one(&clean, trigger, during, &format!("clean {what}"), &mut out).await?;
        if c.outcome != timebridge_core::RunOutcome::Ok {
            out.push(format!("clean {what} ended {:?}: {:?}", c.outcome, c.error));
        }
        for w in [&faulty, &clean] {
            w.clock.advance(chrono::Duration::minutes(7));
        }
    }
    res.faults = faulty.knobs().iter().map(Knobs::faults_injected).sum();
    faulty.faults(None);
    finish(&faulty, &clean, &human, &mut out).await?;
    res.edits = human.edits;
    res.problems = out;
    res.duration = start.elapsed();
    Ok(res)
}

/// The last clean manual sync of both worlds, the comparison, and a sync that writes nothing.
async fn finish(
    faulty: &SoakWorld,
    clean: &SoakWorld,
    human: &Human,
    out: &mut Vec<String>,
) -> Result<(), HarnessError> {
    for (w, name) in [(faulty, "faulty"), (clean, "clean")] {
        let (r, _) = run_one(w, RunTrigger::Cli, None, &format!("{name} final run"), out).await?;
        if r.outcome != timebridge_core::RunOutcome::Ok {
            out.push(format!(
                "{name} final run ended {:?}: {:?}",
                r.outcome, r.error
            ));
        }
    }
    for (w, name) in [(faulty, "faulty"), (clean, "clean")] {
        let (r, _) = run_one(
            w,
            RunTrigger::Cli,
            None,
            &format!("{name} further run"),
            out,
        )
        .await?;
        let c = &r.counts;
        if c.created + c.updated + c.deleted + c.failed > 0 {
            out.push(format!("{name}: a further clean sync still wrote: {c:?}"));
        }
        let since = at(month_start(w.clock.now(), 1), 0, 0);
        let snap = w.snapshot();
        let accountings = w.zammad.time_accountings();
        for p in checks::entries_in_step(&snap, &accountings, since, &human.kimai_deleted) {
            out.push(format!("{name}: {p}"));
        }
        for p in checks::database(w.store.path()) {
            out.push(format!("{name}: {p}"));
        }
    }
    for p in faulty.snapshot().diff(&clean.snapshot()) {
        out.push(format!("faulty vs clean: {p}"));
    }
    Ok(())
}

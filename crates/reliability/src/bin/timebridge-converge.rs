//! `timebridge-converge`: how many runs a sync needs under faults (docs/reliability.md,
//! "Progress under faults"). For each fault rate and scenario it measures every seed and
//! prints the distribution of runs until a run ends `ok` and of the requests sent, with any
//! duplicate or lost entry; `--check` exits 1 when a budget is missed.
//! `TIMEBRIDGE_CONVERGE_RAW=1` also prints every episode's numbers (`raw|…`), so runs split
//! over several processes can be added up.

use std::process::ExitCode;

use clap::Parser;
use timebridge_reliability::converge::{self, quantile, ConvergeConfig, Scenario};

/// Runs until converged under injected faults, per fault rate.
#[derive(Parser)]
struct Args {
    /// Fault rates (share of all requests), comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.05, 0.2, 0.4])]
    rates: Vec<f64>,
    /// Seeds per rate and scenario.
    #[arg(long, default_value_t = 20)]
    seeds: u64,
    /// The first seed.
    #[arg(long, default_value_t = 1)]
    first_seed: u64,
    /// Entries in the data set (the first sync books those in the sync horizon).
    #[arg(long, default_value_t = 1000)]
    entries: usize,
    /// Tickets they are booked on.
    #[arg(long, default_value_t = 100)]
    tickets: i64,
    /// Days of changes in the daily scenario (0: skip it).
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// Skip the first-sync scenario.
    #[arg(long)]
    no_first_sync: bool,
    /// Runs after which an episode counts as not converged.
    #[arg(long, default_value_t = 30)]
    max_runs: u32,
    /// Exit 1 unless: no duplicate or lost entry anywhere; at 20 % faults (or less) the median
    /// is at most 2 runs and the 90th percentile at most 3; every episode converges at any rate.
    #[arg(long)]
    check: bool,
}

fn stats<T: Copy + Into<u64>>(v: &[T]) -> String {
    let as_u32: Vec<u32> = v
        .iter()
        .map(|x| u32::try_from((*x).into()).unwrap_or(u32::MAX))
        .collect();
    format!(
        "{} / {} / {}",
        quantile(&as_u32, 0.5),
        quantile(&as_u32, 0.9),
        quantile(&as_u32, 1.0)
    )
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut scenarios = Vec::new();
    if !args.no_first_sync {
        scenarios.push(("first sync", Scenario::FirstSync));
    }
    if args.days > 0 {
        scenarios.push(("daily changes", Scenario::DailyChanges { days: args.days }));
    }
    let mut missed = Vec::new();
    println!(
        "| scenario | faults | seeds | episodes | runs to ok: median / p90 / max | requests per episode: median / p90 / max | not converged | duplicates or lost | time |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for &(name, scenario) in &scenarios {
        for &rate in &args.rates {
            let (mut runs, mut requests, mut not_converged, mut problems) =
                (Vec::new(), Vec::new(), 0, Vec::new());
            let started = std::time::Instant::now();
            for seed in args.first_seed..args.first_seed + args.seeds {
                let cfg = ConvergeConfig {
                    seed,
                    rate,
                    scenario,
                    entries: args.entries,
                    tickets: args.tickets,
                    max_runs: args.max_runs,
                };
                match converge::converge(cfg).await {
                    Ok(r) => {
                        runs.extend(r.runs);
                        requests.extend(r.requests);
                        not_converged += r.not_converged;
                        problems
                            .extend(r.problems.into_iter().map(|p| format!("seed {seed}: {p}")));
                    }
                    Err(e) => {
                        eprintln!("timebridge-converge: {name}, {rate}, seed {seed}: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            let r32: Vec<u32> = runs.clone();
            println!(
                "| {name} | {:.0} % | {} | {} | {} | {} | {not_converged} | {} | {:.0} s |",
                rate * 100.0,
                args.seeds,
                runs.len(),
                stats(&r32),
                stats(&requests),
                problems.len(),
                started.elapsed().as_secs_f64()
            );
            for p in &problems {
                println!("    {p}");
            }
            if std::env::var_os("TIMEBRIDGE_CONVERGE_RAW").is_some() {
                let csv = |v: Vec<String>| v.join(",");
                println!(
                    "raw|{name}|{rate}|{}|{}|{not_converged}|{}",
                    csv(runs.iter().map(u32::to_string).collect()),
                    csv(requests.iter().map(u64::to_string).collect()),
                    problems.len()
                );
            }
            if !problems.is_empty() {
                missed.push(format!("{name} at {rate}: {} findings", problems.len()));
            }
            if not_converged > 0 {
                missed.push(format!("{name} at {rate}: {not_converged} not converged"));
            }
            if rate <= 0.2 + f64::EPSILON && (quantile(&r32, 0.5) > 2 || quantile(&r32, 0.9) > 3) {
                missed.push(format!("{name} at {rate}: median or p90 over budget"));
            }
        }
    }
    if args.check && !missed.is_empty() {
        println!("budget missed: {missed:?}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

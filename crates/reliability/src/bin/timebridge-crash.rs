//! `timebridge-crash`: the SIGKILL crash harness (docs/reliability.md, "Crash consistency").
//! Runs a crash-free reference of the scenario, then `--trials` trials, each killing the real
//! CLI at a random point; prints every trial's seed and the summary; exit 1 on any finding.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use timebridge_reliability::crash::{self, CrashConfig};
use timebridge_reliability::proc::cli_binary;

/// Kills `timebridge sync` and `timebridge bill apply` at random points and checks nothing
/// is duplicated, lost, billed twice or corrupt.
#[derive(Parser)]
struct Args {
    /// Trials to run.
    #[arg(long, default_value_t = 200)]
    trials: u64,
    /// Replays this one trial seed (ignores --trials and --first-seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Seed of the first trial (the others follow).
    #[arg(long, default_value_t = 1)]
    first_seed: u64,
    /// Seed of the data set and the human edits.
    #[arg(long, default_value_t = 1)]
    data_seed: u64,
    /// Time entries in the data set.
    #[arg(long, default_value_t = 300)]
    entries: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("timebridge-crash: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<bool, timebridge_reliability::HarnessError> {
    let start = Instant::now();
    let cfg = CrashConfig {
        data_seed: args.data_seed,
        entries: args.entries,
        bin: cli_binary()?,
        now: chrono::Utc::now(),
    };
    println!(
        "binary {}; data seed {}, {} entries",
        cfg.bin.display(),
        cfg.data_seed,
        cfg.entries
    );
    let reference = crash::reference(&cfg).await?;
    for (step, s) in ["sync 1", "sync 2", "bill apply"]
        .iter()
        .zip(reference.steps)
    {
        println!(
            "reference {step}: {} Kimai writes in {} ms",
            s.writes,
            s.duration.as_millis()
        );
    }
    let seeds: Vec<u64> = match args.seed {
        Some(s) => vec![s],
        None => (0..args.trials).map(|i| args.first_seed + i).collect(),
    };
    let (mut failed, mut killed) = (Vec::new(), 0);
    for seed in &seeds {
        let t = crash::trial(&cfg, &reference, *seed).await?;
        killed += t.landed.iter().filter(|l| l.starts_with("killed")).count();
        let verdict = if t.problems.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        println!(
            "trial seed {seed}: {verdict} in {} ms; {}; {}",
            t.duration.as_millis(),
            t.plan,
            t.landed.join(", ")
        );
        for p in &t.problems {
            println!("    {p}");
        }
        if !t.problems.is_empty() {
            failed.push(*seed);
        }
    }
    println!(
        "summary: {} trials, {killed} kills landed, {} failed (seeds {failed:?}), data seed {}, \
         {} entries, {:.1} s",
        seeds.len(),
        failed.len(),
        cfg.data_seed,
        cfg.entries,
        start.elapsed().as_secs_f64()
    );
    Ok(failed.is_empty())
}

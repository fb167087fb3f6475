//! `timebridge-soak`: the fault soak (docs/reliability.md, "Fault soak"). Prints each soak's
//! seed, the runs by outcome, the faults injected, the deletes checked and every finding;
//! exit 1 on any finding.

use std::process::ExitCode;

use clap::Parser;
use timebridge_reliability::soak::{self, SoakConfig};

/// Syncs under ~20 % injected faults with concurrent human edits, compared with the same
/// edits without faults.
#[derive(Parser)]
struct Args {
    /// Syncs per soak.
    #[arg(long, default_value_t = 80)]
    runs: usize,
    /// Seed of the first soak (edits and faults).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Soaks, with seeds `seed`, `seed + 1`, …
    #[arg(long, default_value_t = 1)]
    soaks: u64,
    /// Time entries in the data set.
    #[arg(long, default_value_t = 200)]
    entries: usize,
    /// Tickets they are booked on.
    #[arg(long, default_value_t = 40)]
    tickets: i64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut failed = Vec::new();
    for seed in args.seed..args.seed + args.soaks {
        let cfg = SoakConfig {
            seed,
            runs: args.runs,
            entries: args.entries,
            tickets: args.tickets,
        };
        let r = match soak::soak(cfg).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("timebridge-soak: seed {seed}: {e}");
                return ExitCode::from(2);
            }
        };
        println!(
            "soak seed {seed}: {} runs {:?}; {} faults in {} requests under faults; {} human edits; {} deletes \
             checked; {} findings; {:.1} s",
            args.runs,
            r.outcomes,
            r.faults,
            r.requests,
            r.edits,
            r.deletes,
            r.problems.len(),
            r.duration.as_secs_f64()
        );
        for p in &r.problems {
            println!("    {p}");
        }
        if !r.problems.is_empty() {
            failed.push(seed);
        }
    }
    println!("summary: {} soaks, failed seeds {failed:?}", args.soaks);
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

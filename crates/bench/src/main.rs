//! `timebridge-bench`: runs the sync scenarios (docs/performance.md), each in a child process of its own
//! (so each has its own peak RSS), prints the numbers and, with `--check`, exits 1 when a
//! budget is exceeded. Usage in docs/performance.md:
//!
//! `cargo run --release -p timebridge-bench -- [--scenario a,b,c,d,e,f] [--latency-ms 20]
//!  [--concurrency 4] [--check] [--json out.json]`

use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use clap::Parser;
use timebridge_bench::data::DataSpec;
use timebridge_bench::{budget, report, run_scenario, BenchError, Config, Measurement, Scenario};

/// The line prefix a child prints its result after.
const RESULT: &str = "BENCH-RESULT ";

#[derive(Parser, Debug)]
#[command(
    name = "timebridge-bench",
    about = "Sync benchmarks against the simulators"
)]
struct Args {
    /// Scenarios to run (a b c d e f); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    scenario: Vec<Scenario>,
    /// Latency injected per request on both servers.
    #[arg(long, default_value_t = 20)]
    latency_ms: u64,
    /// Requests in flight per server (the transport's bound; the app's default is 4).
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// The consultant's synced entries.
    #[arg(long, default_value_t = 10_000)]
    entries: usize,
    /// Tickets they are booked on.
    #[arg(long, default_value_t = 2_000)]
    tickets: usize,
    /// Exit 1 when a budget is exceeded.
    #[arg(long)]
    check: bool,
    /// Also write the measurements as JSON to this file.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    /// Instead of the scenarios: measure full runs with these numbers of open months
    /// (`--open-months 1,6,24`; docs/performance.md).
    #[arg(long, value_delimiter = ',')]
    open_months: Vec<u32>,
    /// Internal: measure this one scenario in this process and print the result as JSON.
    #[arg(long, hide = true)]
    child: Option<Scenario>,
}

impl Args {
    fn config(&self) -> Config {
        Config {
            spec: DataSpec::scaled(self.entries, self.tickets),
            latency: Duration::from_millis(self.latency_ms),
            concurrency: self.concurrency.max(1),
        }
    }
}

fn child(s: Scenario, cfg: &Config) -> Result<(), BenchError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let m = rt.block_on(run_scenario(s, cfg))?;
    let json = serde_json::to_string(&m).map_err(|e| BenchError::Child {
        scenario: s.letter(),
        message: e.to_string(),
    })?;
    println!("{RESULT}{json}");
    Ok(())
}

fn spawn(s: Scenario, args: &Args) -> Result<Measurement, BenchError> {
    let fail = |message: String| BenchError::Child {
        scenario: s.letter(),
        message,
    };
    let out = Command::new(std::env::current_exe()?)
        .arg("--child")
        .arg(s.letter().to_string())
        .args(["--latency-ms", &args.latency_ms.to_string()])
        .args(["--concurrency", &args.concurrency.to_string()])
        .args(["--entries", &args.entries.to_string()])
        .args(["--tickets", &args.tickets.to_string()])
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(fail(format!("exited with {}", out.status)));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(RESULT))
        .ok_or_else(|| fail("printed no result".into()))?;
    serde_json::from_str(line).map_err(|e| fail(e.to_string()))
}

/// `--open-months`: full runs with that many open months, one line per run.
fn open_months(args: &Args) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("timebridge-bench: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "open months: {} entries and {} tickets per month, latency {} ms, concurrency {}",
        timebridge_bench::open_months::PER_MONTH,
        timebridge_bench::open_months::TICKETS_PER_MONTH,
        args.latency_ms,
        args.concurrency
    );
    println!("months | entries | run | wall s | Kimai requests | Zammad requests | writes");
    for months in &args.open_months {
        let measured = rt.block_on(timebridge_bench::open_months::measure(
            *months,
            Duration::from_millis(args.latency_ms),
            args.concurrency.max(1),
        ));
        match measured {
            Ok(m) => {
                for r in &m.runs {
                    println!(
                        "{} | {} | {} | {:.1} | {} | {} | {}",
                        m.months,
                        m.entries,
                        r.run,
                        r.wall_ms / 1000.0,
                        r.kimai,
                        r.zammad,
                        r.writes
                    );
                }
            }
            Err(e) => {
                eprintln!("timebridge-bench: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args = Args::parse();
    let cfg = args.config();
    if let Some(s) = args.child {
        return match child(s, &cfg) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("timebridge-bench: {e}");
                ExitCode::from(2)
            }
        };
    }
    if !args.open_months.is_empty() {
        return open_months(&args);
    }
    let mut scenarios = if args.scenario.is_empty() {
        Scenario::ALL.to_vec()
    } else {
        args.scenario.clone()
    };
    scenarios.sort();
    scenarios.dedup();
    println!(
        "timebridge-bench: {} entries on {} tickets, latency {} ms, concurrency {} per server",
        cfg.spec.entries, cfg.spec.tickets, args.latency_ms, cfg.concurrency
    );
    let mut all = Vec::new();
    for s in scenarios {
        eprintln!("running ({}) {} …", s.letter(), s.title());
        let measured = spawn(s, &args);
        match measured {
            Ok(m) => {
                println!("{}", report::render(&m));
                all.push(m);
            }
            Err(e) => {
                eprintln!("timebridge-bench: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(path) = &args.json {
        let written = serde_json::to_string_pretty(&all)
            .map_err(std::io::Error::other)
            .and_then(|j| std::fs::write(path, j));
        if let Err(e) = written {
            eprintln!("timebridge-bench: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    let met = budget::all_met(&all);
    println!("budgets: {}", if met { "all met" } else { "SOME NOT MET" });
    if args.check && !met {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

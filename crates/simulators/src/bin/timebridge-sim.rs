//! `timebridge-sim`: the Kimai simulator and one Zammad simulator per helpdesk, standalone, for
//! the demo and for trying Timebridge without accounts. Listens on loopback by default.
//!
//! Knobs can also be turned while it runs, per server, under `/_sim/`
//! (see the README: latency, faults, request counts).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use timebridge_simulators::kimai::KimaiSim;
use timebridge_simulators::zammad::ZammadSim;
use timebridge_simulators::{Clock, Fault, Knobs, SeedFile};

/// Runs local Kimai and Zammad simulators.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Seed from a JSON file ({"kimai": …, "zammad": {"name": …}}); default: the demo data set.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Tickets per demo helpdesk (the demo has 40; 13500 gives about 10,000 timesheets to
    /// book). Not with --seed.
    #[arg(long, conflicts_with = "seed", value_parser = clap::value_parser!(i64).range(1..=100_000))]
    tickets: Option<i64>,
    /// Print the demo data set as a seed file and exit.
    #[arg(long)]
    print_demo_seed: bool,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Kimai's port (0: any free port).
    #[arg(long, default_value_t = 0)]
    kimai_port: u16,
    /// The first Zammad's port; further helpdesks take the following ports (0: any free port).
    #[arg(long, default_value_t = 0)]
    zammad_port: u16,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability (0..1) that a request meets an injected fault: 500, 503, 429, a reset, a
    /// response slower than 30 s, or malformed JSON, in equal shares.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Seed of the fault dice, for reproducible runs.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
}

fn apply_knobs(knobs: &Knobs, args: &Args) {
    knobs.set_latency(Duration::from_millis(args.latency_ms));
    if args.fault_rate > 0.0 {
        // Slower than the clients' 30 s timeout.
        for fault in Fault::every_kind(args.fault_rate, 31_000, 2) {
            knobs.add_fault(fault);
        }
    }
}

/// The users and tokens in a seed, for the start-up banner (demo tokens, not secrets).
fn users(seed: &serde_json::Value) -> Vec<String> {
    let Some(users) = seed.get("users").and_then(|u| u.as_array()) else {
        return Vec::new();
    };
    users
        .iter()
        .filter_map(|u| {
            let name = u.get("username").or_else(|| u.get("login"))?.as_str()?;
            let token = u.get("token")?.as_str()?;
            Some(format!("{name} (token {token})"))
        })
        .collect()
}

#[tokio::main]
async fn main() {
    if let Err(e) = run(Args::parse()).await {
        eprintln!("timebridge-sim: {e}");
        std::process::exit(2);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        return Err(format!(
            "--fault-rate must be between 0 and 1, not {}",
            args.fault_rate
        )
        .into());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let clock = Clock::system();
    if args.print_demo_seed {
        println!(
            "{}",
            serde_json::to_string_pretty(&SeedFile::demo(clock.now()))?
        );
        return Ok(());
    }
    let seed = match &args.seed {
        Some(path) => SeedFile::load(path)?,
        None => match args.tickets {
            Some(tickets) => SeedFile::demo_scaled(clock.now(), tickets),
            None => SeedFile::demo(clock.now()),
        },
    };

    let kimai = KimaiSim::from_seed(seed.kimai.clone(), clock.clone());
    apply_knobs(&kimai.knobs(), &args);
    let kimai_server = kimai
        .start_at(SocketAddr::new(args.host, args.kimai_port))
        .await?;
    println!(
        "kimai   {}  users: {}",
        kimai_server.url(),
        users(&serde_json::to_value(&seed.kimai)?).join(", ")
    );

    let mut servers = vec![kimai_server];
    for (i, (name, zseed)) in seed.zammad.iter().enumerate() {
        let sim = ZammadSim::from_seed(zseed.clone(), clock.clone());
        apply_knobs(&sim.knobs(), &args);
        let port = if args.zammad_port == 0 {
            0
        } else {
            args.zammad_port + i as u16
        };
        let server = sim.start_at(SocketAddr::new(args.host, port)).await?;
        println!(
            "zammad  {}  ({name})  users: {}",
            server.url(),
            users(&serde_json::to_value(zseed)?).join(", ")
        );
        servers.push(server);
    }
    println!("Simulators running; Ctrl-C stops them.");
    tokio::signal::ctrl_c().await?;
    drop(servers);
    Ok(())
}

//! The benchmark harness of the sync: the real engine over real HTTP against the
//! in-process simulators with injected latency, a generated data set of 10,000 entries, a real
//! SQLite file. Each scenario is measured for wall time, requests per endpoint, peak RSS and
//! the ratio to the lower bound set by HTTP, and checked against its budget. The binary runs
//! each scenario in a child process of its own so that each has its own peak RSS; the smoke
//! test calls [`run_scenario`] in-process. See docs/performance.md.

pub mod budget;
pub mod data;
pub mod measure;
pub mod open_months;
pub mod report;
pub mod scenario;
pub mod world;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use scenario::{Done, Necessary, Scenario};

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A local file or socket.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The database.
    #[error("store: {0}")]
    Store(#[from] timebridge_core::StoreError),
    /// The engine outside the servers.
    #[error("engine: {0}")]
    Engine(#[from] timebridge_core::engine::EngineError),
    /// Rebuilding links.
    #[error("rebuild: {0}")]
    Rebuild(#[from] timebridge_core::engine::RebuildError),
    /// A client could not be built.
    #[error("Kimai client: {0}")]
    Kimai(#[from] timebridge_kimai::KimaiError),
    /// A client could not be built.
    #[error("Zammad client: {0}")]
    Zammad(#[from] timebridge_zammad::ZammadError),
    /// A simulator URL.
    #[error("URL: {0}")]
    Url(#[from] timebridge_http::BaseUrlError),
    /// A run did not end well (the numbers would mean nothing).
    #[error("run failed: {0}")]
    Run(String),
    /// The world could not be set up.
    #[error("setup: {0}")]
    Setup(String),
    /// A child process failed or said something unreadable.
    #[error("child for scenario {scenario}: {message}")]
    Child {
        /// The scenario letter.
        scenario: char,
        /// What went wrong.
        message: String,
    },
}

/// How to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// The data set.
    pub spec: data::DataSpec,
    /// Injected latency per request, on both servers.
    pub latency: Duration,
    /// Requests in flight per server (the transport's bound).
    pub concurrency: usize,
}

/// One scenario's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Which.
    pub scenario: Scenario,
    /// Not run (billing is not there yet).
    pub skipped: bool,
    /// Injected latency (ms).
    pub latency_ms: u64,
    /// Requests in flight per server.
    pub concurrency: usize,
    /// Wall time of the measured part (ms).
    pub wall_ms: f64,
    /// CPU (user + system) of the whole process during it, simulators included (ms).
    pub cpu_ms: u64,
    /// Requests per endpoint: `kimai GET /api/timesheets` → n.
    pub requests: BTreeMap<String, u64>,
    /// Requests in all.
    pub total_requests: u64,
    /// The necessary requests.
    pub necessary: Necessary,
    /// necessary × latency ÷ concurrency (ms).
    pub lower_bound_ms: f64,
    /// wall ÷ lower bound (`None` without latency).
    pub ratio: Option<f64>,
    /// Peak RSS of the process during the measured part (KiB; simulators and data included).
    pub peak_rss_kib: Option<u64>,
    /// RSS right before the measured part (simulators seeded, setup done).
    pub rss_before_kib: Option<u64>,
    /// Whether the peak could be reset after the setup (else it includes the setup).
    pub peak_reset: bool,
    /// When each kind of request happened.
    pub timeline: BTreeMap<String, measure::Span>,
    /// What the engine did.
    pub done: Done,
}

/// Sets up and measures one scenario in this process.
pub async fn run_scenario(s: Scenario, cfg: &Config) -> Result<Measurement, BenchError> {
    let mut m = Measurement {
        scenario: s,
        skipped: false,
        latency_ms: cfg.latency.as_millis() as u64,
        concurrency: cfg.concurrency,
        wall_ms: 0.0,
        cpu_ms: 0,
        requests: BTreeMap::new(),
        total_requests: 0,
        necessary: Necessary::default(),
        lower_bound_ms: 0.0,
        ratio: None,
        peak_rss_kib: None,
        rss_before_kib: None,
        peak_reset: false,
        timeline: BTreeMap::new(),
        done: Done::default(),
    };
    if m.skipped {
        return Ok(m);
    }
    let mut w = world::World::new(cfg.spec, cfg.concurrency).await?;
    s.setup(&mut w).await?;
    w.set_latency(cfg.latency);
    w.reset_counts();
    m.rss_before_kib = measure::rss_kib();
    m.peak_reset = measure::reset_peak_rss();
    let cpu_before = measure::cpu_time().unwrap_or_default();
    let timeline = measure::Timeline::start(
        w.kimai_sim.knobs(),
        w.zammad_sim.knobs(),
        Duration::from_millis(20),
    );
    let start = Instant::now();
    m.done = s.run_measured(&w).await?;
    m.wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    m.timeline = timeline.finish().await;
    m.cpu_ms = measure::cpu_time()
        .unwrap_or_default()
        .saturating_sub(cpu_before)
        .as_millis() as u64;
    m.peak_rss_kib = measure::peak_rss_kib();
    for (server, knobs) in [
        ("kimai", w.kimai_sim.knobs()),
        ("zammad", w.zammad_sim.knobs()),
    ] {
        for (endpoint, n) in knobs.counts() {
            m.requests.insert(format!("{server} {endpoint}"), n);
        }
    }
    m.total_requests = m.requests.values().sum();
    m.necessary = s.necessary(&w);
    let necessary = (m.necessary.kimai + m.necessary.zammad) as f64;
    m.lower_bound_ms = necessary * m.latency_ms as f64 / cfg.concurrency.max(1) as f64;
    m.ratio = (m.lower_bound_ms > 0.0).then(|| m.wall_ms / m.lower_bound_ms);
    Ok(m)
}

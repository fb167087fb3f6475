//! One soak world: both simulators on one manual clock (so the faulty and the clean world see
//! the same instants), a real SQLite file, and the core engine with clients that time out and
//! retry quickly — the CLI's retry rules, shorter waits, so a soak of a hundred runs with
//! slow answers still finishes in minutes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use timebridge_core::engine::{Engine, InstanceConn, Mode, RunReport};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::{Actor, RunTrigger, Store};
use timebridge_http::{BaseUrl, HttpConfig, RetryPolicy, Secret};
use timebridge_kimai::KimaiClient;
use timebridge_simulators::kimai::KimaiSim;
use timebridge_simulators::zammad::ZammadSim;
use timebridge_simulators::{Clock, Fault, FaultKind, Knobs, RunningServer};
use timebridge_zammad::ZammadClient;

use crate::dataset::{self, DataSet, INSTANCE, KIMAI_TOKEN, TZ, ZAMMAD_TOKEN};
use crate::snapshot::Snapshot;
use crate::HarnessError;

/// Per-attempt timeout of the soak's clients; `Slow` faults answer later than this.
pub const TIMEOUT: Duration = Duration::from_millis(400);

fn http() -> HttpConfig {
    HttpConfig {
        timeout: TIMEOUT,
        retry: RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(5),
        },
        ..HttpConfig::default()
    }
}

/// The fault mix, about 20 % of requests in all (rules are tried in order, each with its own
/// chance): 500, 503, 429 with `Retry-After: 1`, connection resets and malformed bodies after
/// processing, and answers slower than the client's timeout.
pub fn fault_mix() -> Vec<Fault> {
    let rule = |p, kind| Fault::always(kind).on_path("/api/").with_probability(p);
    vec![
        rule(0.04, FaultKind::Status { status: 500 }),
        rule(0.04, FaultKind::Status { status: 503 }),
        rule(
            0.02,
            FaultKind::TooManyRequests {
                retry_after_secs: 1,
            },
        ),
        rule(0.05, FaultKind::Reset),
        rule(0.03, FaultKind::MalformedJson),
        rule(0.03, FaultKind::Slow { millis: 600 }),
    ]
}

/// Every kind of fault the simulators have, together striking about `rate` of the `/api/`
/// requests (`Fault::every_kind`): slow answers come after the clients' timeout, 429s ask
/// for a second.
pub fn fault_mix_at(rate: f64) -> Vec<Fault> {
    Fault::every_kind(rate, 600, 1)
        .into_iter()
        .map(|f| f.on_path("/api/"))
        .collect()
}

/// Simulators, store and engine of one world.
pub struct SoakWorld {
    /// Kimai.
    pub kimai: KimaiSim,
    /// Zammad.
    pub zammad: ZammadSim,
    /// The clock both simulators and the engine's `now` follow.
    pub clock: Clock,
    /// The local state.
    pub store: Store,
    kimai_client: KimaiClient,
    instances: Vec<InstanceConn>,
    _servers: (RunningServer, RunningServer),
    _dir: tempfile::TempDir,
}

fn setup<E: std::fmt::Display>(e: E) -> HarnessError {
    HarnessError::Setup(e.to_string())
}

impl SoakWorld {
    /// A world holding `data` at `now`.
    pub async fn new(data: &DataSet, now: DateTime<Utc>) -> Result<Self, HarnessError> {
        let clock = Clock::manual(now);
        let kimai = KimaiSim::from_seed(data.kimai.clone(), clock.clone());
        let zammad = ZammadSim::from_seed(data.zammad.clone(), clock.clone());
        let servers = (
            kimai.start().await.map_err(setup)?,
            zammad.start().await.map_err(setup)?,
        );
        let url = |s: &RunningServer| BaseUrl::parse(&s.url(), true).map_err(setup);
        let kimai_client =
            KimaiClient::new(url(&servers.0)?, Secret::new(KIMAI_TOKEN), http()).map_err(setup)?;
        let zammad_client = ZammadClient::new(url(&servers.1)?, Secret::new(ZAMMAD_TOKEN), http())
            .map_err(setup)?;
        let dir = tempfile::tempdir().map_err(setup)?;
        let store = Store::open(&dir.path().join("timebridge.db"))?;
        let instances = vec![InstanceConn {
            key: InstanceKey::new(INSTANCE).map_err(setup)?,
            client: zammad_client,
            settings: dataset::settings(),
        }];
        Ok(Self {
            kimai,
            zammad,
            clock,
            store,
            kimai_client,
            instances,
            _servers: servers,
            _dir: dir,
        })
    }

    /// Two worlds holding `data` at `now`: one to run under faults, its fault-free twin.
    pub async fn twins(data: &DataSet, now: DateTime<Utc>) -> Result<(Self, Self), HarnessError> {
        Ok((Self::new(data, now).await?, Self::new(data, now).await?))
    }

    /// One sync as of the clock's now.
    pub async fn sync(&self, trigger: RunTrigger) -> Result<RunReport, HarnessError> {
        let engine = Engine {
            store: &self.store,
            kimai: &self.kimai_client,
            instances: &self.instances,
            tz: TZ,
            actor: Actor::Cli,
        };
        engine
            .run(self.clock.now(), Mode::Apply, trigger)
            .await
            .map_err(|e| HarnessError::Setup(format!("engine: {e}")))
    }

    /// Kimai's state.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.kimai.timesheets())
    }

    /// Both simulators' knobs.
    pub fn knobs(&self) -> [Knobs; 2] {
        [self.kimai.knobs(), self.zammad.knobs()]
    }

    /// Switches the fault mix on (`Some(seed)`, reproducible per seed) or off.
    pub fn faults(&self, seed: Option<u64>) {
        self.faults_with(seed, fault_mix);
    }

    /// Switches [`fault_mix_at`]`(rate)` on (`Some(seed)`) or off.
    pub fn faults_at(&self, seed: Option<u64>, rate: f64) {
        self.faults_with(seed, || fault_mix_at(rate));
    }

    fn faults_with(&self, seed: Option<u64>, mix: impl Fn() -> Vec<Fault>) {
        for (i, knobs) in self.knobs().into_iter().enumerate() {
            knobs.clear_faults();
            if let Some(seed) = seed {
                knobs.reseed(seed.wrapping_add(i as u64));
                mix().into_iter().for_each(|f| knobs.add_fault(f));
            }
        }
    }

    /// The timesheet id the store links to `entry`, if any.
    pub fn linked(&self, entry: i64) -> Result<Option<i64>, HarnessError> {
        let links = self.store.links_for(INSTANCE)?;
        Ok(links
            .iter()
            .find(|(k, _)| k.time_accounting_id == entry)
            .and_then(|(_, l)| l.timesheet_id))
    }
}

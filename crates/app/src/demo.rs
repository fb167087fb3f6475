//! "Try with demo data": the built-in simulators (Kimai and the two demo helpdesks, data laid
//! out around now, on the app's clock) run in-process on loopback, and a data directory of
//! their own gets connections to them. The demo tokens stay in a memory store — never the
//! keychain, never SQLite — and the demo directory is wiped at each start, because the
//! simulators start from their seed every time (old links would point at nothing).
//!
//! The demo comes mapped like a real set-up after the wizard, except one organization
//! ("Acme Logistics"), so "needs mapping" and the mapping suggestion show up too.

use std::collections::BTreeMap;
use std::sync::Arc;

use timebridge_http::Secret;
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{demo, ZammadSim};
use timebridge_simulators::{Clock as SimClock, RunningServer};
use timebridge_types::{ApiError, ErrorCode};

use super::{api_error, App};
use timebridge_core::secrets::{MemoryStore, SecretStore};
use timebridge_core::setup::{zammad_account, KIMAI_ACCOUNT};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::{Clock, Core, DataDir};

pub use timebridge_core::DEMO_DIR;

/// A file that marks a directory as the demo's, so only such a directory is ever wiped.
const MARKER: &str = ".timebridge-demo";

/// The demo Kimai user's token (demo data, not a secret).
const KIMAI_TOKEN: &str = "demo-kimai-token";

/// Tickets per demo helpdesk: `TIMEBRIDGE_DEMO_TICKETS` (for measuring the app with a large
/// data set, e.g. 13500 ≈ 10,000 timesheets in the sync horizon), else the demo's 40.
fn demo_tickets() -> i64 {
    std::env::var("TIMEBRIDGE_DEMO_TICKETS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| (1..=100_000).contains(n))
        .unwrap_or(demo::DEMO_TICKETS)
}

/// The running simulators; dropping them stops the servers.
pub struct DemoWorld {
    /// The Kimai simulator (tests act on it as a human would).
    pub kimai: KimaiSim,
    /// The helpdesks by key.
    pub zammad: Vec<(String, ZammadSim)>,
    servers: Vec<RunningServer>,
}

impl std::fmt::Debug for DemoWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoWorld")
            .field("servers", &self.servers.len())
            .finish_non_exhaustive()
    }
}

impl DemoWorld {
    /// Starts the simulators with the demo data around `clock`'s now; they keep following
    /// that clock.
    pub async fn start(clock: &Clock) -> std::io::Result<(Self, Vec<String>)> {
        let now = clock.now();
        let sim_clock = {
            let clock = clock.clone();
            SimClock::following(move || clock.now())
        };
        let kimai = KimaiSim::from_seed(demo_seed(now), sim_clock.clone());
        let server = kimai.start().await?;
        let mut urls = vec![server.url()];
        let mut servers = vec![server];
        let mut zammad = Vec::new();
        for (key, seed) in demo::demo_seeds_with(now, demo_tickets()) {
            let sim = ZammadSim::from_seed(seed, sim_clock.clone());
            let server = sim.start().await?;
            urls.push(server.url());
            servers.push(server);
            zammad.push((key, sim));
        }
        Ok((
            Self {
                kimai,
                zammad,
                servers,
            },
            urls,
        ))
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("the demo could not start: {what}: {e}"),
    )
}

/// Empties `dir` if it is the demo's (or does not exist yet); refuses any other directory.
fn fresh_dir(dir: &DataDir) -> Result<(), ApiError> {
    let root = dir.root();
    if root.exists() {
        let ours = root.join(MARKER).exists();
        let empty = std::fs::read_dir(root)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !ours && !empty {
            return Err(ApiError::new(
                ErrorCode::DataDirUnavailable,
                format!(
                    "{} exists and is not a demo directory; it is left alone",
                    root.display()
                ),
            ));
        }
        std::fs::remove_dir_all(root).map_err(|e| failed("emptying its directory", e))?;
    }
    dir.ensure()
        .map_err(|e| api_error(timebridge_core::Error::from(e)))?;
    std::fs::write(root.join(MARKER), b"demo data; wiped at each demo start\n")
        .map_err(|e| failed("marking its directory", e))
}

/// Starts the simulators, prepares the demo directory and returns the demo app (its schedule
/// not started yet).
pub(super) async fn open(dir: DataDir, clock: Clock) -> Result<App, ApiError> {
    fresh_dir(&dir)?;
    let (world, urls) = DemoWorld::start(&clock)
        .await
        .map_err(|e| failed("the simulators", e))?;
    let core = Arc::new(Core::open(dir, None).map_err(api_error)?);
    let secrets: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    configure(&core, &*secrets, &world, &urls)?;
    timebridge_core::setup::default_book_from(core.store(), clock.now()).map_err(api_error)?;
    App::build(core, secrets, clock, Some(world))
}

/// Stores the demo's connections, mappings and tokens.
fn configure(
    core: &Core,
    secrets: &dyn SecretStore,
    world: &DemoWorld,
    urls: &[String],
) -> Result<(), ApiError> {
    let store = core.store();
    let tz = chrono_tz::Europe::Berlin;
    store
        .add_kimai_connection("Kimai (demo)", &urls[0], false, Some(tz))
        .map_err(api_error)?;
    secrets
        .set(KIMAI_ACCOUNT, &Secret::new(KIMAI_TOKEN))
        .map_err(api_error)?;
    for ((key, _), url) in world.zammad.iter().zip(&urls[1..]) {
        let instance = InstanceKey::new(key).map_err(|e| failed("a helpdesk key", e))?;
        let unit = if key == "globex" {
            TimeUnit::Hours
        } else {
            TimeUnit::Minutes
        };
        let mut settings = InstanceSettings::new(unit);
        // Organization 1 of each helpdesk is its main customer; Acme's organization 2
        // ("Acme Logistics") is left for the user to map.
        let (customer, project) = if key == "globex" { (2, 3) } else { (1, 1) };
        settings.rules = vec![MappingRule {
            scope: Scope::Organization(1),
            customer,
            project,
            activity: None,
        }];
        settings.activity_by_type = BTreeMap::from([(1, 1), (2, 1), (3, 2)]);
        settings.activity_without_type = Some(1);
        settings.zammad_user_id = Some(2);
        settings.exact_day_totals = true;
        // The demo's helpdesks sync at once: their Kimai holds nothing booked before (a real
        // connection's first sync waits for the go-ahead, `engine::first_sync`).
        let name = format!("{} helpdesk (demo)", capitalized(key));
        store
            .add_zammad_connection(&name, url, false, &instance, &settings)
            .map_err(api_error)?;
        secrets
            .set(
                &zammad_account(key),
                &Secret::new(format!("demo-zammad-{key}-token")),
            )
            .map_err(api_error)?;
    }
    Ok(())
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

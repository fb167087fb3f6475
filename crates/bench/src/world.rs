//! The benchmark's world: a Kimai and a Zammad simulator seeded from the generated data set,
//! real HTTP clients with the production transport settings (only the concurrency bound is
//! the bench's), and a real SQLite file in a temporary directory.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use timebridge_core::engine::{Engine, InstanceConn};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::{Actor, Store};
use timebridge_http::{BaseUrl, HttpConfig, Secret};
use timebridge_kimai::KimaiClient;
use timebridge_simulators::kimai::{
    KimaiSeed, KimaiSim, Role, SeedActivity, SeedCustomer, SeedProject, SeedUser,
};
use timebridge_simulators::zammad::{
    SeedGroup, SeedOrganization, SeedSettings, SeedTicket, SeedTimeAccounting, SeedType,
    SeedUser as ZammadUser, ZammadSeed, ZammadSim,
};
use timebridge_simulators::{Clock, RunningServer};
use timebridge_zammad::ZammadClient;

use crate::data::{self, DataSpec, GenEntry, CONSULTANT, UNMAPPED_ORG};
use crate::BenchError;

const KIMAI_TOKEN: &str = "bench-kimai-token";
const ZAMMAD_TOKEN: &str = "bench-zammad-token";

/// The billing timezone (and the Kimai user's).
pub const TZ: chrono_tz::Tz = chrono_tz::Europe::Berlin;

fn kimai_seed() -> KimaiSeed {
    let customer = |id, name: &str| SeedCustomer {
        id,
        name: name.into(),
        visible: true,
    };
    let project = |id: u64| SeedProject {
        id,
        name: format!("Project {id}"),
        customer: 1 + (id - 1) / 2,
        start: None,
        end: None,
        global_activities: true,
        visible: true,
        hourly_rate: None,
    };
    let activity = |id, name: &str| SeedActivity {
        id,
        name: name.into(),
        project: None,
        visible: true,
    };
    KimaiSeed {
        users: vec![SeedUser {
            id: 2,
            username: "consultant".into(),
            token: KIMAI_TOKEN.into(),
            role: Role::User,
            timezone: TZ.name().into(),
        }],
        customers: vec![customer(1, "Acme GmbH"), customer(2, "Globex AG")],
        projects: (1..=4).map(project).collect(),
        activities: vec![activity(1, "Remote support"), activity(2, "On site")],
        tags: vec!["zammad".into()],
        meta_fields: Vec::new(),
        timesheets: Vec::new(),
    }
}

fn zammad_user(id: i64, login: &str, token: Option<&str>, admin: bool) -> ZammadUser {
    let mut permissions = vec!["ticket.agent".to_string()];
    if admin {
        permissions.push("admin".into());
    }
    ZammadUser {
        id,
        login: login.into(),
        firstname: login.into(),
        lastname: "Bench".into(),
        email: format!("{login}@example.com"),
        active: true,
        permissions,
        token: token.map(Into::into),
        token_permissions: None,
        group_access: BTreeMap::from([("1".to_string(), vec!["full".to_string()])]),
        organization_id: None,
        role_ids: vec![2],
    }
}

fn zammad_seed(spec: &DataSpec, entries: &[GenEntry]) -> ZammadSeed {
    let oldest = entries.iter().map(|e| e.at).min().unwrap_or_else(data::now);
    let created = oldest.min(data::now() - Duration::days(180)) - Duration::days(1);
    ZammadSeed {
        settings: SeedSettings {
            time_accounting: true,
            unit: "minute".into(),
            unit_custom: String::new(),
            types: true,
            elasticsearch: false,
        },
        users: vec![
            zammad_user(1, "admin", None, true),
            zammad_user(CONSULTANT, "consultant", Some(ZAMMAD_TOKEN), false),
            zammad_user(data::COLLEAGUE, "colleague", None, false),
        ],
        groups: vec![SeedGroup {
            id: 1,
            name: "Support".into(),
        }],
        organizations: (1..=UNMAPPED_ORG)
            .map(|id| SeedOrganization {
                id,
                name: format!("Organization {id}"),
            })
            .collect(),
        tickets: spec
            .all_tickets()
            .map(|id| SeedTicket {
                id,
                number: None,
                title: format!("Ticket {id}: something is broken"),
                group_id: 1,
                organization_id: Some(data::org_of(spec, id)),
                customer_id: None,
                owner_id: None,
                created_at: created,
                updated_at: None,
            })
            .collect(),
        types: vec![
            SeedType {
                id: 1,
                name: "Remote".into(),
                active: true,
            },
            SeedType {
                id: 2,
                name: "On site".into(),
                active: true,
            },
        ],
        time_accountings: entries
            .iter()
            .map(|e| SeedTimeAccounting {
                id: e.id,
                ticket_id: e.ticket,
                time_unit: e.minutes,
                type_id: Some(e.type_id),
                created_by_id: e.by,
                created_at: e.at,
            })
            .collect(),
    }
}

/// Organizations 1..=4 → projects 1..=4 (customers 1, 1, 2, 2); type 1 → activity 1, type 2
/// → activity 2; tag `zammad`.
pub fn settings() -> InstanceSettings {
    let mut settings = InstanceSettings::new(TimeUnit::Minutes);
    settings.rules = (1..UNMAPPED_ORG)
        .map(|org| MappingRule {
            scope: Scope::Organization(org),
            customer: 1 + (org - 1) / 2,
            project: org,
            activity: None,
        })
        .collect();
    settings.activity_by_type = BTreeMap::from([(1, 1), (2, 2)]);
    settings.tags = vec!["zammad".into()];
    settings
}

/// The simulators, the clients and the database of one scenario.
#[derive(Debug)]
pub struct World {
    dir: tempfile::TempDir,
    /// The local database (replaced by [`World::fresh_store`]).
    pub store: Store,
    /// The simulators' shared clock.
    pub clock: Clock,
    /// Kimai.
    pub kimai_sim: KimaiSim,
    /// Zammad.
    pub zammad_sim: ZammadSim,
    _servers: (RunningServer, RunningServer),
    /// The Kimai client.
    pub kimai: KimaiClient,
    /// The one helpdesk.
    pub instances: Vec<InstanceConn>,
    /// The generated entries.
    pub entries: Vec<GenEntry>,
    /// The data set's size.
    pub spec: DataSpec,
}

/// The production transport settings with `concurrency` requests in flight per server.
pub fn http(concurrency: usize) -> HttpConfig {
    HttpConfig {
        max_concurrency: concurrency,
        ..HttpConfig::default()
    }
}

impl World {
    /// Seeds both simulators from `spec`, starts them on local ports and opens a fresh
    /// database; the clock stands at [`data::now`].
    pub async fn new(spec: DataSpec, concurrency: usize) -> Result<Self, BenchError> {
        Self::with_entries(spec, data::entries(&spec), concurrency).await
    }

    /// [`World::new`] with the given entries instead of the generated data set (`spec` still
    /// names the tickets and organizations).
    pub async fn with_entries(
        spec: DataSpec,
        entries: Vec<GenEntry>,
        concurrency: usize,
    ) -> Result<Self, BenchError> {
        let clock = Clock::manual(data::now());
        let kimai_sim = KimaiSim::from_seed(kimai_seed(), clock.clone());
        let zammad_sim = ZammadSim::from_seed(zammad_seed(&spec, &entries), clock.clone());
        let ks = kimai_sim.start().await?;
        let zs = zammad_sim.start().await?;
        let url = |s: &RunningServer| BaseUrl::parse(&s.url(), false);
        let kimai = KimaiClient::new(url(&ks)?, Secret::new(KIMAI_TOKEN), http(concurrency))?;
        let zammad = ZammadClient::new(url(&zs)?, Secret::new(ZAMMAD_TOKEN), http(concurrency))?;
        let dir = tempfile::tempdir()?;
        let store = Store::open(&dir.path().join("timebridge-0.db"))?;
        let key = InstanceKey::new("acme").map_err(|e| BenchError::Setup(e.to_string()))?;
        Ok(Self {
            dir,
            store,
            clock,
            kimai_sim,
            zammad_sim,
            _servers: (ks, zs),
            kimai,
            instances: vec![InstanceConn {
                key,
                client: zammad,
                settings: settings(),
            }],
            entries,
            spec,
        })
    }

    /// The engine over this world's database and clients.
    pub fn engine(&self) -> Engine<'_> {
        Engine {
            store: &self.store,
            kimai: &self.kimai,
            instances: &self.instances,
            tz: TZ,
            actor: Actor::Cli,
        }
    }

    /// Gives the consultant's Kimai user `role` (billing needs the export permission, which
    /// a plain `ROLE_USER` lacks; a teamlead has it by Kimai's defaults).
    pub fn promote(&self, role: Role) {
        self.kimai_sim.add_user(SeedUser {
            id: 2,
            username: "consultant".into(),
            token: KIMAI_TOKEN.into(),
            role,
            timezone: TZ.name().into(),
        });
    }

    /// The temporary data directory (billing reports go to `reports/` in it).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Replaces the database with an empty one (a new laptop), keeping the servers' data.
    pub fn fresh_store(&mut self, name: &str) -> Result<(), BenchError> {
        self.store = Store::open(&self.dir.path().join(format!("{name}.db")))?;
        Ok(())
    }

    /// Moves the simulators' clock to `at`.
    pub fn set_clock(&self, at: DateTime<Utc>) {
        self.clock.set(at);
    }

    /// Sets the injected latency on both servers.
    pub fn set_latency(&self, latency: std::time::Duration) {
        self.kimai_sim.knobs().set_latency(latency);
        self.zammad_sim.knobs().set_latency(latency);
    }

    /// Forgets both servers' request counts.
    pub fn reset_counts(&self) {
        self.kimai_sim.knobs().reset_counts();
        self.zammad_sim.knobs().reset_counts();
    }
}

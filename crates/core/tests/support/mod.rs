//! A small, fully controlled world for engine scenario tests: one Kimai and one Zammad
//! simulator on a manual clock (so placement is deterministic), a real SQLite file, and
//! helpers to book entries at exact instants and to read back what Kimai really holds.
//!
//! Unlike the demo seeds used by `sync_engine.rs`, every entry here is placed by the test, so
//! each scenario can state the exact timesheet it expects.

#![allow(dead_code, unreachable_pub)] // each test crate uses a different part

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use timebridge_core::engine::{Engine, InstanceConn, Mode, RunReport};
use timebridge_core::sync::entries::{InstanceKey, Marker};
use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
use timebridge_core::sync::plan::SourceKey;
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::{Actor, RunTrigger, Store};
use timebridge_http::{BaseUrl, HttpConfig, RetryPolicy, Secret};
use timebridge_kimai::KimaiClient;
use timebridge_simulators::kimai::{
    KimaiSeed, KimaiSim, Role, SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTimesheet,
};
use timebridge_simulators::zammad::{
    SeedGroup, SeedOrganization, SeedSettings, SeedTicket, SeedTimeAccounting, SeedType,
    SeedUser as ZammadUser, ZammadSeed, ZammadSim,
};
use timebridge_simulators::{Clock, RunningServer};
use timebridge_zammad::ZammadClient;

pub mod demo;

pub const KIMAI_TOKEN: &str = "scenario-kimai-token";
pub const ZAMMAD_TOKEN: &str = "scenario-zammad-token";
/// Zammad organizations: 1 is mapped to Kimai project 1, 2 is not mapped at first.
pub const MAPPED_ORG: i64 = 1;
pub const UNMAPPED_ORG: i64 = 2;
/// Tickets 1, 2 and 4 belong to the mapped organization, ticket 3 to the unmapped one.
pub const UNMAPPED_TICKET: i64 = 3;

pub fn http() -> HttpConfig {
    HttpConfig {
        timeout: std::time::Duration::from_secs(5),
        retry: RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

/// A wall-clock time in `tz` (`"2026-11-10 09:00"`), earliest instant if repeated.
pub fn local(tz: Tz, wall: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(wall, "%Y-%m-%d %H:%M").unwrap();
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// A wall time in Europe/Berlin.
pub fn berlin(wall: &str) -> DateTime<Utc> {
    local(chrono_tz::Europe::Berlin, wall)
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn wall(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn kimai_seed(tz: Tz) -> KimaiSeed {
    let activity = |id, name: &str| SeedActivity {
        id,
        name: name.into(),
        project: None,
        visible: true,
    };
    let project = |id, name: &str| SeedProject {
        id,
        name: name.into(),
        customer: 1,
        start: None,
        end: None,
        global_activities: true,
        visible: true,
        hourly_rate: None,
    };
    KimaiSeed {
        users: vec![SeedUser {
            id: 2,
            username: "consultant".into(),
            token: KIMAI_TOKEN.into(),
            role: Role::User,
            timezone: tz.name().into(),
        }],
        customers: vec![
            SeedCustomer {
                id: 1,
                name: "Acme GmbH".into(),
                visible: true,
            },
            // A second customer, booked only by hand (billing scopes by customer).
            SeedCustomer {
                id: 2,
                name: "Globex AG".into(),
                visible: true,
            },
        ],
        projects: vec![
            project(1, "Acme Support"),
            project(2, "Acme Logistics"),
            SeedProject {
                customer: 2,
                ..project(3, "Globex Helpdesk")
            },
        ],
        activities: vec![activity(1, "Support"), activity(2, "Consulting")],
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
        lastname: "Test".into(),
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

/// An entry for the seed: `(id, ticket, minutes, type, created_at)`.
pub type SeedEntry = (i64, i64, i64, Option<i64>, DateTime<Utc>);

fn zammad_seed(tickets_created: DateTime<Utc>, entries: &[SeedEntry]) -> ZammadSeed {
    let ticket = |id: i64, org: i64, title: &str| SeedTicket {
        id,
        number: Some(format!("{}", 31000 + id)),
        title: title.into(),
        group_id: 1,
        organization_id: Some(org),
        customer_id: None,
        owner_id: None,
        created_at: tickets_created,
        updated_at: None,
    };
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
            zammad_user(2, "consultant", Some(ZAMMAD_TOKEN), false),
        ],
        groups: vec![SeedGroup {
            id: 1,
            name: "Support".into(),
        }],
        organizations: vec![
            SeedOrganization {
                id: MAPPED_ORG,
                name: "Acme GmbH".into(),
            },
            SeedOrganization {
                id: UNMAPPED_ORG,
                name: "Acme Logistics".into(),
            },
        ],
        tickets: vec![
            ticket(1, MAPPED_ORG, "Printer offline"),
            ticket(2, MAPPED_ORG, "VPN drops"),
            ticket(UNMAPPED_TICKET, UNMAPPED_ORG, "Forklift scanner"),
            ticket(4, MAPPED_ORG, "Mailbox full"),
        ],
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
            .map(
                |&(id, ticket_id, minutes, type_id, created_at)| SeedTimeAccounting {
                    id,
                    ticket_id,
                    time_unit: Decimal::from(minutes),
                    type_id,
                    created_by_id: 2,
                    created_at,
                },
            )
            .collect(),
    }
}

/// Minutes; organization 1 → project 1; type 1 → activity 1, type 2 → activity 2.
pub fn default_settings() -> InstanceSettings {
    let mut settings = InstanceSettings::new(TimeUnit::Minutes);
    settings.rules = vec![MappingRule {
        scope: Scope::Organization(MAPPED_ORG),
        customer: 1,
        project: 1,
        activity: None,
    }];
    settings.activity_by_type = BTreeMap::from([(1, 1), (2, 2)]);
    settings.tags = vec!["zammad".into()];
    settings
}

pub struct World {
    _dir: tempfile::TempDir,
    pub store: Store,
    pub clock: Clock,
    pub kimai_sim: KimaiSim,
    pub zammad_sim: ZammadSim,
    pub kimai_server: Option<RunningServer>,
    pub zammad_server: Option<RunningServer>,
    pub kimai: KimaiClient,
    pub zammad_url: String,
    pub instances: Vec<InstanceConn>,
    pub tz: Tz,
    pub now: DateTime<Utc>,
}

/// A world whose Kimai user lives in `tz` (the billing timezone), standing at `now`, with
/// `entries` already booked by the consultant.
pub async fn world_in(tz: Tz, now: DateTime<Utc>, entries: &[SeedEntry]) -> World {
    let clock = Clock::manual(now);
    let kimai_sim = KimaiSim::from_seed(kimai_seed(tz), clock.clone());
    let first = entries.iter().map(|e| e.4).min().unwrap_or(now);
    let tickets_created = first.min(now) - chrono::Duration::days(200);
    let zammad_sim = ZammadSim::from_seed(zammad_seed(tickets_created, entries), clock.clone());
    let ks = kimai_sim.start().await.unwrap();
    let zs = zammad_sim.start().await.unwrap();
    let kimai = KimaiClient::new(
        BaseUrl::parse(&ks.url(), false).unwrap(),
        Secret::new(KIMAI_TOKEN),
        http(),
    )
    .unwrap();
    let zammad_url = zs.url();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("timebridge.db")).unwrap();
    let mut w = World {
        _dir: dir,
        store,
        clock,
        kimai_sim,
        zammad_sim,
        kimai_server: Some(ks),
        zammad_server: Some(zs),
        kimai,
        zammad_url,
        instances: Vec::new(),
        tz,
        now,
    };
    w.instances = vec![w.instance_conn(default_settings())];
    w
}

/// Europe/Berlin, 2026-11-20 16:00 UTC.
pub async fn world(entries: &[SeedEntry]) -> World {
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap();
    world_in(chrono_tz::Europe::Berlin, now, entries).await
}

pub fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

impl World {
    pub fn instance_conn(&self, settings: InstanceSettings) -> InstanceConn {
        InstanceConn {
            key: InstanceKey::new("acme").unwrap(),
            client: ZammadClient::new(
                BaseUrl::parse(&self.zammad_url, false).unwrap(),
                Secret::new(ZAMMAD_TOKEN),
                http(),
            )
            .unwrap(),
            settings,
        }
    }

    pub fn engine(&self) -> Engine<'_> {
        Engine {
            store: &self.store,
            kimai: &self.kimai,
            instances: &self.instances,
            tz: self.tz,
            actor: Actor::Cli,
        }
    }

    pub async fn sync(&self) -> RunReport {
        self.engine()
            .run(self.now, Mode::Apply, RunTrigger::Cli)
            .await
            .unwrap()
    }

    pub async fn preview(&self) -> RunReport {
        self.engine()
            .run(self.now, Mode::Preview, RunTrigger::Cli)
            .await
            .unwrap()
    }

    /// Books `minutes` as the consultant at exactly `at` (the simulator clock is moved there and
    /// back to `now`). Returns the entry id.
    pub fn book(&self, ticket: i64, minutes: i64, type_id: Option<i64>, at: DateTime<Utc>) -> i64 {
        self.clock.set(at);
        let id = self.zammad_sim.add_time_accounting_as(
            "consultant",
            ticket,
            Decimal::from(minutes),
            type_id,
        );
        self.clock.set(self.now);
        id
    }

    /// Changes an entry's amount as a Zammad admin would.
    pub fn change_minutes(&self, id: i64, minutes: i64) {
        assert!(self.zammad_sim.update_time_accounting_as_admin(
            id,
            Some(Decimal::from(minutes)),
            None
        ));
    }

    /// Kimai's timesheets carrying a marker, by entry id; panics on a duplicate marker.
    pub fn marked(&self) -> BTreeMap<i64, SimTimesheet> {
        let mut out = BTreeMap::new();
        for ts in self.kimai_sim.timesheets() {
            if let Ok(Some(m)) = Marker::find(ts.description.as_deref().unwrap_or_default()) {
                assert_eq!(m.instance.as_str(), "acme");
                let id = m.time_accounting_id;
                assert!(out.insert(id, ts).is_none(), "duplicate timesheet for {id}");
            }
        }
        out
    }

    /// The timesheet of entry `id`; panics when there is none.
    pub fn timesheet_of(&self, id: i64) -> SimTimesheet {
        self.marked()
            .remove(&id)
            .unwrap_or_else(|| panic!("no timesheet for entry {id}"))
    }

    /// A timesheet's begin and end as wall-clock times in the billing timezone.
    pub fn wall_span(&self, ts: &SimTimesheet) -> (NaiveDateTime, NaiveDateTime) {
        (
            ts.begin.with_timezone(&self.tz).naive_local(),
            ts.end.unwrap().with_timezone(&self.tz).naive_local(),
        )
    }

    /// Requests to Kimai whose `METHOD /route` starts with `prefix`.
    pub fn kimai_requests(&self, prefix: &str) -> u64 {
        self.kimai_sim
            .knobs()
            .counts()
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// Timesheet writes that reached Kimai (creates, updates, deletes).
    pub fn kimai_writes(&self) -> u64 {
        self.kimai_requests("POST /api/timesheets")
            + self.kimai_requests("PATCH")
            + self.kimai_requests("DELETE")
    }

    pub fn link_month(&self, id: i64) -> Option<String> {
        self.store
            .link_month(&key(id))
            .unwrap()
            .map(|m| m.to_string())
    }
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A manual (always full) run at `at` that must end ok.
pub async fn manual_at(w: &World, at: DateTime<Utc>) -> RunReport {
    w.clock.set(at);
    let r = w
        .engine()
        .run(at, Mode::Apply, RunTrigger::Cli)
        .await
        .unwrap();
    assert_eq!(r.outcome, timebridge_core::RunOutcome::Ok, "{:?}", r.error);
    r
}

/// A scheduled (incremental when allowed) run at `at` that must end ok.
pub async fn scheduled(w: &World, at: DateTime<Utc>) -> RunReport {
    w.clock.set(at);
    let r = w
        .engine()
        .run(at, Mode::Apply, RunTrigger::Schedule)
        .await
        .unwrap();
    assert_eq!(r.outcome, timebridge_core::RunOutcome::Ok, "{:?}", r.error);
    r
}

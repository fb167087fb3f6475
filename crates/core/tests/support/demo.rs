//! The demo data set as an engine test world: the simulators' demo seeds on a manual clock,
//! a real SQLite file, and the acme instance mapped as the README describes.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use timebridge_core::engine::{Engine, InstanceConn, Mode};
use timebridge_core::sync::entries::{InstanceKey, Marker};
use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::{Actor, RunTrigger, Store};
use timebridge_http::{BaseUrl, Secret};
use timebridge_kimai::KimaiClient;
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSim};
use timebridge_simulators::{Clock, RunningServer};
use timebridge_zammad::ZammadClient;

use super::http;

pub struct DemoWorld {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub kimai_sim: KimaiSim,
    pub zammad_sim: ZammadSim,
    pub _servers: (RunningServer, RunningServer),
    pub kimai: KimaiClient,
    pub instances: Vec<InstanceConn>,
    pub now: DateTime<Utc>,
}

/// The demo data (Kimai user `consultant` in Europe/Berlin, Zammad `acme`) on a manual clock at
/// 2026-11-20 16:00 UTC; Acme GmbH mapped to Acme Support, Acme Logistics left unmapped.
pub async fn demo_world() -> DemoWorld {
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap();
    let clock = Clock::manual(now);
    let kimai_sim = KimaiSim::from_seed(demo_seed(now), clock.clone());
    let (_, acme) = demo_seeds(now)
        .into_iter()
        .find(|(n, _)| n == "acme")
        .unwrap();
    let zammad_sim = ZammadSim::from_seed(acme, clock);
    let (ks, zs) = (
        kimai_sim.start().await.unwrap(),
        zammad_sim.start().await.unwrap(),
    );
    let kimai = KimaiClient::new(
        BaseUrl::parse(&ks.url(), false).unwrap(),
        Secret::new("demo-kimai-token"),
        http(),
    )
    .unwrap();
    let zammad = ZammadClient::new(
        BaseUrl::parse(&zs.url(), false).unwrap(),
        Secret::new("demo-zammad-acme-token"),
        http(),
    )
    .unwrap();
    let mut settings = InstanceSettings::new(TimeUnit::Minutes);
    // Acme GmbH (organization 1) → Acme Support (project 1); Acme Logistics stays unmapped.
    settings.rules = vec![MappingRule {
        scope: Scope::Organization(1),
        customer: 1,
        project: 1,
        activity: None,
    }];
    settings.activity_by_type = BTreeMap::from([(1, 1), (2, 1), (3, 2)]);
    settings.tags = vec!["zammad".into()];
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("timebridge.db")).unwrap();
    let instances = vec![InstanceConn {
        key: InstanceKey::new("acme").unwrap(),
        client: zammad,
        settings,
    }];
    DemoWorld {
        _dir: dir,
        store,
        kimai_sim,
        zammad_sim,
        _servers: (ks, zs),
        kimai,
        instances,
        now,
    }
}

impl DemoWorld {
    pub fn engine(&self) -> Engine<'_> {
        Engine {
            store: &self.store,
            kimai: &self.kimai,
            instances: &self.instances,
            tz: chrono_tz::Europe::Berlin,
            actor: Actor::Cli,
        }
    }

    pub async fn sync(&self) -> timebridge_core::engine::RunReport {
        self.engine()
            .run(self.now, Mode::Apply, RunTrigger::Cli)
            .await
            .unwrap()
    }

    /// Marked timesheets in Kimai by marker; panics on a duplicate marker.
    pub fn marked(&self) -> BTreeMap<(String, i64), u64> {
        let mut out = BTreeMap::new();
        for ts in self.kimai_sim.timesheets() {
            if let Ok(Some(m)) = Marker::find(ts.description.as_deref().unwrap_or_default()) {
                let key = (m.instance.as_str().to_string(), m.time_accounting_id);
                assert!(
                    out.insert(key.clone(), ts.id).is_none(),
                    "duplicate timesheet for {key:?}"
                );
            }
        }
        out
    }

    pub fn kimai_writes(&self) -> u64 {
        self.kimai_sim
            .knobs()
            .counts()
            .iter()
            .filter(|(k, _)| {
                k.starts_with("POST /api/timesheets")
                    || k.starts_with("PATCH")
                    || k.starts_with("DELETE")
            })
            .map(|(_, n)| n)
            .sum()
    }
}

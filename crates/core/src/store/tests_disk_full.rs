//! A disk that fills up in the middle of a sync. SQLite's `max_page_count` on the store's own
//! connection makes the file unable to grow past a limit — the same `SQLITE_FULL` a full
//! disk gives, without root or a tiny file system. The sweep moves the limit page by page
//! from "nothing fits" to "everything fits", so the failure strikes at every write the run
//! makes: before the run is recorded, between a remote write and its local commit, in the
//! audit trail, at the end. Each time: the error says the disk is full, the file passes its
//! integrity check, and a later run with space completes without a duplicate or a loss and
//! leaves nothing open, after which a sync writes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use timebridge_http::{BaseUrl, HttpConfig, RetryPolicy, Secret};
use timebridge_kimai::KimaiClient;
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSim};
use timebridge_simulators::{Clock, RunningServer};
use timebridge_zammad::ZammadClient;

use super::Store;
use crate::engine::{EngineError, InstanceConn, Mode};
use crate::sync::entries::{InstanceKey, Marker};
use crate::sync::mapping::{InstanceSettings, MappingRule, Scope};
use crate::sync::time::TimeUnit;
use crate::{Actor, RunTrigger};

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    kimai_sim: KimaiSim,
    _servers: (RunningServer, RunningServer),
    kimai: KimaiClient,
    instances: Vec<InstanceConn>,
    now: DateTime<Utc>,
}

fn http() -> HttpConfig {
    HttpConfig {
        timeout: std::time::Duration::from_secs(5),
        retry: RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

/// The demo data, Acme GmbH mapped, on a manual clock (as `tests/support/demo.rs`).
async fn world() -> World {
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap();
    let clock = Clock::manual(now);
    let kimai_sim = KimaiSim::from_seed(demo_seed(now), clock.clone());
    let (_, acme) = demo_seeds(now)
        .into_iter()
        .find(|(n, _)| n == "acme")
        .unwrap();
    let zammad_sim = ZammadSim::from_seed(acme, clock.clone());
    // Enough entries that links, outbox and audit rows need pages of their own: the demo's
    // few fit in the pages a fresh schema already has.
    let mapped: Vec<i64> = zammad_sim
        .tickets()
        .iter()
        .filter(|t| t.organization_id == Some(1))
        .map(|t| t.id)
        .collect();
    for k in 0..60 {
        clock.set(now - chrono::Duration::minutes(10 * (k + 1)));
        zammad_sim.add_time_accounting_as(
            "consultant",
            mapped[k as usize % mapped.len()],
            5.into(),
            Some(1),
        );
    }
    clock.set(now);
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
    World {
        _dir: dir,
        store,
        kimai_sim,
        _servers: (ks, zs),
        kimai,
        instances,
        now,
    }
}

impl World {
    async fn sync(&self) -> Result<crate::engine::RunReport, EngineError> {
        let engine = crate::engine::Engine {
            store: &self.store,
            kimai: &self.kimai,
            instances: &self.instances,
            tz: chrono_tz::Europe::Berlin,
            actor: Actor::Cli,
        };
        engine.run(self.now, Mode::Apply, RunTrigger::Cli).await
    }

    /// Timesheets per marker; a duplicate fails the test.
    fn marked(&self) -> BTreeMap<i64, u64> {
        let mut out = BTreeMap::new();
        for ts in self.kimai_sim.timesheets() {
            if let Ok(Some(m)) = Marker::find(ts.description.as_deref().unwrap_or_default()) {
                assert!(
                    out.insert(m.time_accounting_id, ts.id).is_none(),
                    "duplicate timesheet for entry {}",
                    m.time_accounting_id
                );
            }
        }
        out
    }

    fn writes(&self) -> u64 {
        let counts = self.kimai_sim.knobs().counts();
        counts
            .iter()
            .filter(|(k, _)| {
                k.starts_with("POST") || k.starts_with("PATCH") || k.starts_with("DELETE")
            })
            .map(|(_, n)| n)
            .sum()
    }

    fn pragma(&self, sql: &str) -> i64 {
        self.store
            .conn
            .lock()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }

    fn integrity(&self) -> String {
        self.store
            .conn
            .lock()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap()
    }
}

#[tokio::test]
async fn a_disk_filling_up_at_any_point_of_a_sync_loses_and_duplicates_nothing() {
    // What a sync with space does, as the reference.
    let clean = world().await;
    clean.sync().await.unwrap();
    let want = clean.marked();
    assert!(
        want.len() >= 40,
        "the demo and the extra entries are booked: {want:?}"
    );
    let needed = clean.pragma("PRAGMA page_count");

    let (mut failures, mut mid_run) = (0, 0);
    for margin in 0.. {
        let w = world().await;
        let base = w.pragma("PRAGMA page_count");
        assert!(
            base + margin <= needed + 2,
            "the sweep passed the size a full sync needs without succeeding"
        );
        w.pragma(&format!("PRAGMA max_page_count = {}", base + margin));
        let first = w.sync().await;
        let Err(err) = first else {
            break; // enough space: every smaller limit has been tried
        };
        failures += 1;
        // Failed after Kimai had written: the local commits of those writes are what got lost.
        mid_run += usize::from(w.writes() > 0);
        let text = err.to_string();
        assert!(
            text.contains("disk holding the database is full") && text.contains("Nothing was lost"),
            "margin {margin}: {text}"
        );
        assert_eq!(w.integrity(), "ok", "margin {margin}");
        // Every link names a timesheet that exists: a link is only written with the answer.
        for id in w
            .store
            .conn
            .lock()
            .prepare("SELECT timesheet_id FROM links WHERE timesheet_id IS NOT NULL")
            .unwrap()
            .query_map([], |r| r.get::<_, i64>(0))
            .unwrap()
            .map(Result::unwrap)
        {
            assert!(
                w.kimai_sim.timesheet(id as u64).is_some(),
                "margin {margin}: link to missing timesheet {id}"
            );
        }
        // Space again: the next run finishes the job, adopting what reached Kimai.
        w.pragma("PRAGMA max_page_count = 1073741823");
        let report = w
            .sync()
            .await
            .unwrap_or_else(|e| panic!("margin {margin}: {e}"));
        assert_eq!(
            report.outcome,
            crate::RunOutcome::Ok,
            "margin {margin}: {report:?}"
        );
        assert_eq!(
            w.marked().keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "margin {margin}: every entry exactly once"
        );
        assert!(
            w.store.pending_outbox().unwrap().is_empty(),
            "margin {margin}: nothing left open"
        );
        let writes = w.writes();
        w.sync().await.unwrap();
        assert_eq!(
            w.writes(),
            writes,
            "margin {margin}: a further sync writes nothing"
        );
        assert_eq!(w.integrity(), "ok");
    }
    assert!(
        mid_run >= 3,
        "the limit struck after remote writes, too: {mid_run} of {failures}"
    );
    assert!(
        failures >= 5,
        "the limit struck at several points of the run, not just one: {failures}"
    );
}

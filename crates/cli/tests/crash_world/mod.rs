//! The crash test's world: a Kimai (demo) and a small Zammad of its own, a configured and mapped
//! data directory, and the steps of a case — book entries, run `sync` killed at a held write,
//! re-run, check the two sides are in step.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;

use super::support::{configured, kill_when_held_n, run, BOTH, ZAMMAD_TOKEN};
use chrono::Utc;
use serde_json::{json, Value};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{MappingRule, Scope};
use timebridge_core::{DataDir, Store};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{ZammadSeed, ZammadSim};
use timebridge_simulators::{Clock, RunningServer, Stall, StallPoint};

/// The consultant, the token's user (user 3 is a colleague whose entries are never synced).
pub const OWN: i64 = 2;
const WRITES: [&str; 3] = ["POST", "PATCH", "DELETE"];

/// One world: both simulators and a configured, mapped data directory.
pub struct World {
    kimai: KimaiSim,
    pub zammad: ZammadSim,
    _servers: (RunningServer, RunningServer),
    tmp: tempfile::TempDir,
}

/// Three tickets of Acme GmbH in a group the consultant has full access to; no entries yet.
fn zammad_seed() -> ZammadSeed {
    // Relative to the system clock the binary syncs by: tickets five days old, entries four
    // days old (inside the horizon of this and last month on any date).
    let created = Utc::now() - chrono::Duration::days(5);
    let ticket = |id: i64| {
        json!({"id": id, "number": format!("{}", 31000 + id),
        "title": format!("Crash ticket {id}"), "group_id": 1, "organization_id": 1,
        "owner_id": OWN, "created_at": created})
    };
    let user = |id: i64, login: &str, token: Value| {
        json!({"id": id, "login": login,
        "firstname": login, "lastname": "Test", "email": format!("{login}@example.com"),
        "permissions": ["ticket.agent"], "token": token, "group_access": {"1": ["full"]},
        "role_ids": [2]})
    };
    serde_json::from_value(json!({
        "settings": {"time_accounting": true, "unit": "minute", "types": true},
        "users": [user(1, "admin", Value::Null), user(OWN, "consultant", json!(ZAMMAD_TOKEN)),
                  user(3, "colleague", Value::Null)],
        "groups": [{"id": 1, "name": "Support"}],
        "organizations": [{"id": 1, "name": "Acme GmbH"}],
        "types": [{"id": 1, "name": "Remote"}, {"id": 2, "name": "Phone"}],
        "tickets": [ticket(1), ticket(2), ticket(3)],
    }))
    .unwrap()
}

pub async fn world() -> World {
    let kimai = KimaiSim::from_seed(demo_seed(Utc::now()), Clock::system());
    // Entries are booked on a clock of their own, an hour apart, inside the sync horizon.
    let zclock = Clock::manual(Utc::now() - chrono::Duration::days(4));
    let zammad = ZammadSim::from_seed(zammad_seed(), zclock);
    let (ks, zs) = (kimai.start().await.unwrap(), zammad.start().await.unwrap());
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &ks.url(), &zs.url()).await;
    // Mapping has no command: Acme GmbH → project 1, both types → activity 1, and a tag Kimai
    // does not know yet, so the first sync also writes a tag.
    let store = Store::open(&DataDir::at(tmp.path()).database_file()).unwrap();
    let mut instance = store
        .instance(&InstanceKey::new("acme").unwrap())
        .unwrap()
        .expect("acme was added");
    instance.settings.rules = vec![MappingRule {
        scope: Scope::Organization(1),
        customer: 1,
        project: 1,
        activity: None,
    }];
    instance.settings.activity_by_type = [(1, 1), (2, 1)].into();
    instance.settings.tags = vec!["crash-test".to_string()];
    store.save_instance(&instance).unwrap();
    World {
        kimai,
        zammad,
        _servers: (ks, zs),
        tmp,
    }
}

impl World {
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// Books `minutes` for each of the consultant's new entries (tickets in turn) and one
    /// colleague entry; returns the consultant's entry ids.
    pub fn book(&self, minutes: &[u32]) -> Vec<i64> {
        let mut ids = Vec::new();
        for (i, m) in minutes.iter().enumerate() {
            self.zammad.clock().advance(chrono::Duration::hours(1));
            let ticket = 1 + (i as i64 % 3);
            let unit = m.to_string().parse().unwrap();
            ids.push(
                self.zammad
                    .add_time_accounting_as("consultant", ticket, unit, Some(1)),
            );
        }
        self.zammad.clock().advance(chrono::Duration::hours(1));
        self.zammad
            .add_time_accounting_as("colleague", 1, "50".parse().unwrap(), Some(2));
        ids
    }

    /// Kimai write requests received so far (tags and timesheets).
    pub fn kimai_writes(&self) -> u64 {
        let counts = self.kimai.knobs().counts();
        let is_write = |k: &str| WRITES.iter().any(|m| k.starts_with(&format!("{m} /api/")));
        counts
            .iter()
            .filter(|(k, _)| is_write(k))
            .map(|(_, n)| n)
            .sum()
    }

    /// Timesheet durations in minutes by the entry id in their `acme` marker.
    pub fn marked(&self) -> Vec<(i64, i64)> {
        let mut found = Vec::new();
        for ts in self.kimai.timesheets() {
            let text = ts.description.unwrap_or_default();
            for part in text.split("[tb:acme:").skip(1) {
                let id = part.split(']').next().unwrap().parse().unwrap();
                let minutes = ts.end.map(|e| (e - ts.begin).num_minutes()).unwrap_or(-1);
                found.push((id, minutes));
            }
        }
        found.sort_unstable();
        found
    }

    /// Every own entry has exactly one marked timesheet with its duration; nothing else is marked.
    pub fn assert_in_step(&self, case: &str) {
        let mut want: Vec<(i64, i64)> = self
            .zammad
            .time_accountings()
            .into_iter()
            .filter(|e| e.created_by_id == OWN)
            .map(|e| (e.id, e.time_unit.to_string().parse::<f64>().unwrap() as i64))
            .collect();
        want.sort_unstable();
        assert_eq!(
            self.marked(),
            want,
            "{case}: (entry, minutes) in Kimai vs Zammad"
        );
        let tags = self.kimai.tag_names();
        let n = tags.iter().filter(|t| *t == "crash-test").count();
        assert_eq!(n, 1, "{case}: the tag exists once: {tags:?}");
    }

    /// `sync --json` that must end ok; its document and the Kimai writes it made.
    pub async fn sync_ok(&self, case: &str) -> (Value, u64) {
        let before = self.kimai_writes();
        let out = run(self.dir(), &["sync", "--yes", "--json"], &BOTH, None).await;
        assert_eq!(out.code, 0, "{case}: {}", out.all());
        let doc = out.json();
        assert_eq!(doc["outcome"], "ok", "{case}: {doc}");
        (doc, self.kimai_writes() - before)
    }

    /// Starts `sync`, holds its `k`-th Kimai write at `point`, kills it with SIGKILL once the
    /// write is held, then lets the held request go.
    pub async fn killed_sync(&self, k: u32, point: StallPoint, case: &str) {
        self.killed_sync_holding(k, &[point], case).await;
    }

    /// Starts `sync` and holds its Kimai writes from the `first`-th on (in the order they
    /// arrive), one at each of `points`: several writes in flight at once (the engine keeps
    /// up to 4 going). Kills it with SIGKILL once all are held, then lets them go. No other
    /// write was sent: the run was stuck on the held ones.
    pub async fn killed_sync_holding(&self, first: u32, points: &[StallPoint], case: &str) {
        let knobs = self.kimai.knobs();
        let (reached, writes) = (knobs.stalls_reached(), self.kimai_writes());
        for (i, point) in points.iter().enumerate() {
            knobs.add_stall(
                Stall::new(*point)
                    .on_path("/api/")
                    .on_methods(&WRITES)
                    .after_skipping(first - 1 + i as u32),
            );
        }
        let n = points.len() as u64;
        kill_when_held_n(
            self.dir(),
            &["sync", "--yes", "--json"],
            &knobs,
            reached,
            n,
            case,
        )
        .await;
        let sent = self.kimai_writes() - writes;
        let want = u64::from(first - 1) + n;
        assert_eq!(sent, want, "{case}: writes sent before the kill");
    }

    /// Re-runs to completion (with exactly `rerun_writes` Kimai writes), checks the result, and
    /// one more sync writes nothing.
    pub async fn finish(&self, rerun_writes: u64, case: &str) -> Value {
        let (doc, writes) = self.sync_ok(&format!("{case}, re-run")).await;
        assert_eq!(writes, rerun_writes, "{case}: re-run writes: {doc}");
        self.assert_in_step(case);
        let (again, writes) = self.sync_ok(&format!("{case}, further sync")).await;
        assert_eq!(writes, 0, "{case}: a further sync writes nothing: {again}");
        for c in ["created", "updated", "deleted", "failed", "conflicts"] {
            assert_eq!(again["counts"][c], 0, "{case}: {c}: {again}");
        }
        self.assert_in_step(case);
        doc
    }

    /// In Zammad: the first and third entry edited (20 and 90 minutes), the second and fourth
    /// deleted.
    pub fn edit_and_delete(&self, ids: &[i64]) {
        let z = &self.zammad;
        assert!(z.update_time_accounting_as_admin(ids[0], Some("20".parse().unwrap()), None));
        assert!(z.delete_time_accounting_as_admin(ids[1]));
        assert!(z.update_time_accounting_as_admin(ids[2], Some("90".parse().unwrap()), None));
        assert!(z.delete_time_accounting_as_admin(ids[3]));
    }
}

//! The billing tests' world: the demo Kimai with timesheets of our own around the previous
//! month (the binary bills as of now, in Europe/Berlin), a Zammad without entries (so a sync
//! writes nothing), a configured data directory, and the steps of a case: run `bill …`,
//! kill it at a held Kimai write, count the writes, read what Kimai holds.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;

use super::support::{configured, kill_when_held_n, run, Run, BOTH, KIMAI_TOKEN, ZAMMAD_TOKEN};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim, Role, SeedUser, SimTimesheet};
use timebridge_simulators::zammad::{ZammadSeed, ZammadSim};
use timebridge_simulators::{Clock, RunningServer, Stall, StallPoint};

pub const TZ: chrono_tz::Tz = chrono_tz::Europe::Berlin;
const WRITES: [&str; 3] = ["POST", "PATCH", "DELETE"];

/// The previous month in Berlin (what `bill` bills by default) as `YYYY-MM`, and its first day.
pub fn previous_month() -> (String, NaiveDate) {
    // The binary bills as of the system clock; its default month is computed here the same
    // way (Berlin), so this holds on any date.
    let today = Utc::now().with_timezone(&TZ).date_naive();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let prev = (first - chrono::Duration::days(1)).with_day(1).unwrap();
    (prev.format("%Y-%m").to_string(), prev)
}

/// The timesheets of the world, by role in the test.
#[derive(Clone, Copy, Debug)]
pub struct Ids {
    /// Acme (customer 1), previous month: plain, with the `zammad` tag, on the last evening.
    pub acme: [u64; 3],
    /// Globex (customer 2), previous month.
    pub globex: u64,
    /// Acme, this month.
    pub this_month: u64,
    /// Acme, the month before the previous one.
    pub earlier: u64,
}

pub struct World {
    pub kimai: KimaiSim,
    pub kimai_server: Option<RunningServer>,
    pub zammad_server: Option<RunningServer>,
    tmp: tempfile::TempDir,
    pub ids: Ids,
}

fn zammad_seed() -> ZammadSeed {
    serde_json::from_value(json!({
        "settings": {"time_accounting": true, "unit": "minute", "types": true},
        "users": [{"id": 2, "login": "consultant", "firstname": "c", "lastname": "Test",
                   "email": "c@example.com", "permissions": ["ticket.agent"],
                   "token": ZAMMAD_TOKEN, "group_access": {"1": ["full"]}, "role_ids": [2]}],
        "groups": [{"id": 1, "name": "Support"}],
        "organizations": [{"id": 1, "name": "Acme GmbH"}],
        "tickets": [],
    }))
    .unwrap()
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    TZ.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn sheet(id: u64, project: u64, begin: DateTime<Utc>, tags: &[&str]) -> SimTimesheet {
    SimTimesheet {
        id,
        user: 2,
        project,
        activity: 1,
        begin,
        end: Some(begin + chrono::Duration::minutes(45)),
        timezone: TZ.name().into(),
        description: Some(format!("work {id}")),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: Some(begin),
    }
}

/// A fresh world; the consultant has `role` in Kimai.
pub async fn world(role: Role) -> World {
    // The CLI binary syncs as of the system clock, so the data is laid out around the same now:
    // what is asserted holds on any date (scripts/date-proof.sh runs this at hard dates).
    let now = Utc::now();
    let mut seed = demo_seed(now);
    for u in &mut seed.users {
        if u.token == KIMAI_TOKEN {
            u.role = role;
        }
    }
    let (_, prev) = previous_month();
    let last = {
        let next = (prev + chrono::Duration::days(32)).with_day(1).unwrap();
        next - chrono::Duration::days(1)
    };
    let earlier = (prev - chrono::Duration::days(1)).with_day(1).unwrap();
    let this_month = (last + chrono::Duration::days(1)).max(now.with_timezone(&TZ).date_naive());
    seed.timesheets = vec![
        sheet(1, 1, at(prev + chrono::Duration::days(9), 9), &[]),
        sheet(2, 1, at(prev + chrono::Duration::days(19), 9), &["zammad"]),
        sheet(3, 1, at(last, 23), &[]),
        sheet(4, 3, at(prev + chrono::Duration::days(14), 9), &[]),
        sheet(5, 1, at(this_month, 0), &[]),
        sheet(6, 1, at(earlier + chrono::Duration::days(3), 9), &[]),
    ];
    let kimai = KimaiSim::from_seed(seed, Clock::system());
    let zammad = ZammadSim::from_seed(zammad_seed(), Clock::system());
    let (ks, zs) = (kimai.start().await.unwrap(), zammad.start().await.unwrap());
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &ks.url(), &zs.url()).await;
    // Billing is about what the syncs booked: the helpdesk's first sync may go ahead.
    let went = run(
        tmp.path(),
        &["connections", "go-ahead", "acme"],
        &BOTH,
        None,
    )
    .await;
    assert_eq!(went.code, 0, "{}", went.all());
    World {
        kimai,
        kimai_server: Some(ks),
        zammad_server: Some(zs),
        tmp,
        ids: Ids {
            acme: [1, 2, 3],
            globex: 4,
            this_month: 5,
            earlier: 6,
        },
    }
}

impl World {
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// Gives the consultant another Kimai role.
    pub fn promote(&self, role: Role) {
        self.kimai.add_user(SeedUser {
            id: 2,
            username: "consultant".into(),
            token: KIMAI_TOKEN.into(),
            role,
            timezone: TZ.name().into(),
        });
    }

    /// Kimai write requests received so far (tags and timesheets).
    pub fn writes(&self) -> u64 {
        self.requests(&WRITES)
    }

    /// Requests received whose `METHOD /route` starts with one of `prefixes`.
    pub fn requests(&self, prefixes: &[&str]) -> u64 {
        let counts = self.kimai.knobs().counts();
        counts
            .iter()
            .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p)))
            .map(|(_, n)| n)
            .sum()
    }

    /// Export toggles received so far.
    pub fn export_requests(&self) -> u64 {
        self.requests(&["PATCH /api/timesheets/{id}/export"])
    }

    pub fn sheet(&self, id: u64) -> SimTimesheet {
        self.kimai.timesheet(id).unwrap()
    }

    /// `timebridge <args>` with both tokens.
    pub async fn cli(&self, args: &[&str]) -> Run {
        run(self.dir(), args, &BOTH, None).await
    }

    /// `timebridge <args> --json`, which must exit 0; its document and the Kimai writes made.
    pub async fn ok(&self, args: &[&str], case: &str) -> (Value, u64) {
        let before = self.writes();
        let mut args = args.to_vec();
        args.push("--json");
        let out = self.cli(&args).await;
        assert_eq!(out.code, 0, "{case}: {args:?}: {}", out.all());
        (out.json(), self.writes() - before)
    }

    /// Starts `timebridge <args>`, holds its `k`-th Kimai write at `point`, kills it with
    /// SIGKILL once the write is held, then lets the held request go.
    pub async fn killed(&self, args: &[&str], k: u32, point: StallPoint, case: &str) {
        self.killed_holding(args, &[k], point, case).await;
    }

    /// Runs `args` until the Kimai writes numbered `ks` (1-based, in the order Kimai receives
    /// them) are all held at `point`, then kills it: several writes in flight at the kill.
    /// Records carried out alongside may have sent further writes by then.
    pub async fn killed_holding(&self, args: &[&str], ks: &[u32], point: StallPoint, case: &str) {
        let knobs = self.kimai.knobs();
        let (reached, writes) = (knobs.stalls_reached(), self.writes());
        for k in ks {
            knobs.add_stall(
                Stall::new(point)
                    .on_path("/api/")
                    .on_methods(&WRITES)
                    .after_skipping(k - 1),
            );
        }
        kill_when_held_n(self.dir(), args, &knobs, reached, ks.len() as u64, case).await;
        let last = ks.iter().max().copied().unwrap_or(0);
        assert!(
            self.writes() - writes >= u64::from(last),
            "{case}: writes sent before the kill"
        );
    }
}

//! Shared fixture for the Kimai simulator tests: a small seed, a running server and raw HTTP
//! helpers (reqwest, never the Timebridge client, so a client bug cannot hide a sim bug).

#![allow(dead_code, unreachable_pub)]

use chrono::{DateTime, NaiveDate, Utc};
use reqwest::{Method, Response};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use timebridge_simulators::kimai::{
    KimaiSeed, KimaiSim, Role, SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTimesheet,
};
use timebridge_simulators::{Clock, RunningServer};

pub const USER: &str = "user-token";
pub const LEAD: &str = "lead-token";
pub const ADMIN: &str = "admin-token";

/// 2026-03-10 12:00 UTC, a Tuesday in winter time (Berlin = UTC+1).
pub fn now() -> DateTime<Utc> {
    "2026-03-10T12:00:00Z".parse().unwrap()
}

pub fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn user(id: u64, name: &str, token: &str, role: Role) -> SeedUser {
    SeedUser {
        id,
        username: name.into(),
        token: token.into(),
        role,
        timezone: "Europe/Berlin".into(),
    }
}

fn project(id: u64, name: &str, end: Option<NaiveDate>, globals: bool) -> SeedProject {
    SeedProject {
        id,
        name: name.into(),
        customer: 1,
        start: None,
        end,
        global_activities: globals,
        visible: true,
        hourly_rate: Some(Decimal::from(100)),
    }
}

fn activity(id: u64, name: &str, project: Option<u64>) -> SeedActivity {
    SeedActivity {
        id,
        name: name.into(),
        project,
        visible: true,
    }
}

/// Users 1 alice (USER), 2 lead (TEAMLEAD), 3 boss (ADMIN); project 1 "Support", 2 "Old"
/// (ended 2026-01-31), 3 "Closed" (no globals); activity 1 global, 2 of project 1, 3 of project 3.
pub fn seed() -> KimaiSeed {
    KimaiSeed {
        users: vec![
            user(1, "alice", USER, Role::User),
            user(2, "lead", LEAD, Role::Teamlead),
            user(3, "boss", ADMIN, Role::Admin),
        ],
        customers: vec![SeedCustomer {
            id: 1,
            name: "Acme".into(),
            visible: true,
        }],
        projects: vec![
            project(1, "Support", None, true),
            project(2, "Old", NaiveDate::from_ymd_opt(2026, 1, 31), true),
            project(3, "Closed", None, false),
        ],
        activities: vec![
            activity(1, "Support", None),
            activity(2, "Special", Some(1)),
            activity(3, "Only3", Some(3)),
        ],
        tags: vec!["zammad".into(), "billing".into()],
        meta_fields: vec!["zammad_id".into()],
        timesheets: Vec::new(),
    }
}

/// A stopped record of `user` on project 1 / activity 1.
pub fn record(user: u64, begin: &str, end: &str) -> SimTimesheet {
    SimTimesheet {
        id: 0,
        user,
        project: 1,
        activity: 1,
        begin: utc(begin),
        end: Some(utc(end)),
        timezone: String::new(),
        description: Some("seeded".into()),
        tags: Vec::new(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: None,
    }
}

pub struct Env {
    pub sim: KimaiSim,
    pub server: RunningServer,
    http: reqwest::Client,
}

pub async fn start() -> Env {
    let sim = KimaiSim::from_seed(seed(), Clock::manual(now()));
    let server = sim.start().await.unwrap();
    Env {
        sim,
        server,
        http: reqwest::Client::new(),
    }
}

impl Env {
    pub async fn call(
        &self,
        method: Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> Response {
        let url = format!("{}{}", self.server.url(), path.trim_start_matches('/'));
        let mut req = self.http.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap()
    }
    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.call(Method::GET, Some(token), path, None).await
    }
    pub async fn post(&self, token: &str, path: &str, body: Value) -> Response {
        self.call(Method::POST, Some(token), path, Some(body)).await
    }
    pub async fn patch(&self, token: &str, path: &str, body: Value) -> Response {
        self.call(Method::PATCH, Some(token), path, Some(body))
            .await
    }
    pub async fn delete(&self, token: &str, path: &str) -> Response {
        self.call(Method::DELETE, Some(token), path, None).await
    }
    /// GET returning (status, JSON body).
    pub async fn get_json(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self.get(token, path).await;
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
    /// Ids of a timesheet list answer.
    pub async fn ids(&self, token: &str, path: &str) -> Vec<u64> {
        let (status, body) = self.get_json(token, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        body.as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_u64().unwrap())
            .collect()
    }
}

/// `errors.children.<field>.errors` of a validation answer.
pub fn field_errors(body: &Value, field: &str) -> Vec<String> {
    body["errors"]["children"][field]["errors"]
        .as_array()
        .map(|a| a.iter().map(|m| m.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// `errors.errors` (global messages) of a validation answer.
pub fn global_errors(body: &Value) -> Vec<String> {
    body["errors"]["errors"]
        .as_array()
        .map(|a| a.iter().map(|m| m.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// A valid create body for project 1 / activity 1 on 2026-03-02 09:00–09:15, plus `extra`.
pub fn body(extra: Value) -> Value {
    let mut b = json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T09:15:00", "project": 1, "activity": 1});
    b.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    b
}

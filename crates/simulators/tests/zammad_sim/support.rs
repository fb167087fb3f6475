//! A small fixed world and raw-HTTP helpers shared by the simulator tests.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use timebridge_simulators::zammad::{
    SeedGroup, SeedOrganization, SeedSettings, SeedTicket, SeedTimeAccounting, SeedType, SeedUser,
    ZammadSeed, ZammadSim,
};
use timebridge_simulators::{Clock, RunningServer};

pub(crate) const ADMIN: &str = "admin-token";
pub(crate) const AGENT: &str = "agent-token";
/// A user with `admin.time_accounting` whose token only carries `ticket.agent`.
pub(crate) const SCOPED: &str = "scoped-token";
pub(crate) const INACTIVE: &str = "inactive-token";
pub(crate) const CUSTOMER: &str = "customer-token";

pub(crate) fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-10T12:00:00Z")
        .unwrap()
        .to_utc()
}

fn user(id: i64, login: &str, token: &str, perms: &[&str], groups: &[(i64, &str)]) -> SeedUser {
    SeedUser {
        id,
        login: login.into(),
        firstname: login.into(),
        lastname: "Test".into(),
        email: format!("{login}@example.com"),
        active: true,
        permissions: perms.iter().map(|p| p.to_string()).collect(),
        token: Some(token.into()),
        token_permissions: None,
        group_access: groups
            .iter()
            .map(|(g, a)| (g.to_string(), vec![a.to_string()]))
            .collect::<BTreeMap<_, _>>(),
        organization_id: None,
        role_ids: vec![],
    }
}

fn ticket(id: i64, title: &str, group_id: i64, minutes_before: i64) -> SeedTicket {
    SeedTicket {
        id,
        number: Some(format!("{}", 31000 + id)),
        title: title.into(),
        group_id,
        organization_id: Some(1),
        customer_id: None,
        owner_id: None,
        created_at: t0() - chrono::Duration::minutes(minutes_before),
        updated_at: None,
    }
}

/// Groups 1 Support (agent full), 2 Management (agent read), 3 Other (agent none).
/// Tickets 1, 2 in Support, 3 in Management, 4 in Other. Entry 1: 15 on ticket 1 by agent.
pub(crate) fn seed() -> ZammadSeed {
    let all = [(1, "full"), (2, "full"), (3, "full")];
    let mut scoped = user(
        3,
        "scoped",
        SCOPED,
        &["admin.time_accounting", "ticket.agent"],
        &[(1, "full")],
    );
    scoped.token_permissions = Some(vec!["ticket.agent".into()]);
    let mut inactive = user(4, "inactive", INACTIVE, &["ticket.agent"], &[(1, "full")]);
    inactive.active = false;
    ZammadSeed {
        settings: SeedSettings {
            unit: "minute".into(),
            types: true,
            ..SeedSettings::default()
        },
        users: vec![
            user(1, "admin", ADMIN, &["admin", "ticket.agent"], &all),
            user(
                2,
                "agent",
                AGENT,
                &["ticket.agent"],
                &[(1, "full"), (2, "read")],
            ),
            scoped,
            inactive,
            user(5, "customer", CUSTOMER, &["ticket.customer"], &[]),
        ],
        groups: ["Support", "Management", "Other"]
            .iter()
            .enumerate()
            .map(|(i, n)| SeedGroup {
                id: i as i64 + 1,
                name: n.to_string(),
            })
            .collect(),
        organizations: vec![SeedOrganization {
            id: 1,
            name: "Acme GmbH".into(),
        }],
        tickets: vec![
            ticket(1, "Printer offline", 1, 400),
            ticket(2, "VPN drops", 1, 300),
            ticket(3, "Budget review", 2, 200),
            ticket(4, "Other team", 3, 100),
        ],
        types: vec![
            SeedType {
                id: 1,
                name: "Remote".into(),
                active: true,
            },
            SeedType {
                id: 2,
                name: "Phone".into(),
                active: true,
            },
        ],
        time_accountings: vec![SeedTimeAccounting {
            id: 1,
            ticket_id: 1,
            time_unit: "15".parse().unwrap(),
            type_id: Some(1),
            created_by_id: 2,
            created_at: t0() - chrono::Duration::minutes(390),
        }],
    }
}

/// A running simulator of [`seed`] with a manual clock at [`t0`].
pub(crate) struct Sim {
    pub(crate) sim: ZammadSim,
    pub(crate) server: RunningServer,
    http: reqwest::Client,
}

pub(crate) async fn start() -> Sim {
    start_with(seed()).await
}

pub(crate) async fn start_with(seed: ZammadSeed) -> Sim {
    let sim = ZammadSim::from_seed(seed, Clock::manual(t0()));
    let server = sim.start().await.unwrap();
    Sim {
        sim,
        server,
        http: reqwest::Client::new(),
    }
}

/// A raw answer: status, headers, JSON body (`Null` if not JSON).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) json: Value,
}

impl Answer {
    pub(crate) fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or("")
    }
}

impl Sim {
    /// Sends with an explicit `Authorization` header value (or none).
    pub(crate) async fn raw(
        &self,
        method: Method,
        path: &str,
        authorization: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let url = format!("{}{}", self.server.url(), path.trim_start_matches('/'));
        let mut req = self.http.request(method, url);
        if let Some(a) = authorization {
            req = req.header("authorization", a);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let json = resp.json::<Value>().await.unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            json,
        }
    }

    /// Sends as the holder of `token` (`Token token=…`).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Answer {
        self.raw(method, path, Some(&format!("Token token={token}")), body)
            .await
    }

    pub(crate) async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, token, None).await
    }

    pub(crate) async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// The ticket as the admin sees it.
    pub(crate) async fn ticket(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/tickets/{id}"), ADMIN).await.json
    }

    pub(crate) fn advance(&self, minutes: i64) {
        self.sim.clock().advance(chrono::Duration::minutes(minutes));
    }
}

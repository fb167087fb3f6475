//! The Zammad 6.5 simulator: a stateful, in-process HTTP server reproducing what a time sync
//! depends on (docs/api-notes.md §18, §19, §23–27): token auth and its odd status
//! codes, the time accounting policy matrix, decimal strings, paging limits, ticket
//! totals that bump `updated_at` only when they change, search without Elasticsearch, and
//! hard deletes. Tests drive it over HTTP and act "as a human" through [`ZammadSim`]'s methods.

mod auth;
pub mod demo;
mod routes;
mod seed;
mod state;
mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use parking_lot::Mutex;
use rust_decimal::Decimal;

pub use seed::{
    SeedGroup, SeedOrganization, SeedSettings, SeedTicket, SeedTimeAccounting, SeedType, SeedUser,
    ZammadSeed,
};
pub use state::{SimTicket, SimTimeAccounting};
pub use webhook::{signature, WebhookAttempt, WebhookConfig};

use crate::{Clock, Knobs, RunningServer};
use state::State;

/// A simulated Zammad instance. Clones share the same data, clock and knobs.
#[derive(Clone, Debug)]
pub struct ZammadSim {
    state: Arc<Mutex<State>>,
    clock: Clock,
    knobs: Knobs,
}

impl ZammadSim {
    /// An empty instance (no users, tickets or entries; time accounting on).
    pub fn new(clock: Clock) -> Self {
        Self::from_seed(ZammadSeed::default(), clock)
    }

    /// An instance holding `seed`.
    pub fn from_seed(seed: ZammadSeed, clock: Clock) -> Self {
        let state = State::from_seed(seed, clock.now());
        Self {
            state: Arc::new(Mutex::new(state)),
            clock,
            knobs: Knobs::default(),
        }
    }

    /// The knobs (latency, faults, request counts) of this instance.
    pub fn knobs(&self) -> Knobs {
        self.knobs.clone()
    }

    /// The simulator's clock.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The API routes with the knobs installed (and the `/_sim/` control routes).
    pub fn router(&self) -> Router {
        let api = routes::api_router(self.clone()).layer(axum::middleware::from_fn_with_state(
            self.clone(),
            flush_after,
        ));
        self.knobs.install(api)
    }

    /// Sends the simulated trigger's webhook to `config` on every ticket save (`None`: off).
    pub fn set_webhook(&self, config: Option<WebhookConfig>) {
        self.state.lock().webhook = config;
    }

    /// The webhook delivery attempts so far, oldest first.
    pub fn webhook_attempts(&self) -> Vec<WebhookAttempt> {
        self.state.lock().webhook_log.clone()
    }

    /// Starts a delivery for every ticket saved since the last call (needs a tokio runtime;
    /// without one, or without a webhook, the queue is just dropped).
    fn flush_webhooks(&self) {
        let (config, payloads) = {
            let mut state = self.state.lock();
            let saved = std::mem::take(&mut state.saved_tickets);
            let Some(config) = state.webhook.clone() else {
                return;
            };
            let payloads: Vec<(i64, Vec<u8>)> = saved
                .into_iter()
                .filter_map(|id| {
                    let t = state.tickets.get(&id)?;
                    let body =
                        serde_json::json!({"ticket": state.ticket_json(t, true), "article": {}});
                    Some((id, body.to_string().into_bytes()))
                })
                .collect();
            (config, payloads)
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        for (ticket_id, body) in payloads {
            let delivery = format!("{:032x}", rand::random::<u128>());
            let sim = self.clone();
            let record = move |a: WebhookAttempt| sim.state.lock().webhook_log.push(a);
            runtime.spawn(webhook::deliver(
                config.clone(),
                delivery,
                ticket_id,
                body,
                record,
            ));
        }
    }

    /// Serves on `127.0.0.1` at a free port.
    pub async fn start(&self) -> std::io::Result<RunningServer> {
        RunningServer::start_local(self.router()).await
    }

    /// Serves on `addr`.
    pub async fn start_at(&self, addr: SocketAddr) -> std::io::Result<RunningServer> {
        RunningServer::start(self.router(), addr).await
    }

    fn user_id_of(state: &State, login_or_id: &str) -> i64 {
        state
            .users
            .iter()
            .find(|u| u.login == login_or_id || u.id.to_string() == login_or_id)
            .unwrap_or_else(|| panic!("no simulated Zammad user {login_or_id:?}"))
            .id
    }

    /// Books time as a user, as if through the Zammad UI (no permission checks; the ticket
    /// total and `updated_at` follow Zammad's rules). Panics on an unknown user or ticket.
    pub fn add_time_accounting_as(
        &self,
        user_login_or_id: &str,
        ticket_id: i64,
        time_unit: Decimal,
        type_id: Option<i64>,
    ) -> i64 {
        let mut state = self.state.lock();
        let by = Self::user_id_of(&state, user_login_or_id);
        assert!(
            state.tickets.contains_key(&ticket_id),
            "no simulated Zammad ticket {ticket_id}"
        );
        let id = state
            .create_entry(ticket_id, time_unit, type_id, by, self.clock.now())
            .id;
        drop(state);
        self.flush_webhooks();
        id
    }

    /// Changes an entry as an admin would (`None` keeps a field). Returns false if unknown.
    pub fn update_time_accounting_as_admin(
        &self,
        id: i64,
        time_unit: Option<Decimal>,
        type_id: Option<Option<i64>>,
    ) -> bool {
        let now = self.clock.now();
        let found = self
            .state
            .lock()
            .update_entry(id, time_unit, type_id, 1, now)
            .is_some();
        self.flush_webhooks();
        found
    }

    /// Hard-deletes an entry as an admin would. Returns false if it did not exist.
    pub fn delete_time_accounting_as_admin(&self, id: i64) -> bool {
        let now = self.clock.now();
        let found = self.state.lock().delete_entry(id, 1, now);
        self.flush_webhooks();
        found
    }

    /// Moves a ticket to another organization (bumps its `updated_at`).
    pub fn set_ticket_organization(&self, ticket_id: i64, org_id: i64) {
        let now = self.clock.now();
        {
            let mut state = self.state.lock();
            if let Some(t) = state.tickets.get_mut(&ticket_id) {
                t.organization_id = Some(org_id);
                t.updated_at = now;
                state.saved_tickets.push(ticket_id);
            }
        }
        self.flush_webhooks();
    }

    /// Sets a user's access to a group, as an admin would in Zammad's user settings (`None`
    /// removes it: the group's tickets are then hidden from the user, searches skip them
    /// and showing one answers 403). Returns false if the user is unknown.
    pub fn set_group_access(&self, user_id: i64, group_id: i64, access: Option<&[&str]>) -> bool {
        let mut state = self.state.lock();
        let Some(user) = state.users.iter_mut().find(|u| u.id == user_id) else {
            return false;
        };
        match access {
            Some(a) => {
                user.group_access.insert(
                    group_id.to_string(),
                    a.iter().map(|s| (*s).to_string()).collect(),
                );
            }
            None => {
                user.group_access.remove(&group_id.to_string());
            }
        }
        true
    }

    /// Hard-deletes a ticket and all its time accountings. Returns false if unknown.
    pub fn delete_ticket(&self, id: i64) -> bool {
        self.state.lock().delete_ticket(id)
    }

    /// Switches the `time_accounting` setting.
    pub fn set_time_accounting_enabled(&self, on: bool) {
        self.state.lock().settings.time_accounting = on;
    }

    /// Sets the `time_accounting_unit` setting (and its custom label), as an admin would: the
    /// stored entries keep their numbers (Zammad never converts).
    pub fn set_time_accounting_unit(&self, unit: &str, custom: &str) {
        let mut state = self.state.lock();
        state.settings.unit = unit.to_string();
        state.settings.unit_custom = custom.to_string();
    }

    /// Switches simulated Elasticsearch (field syntax in `query`) on or off.
    pub fn set_elasticsearch(&self, on: bool) {
        self.state.lock().settings.elasticsearch = on;
    }

    /// All time accountings, by id.
    pub fn time_accountings(&self) -> Vec<SimTimeAccounting> {
        self.state.lock().entries.values().cloned().collect()
    }

    /// All tickets, by id.
    pub fn tickets(&self) -> Vec<SimTicket> {
        self.state.lock().tickets.values().cloned().collect()
    }
}

/// Runs the request, then starts the webhooks of the tickets it saved.
async fn flush_after(
    axum::extract::State(sim): axum::extract::State<ZammadSim>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let resp = next.run(req).await;
    sim.flush_webhooks();
    resp
}

//! The Kimai 2.66 simulator: a stateful HTTP server reproducing the Kimai behaviours a sync
//! depends on (docs/api-notes.md), so the client and the sync engine can be
//! tested against realistic answers (colon-less offsets, 404 past the last page, dropped tags,
//! toggling export…) without a PHP stack.
//!
//! Tests drive it over HTTP like Timebridge would, and "as a human" through the methods here
//! (edit or delete a record in the web UI, configure a lockdown).

pub mod demo;
mod model;
mod routes;
mod state;
pub mod switching;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;

pub use model::{
    KimaiSeed, Role, SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTag, SimTimesheet,
};

use crate::{Clock, Knobs, RunningServer};
use state::State;

/// A simulated Kimai instance. Clones share the same data, clock and knobs.
#[derive(Clone, Debug)]
pub struct KimaiSim {
    state: Arc<Mutex<State>>,
    clock: Clock,
    knobs: Knobs,
}

impl KimaiSim {
    /// An empty instance (no users: add some with [`KimaiSim::add_user`]).
    pub fn new(clock: Clock) -> Self {
        Self::from_seed(KimaiSeed::default(), clock)
    }

    /// An instance loaded with `seed`.
    pub fn from_seed(seed: KimaiSeed, clock: Clock) -> Self {
        let now = clock.now();
        Self {
            state: Arc::new(Mutex::new(State::from_seed(seed, now))),
            clock,
            knobs: Knobs::default(),
        }
    }

    /// The latency/fault/count knobs of this instance.
    pub fn knobs(&self) -> Knobs {
        self.knobs.clone()
    }

    /// The simulator's clock.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The HTTP API, with the knobs installed and the `/_sim/` control routes added.
    pub fn router(&self) -> axum::Router {
        self.knobs.install(routes::router(self.clone()))
    }

    /// Serves on `127.0.0.1:0`.
    pub async fn start(&self) -> std::io::Result<RunningServer> {
        RunningServer::start_local(self.router()).await
    }

    /// Serves on `addr`.
    pub async fn start_at(&self, addr: SocketAddr) -> std::io::Result<RunningServer> {
        RunningServer::start(self.router(), addr).await
    }

    /// A snapshot of all timesheets, by id.
    pub fn timesheets(&self) -> Vec<SimTimesheet> {
        self.state.lock().timesheets.values().cloned().collect()
    }

    /// One timesheet.
    pub fn timesheet(&self, id: u64) -> Option<SimTimesheet> {
        self.state.lock().timesheets.get(&id).cloned()
    }

    /// Edits a record as a person in the web UI would; bumps its modification time.
    /// Returns false when the id does not exist.
    pub fn edit_timesheet_as_human(&self, id: u64, edit: impl FnOnce(&mut SimTimesheet)) -> bool {
        let now = self.clock.now();
        let mut s = self.state.lock();
        match s.timesheets.get_mut(&id) {
            Some(t) => {
                edit(t);
                t.modified_at = Some(now);
                true
            }
            None => false,
        }
    }

    /// Hard-deletes a record as a person would. Returns false when it did not exist.
    pub fn delete_timesheet_as_human(&self, id: u64) -> bool {
        self.state.lock().timesheets.remove(&id).is_some()
    }

    /// Adds a record as a person would (id from the sequence; `id` in `t` is ignored).
    pub fn add_timesheet_as_human(&self, mut t: SimTimesheet) -> u64 {
        let now = self.clock.now();
        let mut s = self.state.lock();
        t.id = s.next_id();
        if t.timezone.is_empty() {
            t.timezone = s.user_tz(t.user);
        }
        t.modified_at = Some(now);
        s.timesheets.insert(t.id, t.clone());
        t.id
    }

    /// Restarts the database as MySQL before 8 does: the timesheet id sequence starts again
    /// after the highest id that exists, so the ids of the newest deleted records are handed
    /// out again (a linked id may come to name somebody else's record).
    pub fn restart_database(&self) {
        let mut s = self.state.lock();
        s.next_timesheet_id = s.timesheets.keys().max().map_or(1, |id| id + 1);
    }

    /// Sets or clears a rounding rule on the server: every stored begin is rounded down and
    /// every end up to `minutes` (Kimai's rounding rules are configured by its admin and are
    /// not visible in the API).
    pub fn set_rounding_minutes(&self, minutes: Option<u32>) {
        self.state.lock().rounding_minutes = minutes;
    }

    /// Sets or clears the lockdown period (inclusive instants).
    pub fn set_lockdown(&self, period: Option<(DateTime<Utc>, DateTime<Utc>)>) {
        self.state.lock().lockdown = period;
    }

    /// Edits a project as an admin would (its dates, its visibility). Returns false when it
    /// does not exist.
    pub fn edit_project_as_admin(&self, id: u64, edit: impl FnOnce(&mut SeedProject)) -> bool {
        let mut s = self.state.lock();
        match s.projects.iter_mut().find(|p| p.id == id) {
            Some(p) => {
                edit(p);
                true
            }
            None => false,
        }
    }

    /// Adds (or replaces, by id) a user.
    pub fn add_user(&self, user: SeedUser) {
        let mut s = self.state.lock();
        s.users.retain(|u| u.id != user.id);
        s.users.push(user);
    }

    /// Registers a visible timesheet meta field, as a plugin would.
    pub fn register_meta_field(&self, name: &str) {
        let mut s = self.state.lock();
        if !s.meta_fields.iter().any(|m| m == name) {
            s.meta_fields.push(name.to_string());
        }
    }

    /// All tag names.
    pub fn tag_names(&self) -> Vec<String> {
        self.state
            .lock()
            .tags
            .iter()
            .map(|t| t.name.clone())
            .collect()
    }
}

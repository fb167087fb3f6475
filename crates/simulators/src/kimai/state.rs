//! The simulator's database: one struct behind a mutex, with id sequences that never reuse a
//! number (ids come from a DB sequence in Kimai; deletes are hard, no tombstones).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::model::{
    KimaiSeed, SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTag, SimTimesheet,
};

/// All simulated data.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) users: Vec<SeedUser>,
    pub(crate) customers: Vec<SeedCustomer>,
    pub(crate) projects: Vec<SeedProject>,
    pub(crate) activities: Vec<SeedActivity>,
    pub(crate) tags: Vec<SimTag>,
    pub(crate) meta_fields: Vec<String>,
    pub(crate) timesheets: BTreeMap<u64, SimTimesheet>,
    pub(crate) next_timesheet_id: u64,
    pub(crate) next_tag_id: u64,
    pub(crate) lockdown: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// A rounding rule on the server (minutes): begin down, end up to the step, as Kimai's
    /// `timesheet.rounding` rules do with a step; `None` rounds to the full minute only.
    pub(crate) rounding_minutes: Option<u32>,
}

impl State {
    pub(crate) fn from_seed(seed: KimaiSeed, now: DateTime<Utc>) -> Self {
        let mut state = Self {
            users: seed.users,
            customers: seed.customers,
            projects: seed.projects,
            activities: seed.activities,
            meta_fields: seed.meta_fields,
            next_timesheet_id: 1,
            next_tag_id: 1,
            ..Self::default()
        };
        for name in seed.tags {
            state.add_tag(&name);
        }
        for mut t in seed.timesheets {
            if t.timezone.is_empty() {
                t.timezone = state.user_tz(t.user);
            }
            if t.modified_at.is_none() {
                t.modified_at = Some(now);
            }
            state.next_timesheet_id = state.next_timesheet_id.max(t.id + 1);
            state.timesheets.insert(t.id, t);
        }
        state
    }

    pub(crate) fn add_tag(&mut self, name: &str) -> SimTag {
        if let Some(t) = self.tag(name) {
            return t.clone();
        }
        let tag = SimTag {
            id: self.next_tag_id,
            name: name.to_string(),
        };
        self.next_tag_id += 1;
        self.tags.push(tag.clone());
        tag
    }

    pub(crate) fn tag(&self, name: &str) -> Option<&SimTag> {
        self.tags.iter().find(|t| t.name == name)
    }

    pub(crate) fn user(&self, id: u64) -> Option<&SeedUser> {
        self.users.iter().find(|u| u.id == id)
    }

    pub(crate) fn user_by_token(&self, token: &str) -> Option<&SeedUser> {
        self.users.iter().find(|u| u.token == token)
    }

    pub(crate) fn user_tz(&self, id: u64) -> String {
        self.user(id)
            .map_or_else(|| "UTC".to_string(), |u| u.timezone.clone())
    }

    pub(crate) fn project(&self, id: u64) -> Option<&SeedProject> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub(crate) fn activity(&self, id: u64) -> Option<&SeedActivity> {
        self.activities.iter().find(|a| a.id == id)
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        let id = self.next_timesheet_id;
        self.next_timesheet_id += 1;
        id
    }

    /// Whether `at` lies in the configured lockdown period.
    pub(crate) fn locked(&self, at: DateTime<Utc>) -> bool {
        self.lockdown.is_some_and(|(s, e)| at >= s && at <= e)
    }
}

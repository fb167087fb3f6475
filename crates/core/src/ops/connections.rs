//! Adding connections and editing a helpdesk's settings from either front end: the rows
//! and the settings a new connection starts with, and the rules an edit must keep, so the
//! desktop's wizard and mapping page and `timebridge connections add` / `mappings` store the
//! same thing. Checking the server and keeping the token are the callers' part (the CLI can be
//! told to skip the check, and reads tokens from its own places); they delete a token they
//! stored when the rows could not be.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{OpError, Workspace};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::{InstanceSettings, MappingRule, Scope};
use crate::sync::time::TimeUnit;
use crate::ZammadInstance;

/// What the server check found about a new helpdesk's account.
#[derive(Clone, Debug)]
pub struct HelpdeskFound {
    /// The Zammad user the token belongs to (a run refuses another user's token).
    pub user_id: i64,
    /// The helpdesk's time accounting unit setting the unit was chosen against.
    pub unit_setting: String,
}

/// A helpdesk to add.
#[derive(Clone, Debug)]
pub struct NewHelpdesk<'a> {
    /// The name the user gave it.
    pub name: &'a str,
    /// Its base URL.
    pub url: &'a str,
    /// Whether plain HTTP to another machine was allowed for it.
    pub allow_insecure_http: bool,
    /// Its instance key (part of every entry's marker).
    pub key: &'a InstanceKey,
    /// What one time unit of its entries means.
    pub unit: TimeUnit,
    /// What the check found; `None` when added without one (the first full sync then
    /// records the unit setting).
    pub found: Option<HelpdeskFound>,
}

impl Workspace<'_> {
    /// Stores the Kimai connection with the billing timezone `tz` (its user's), and sets
    /// "book time from" when it is not set yet (`setup::default_book_from`): both or neither
    /// (the connection is removed again when the day cannot be stored, so a caller that
    /// deletes the token on an error never leaves a connection without one). Refused when a
    /// Kimai connection exists: Timebridge books into one Kimai.
    pub fn add_kimai(
        &self,
        name: &str,
        url: &str,
        allow_insecure_http: bool,
        tz: Option<Tz>,
        now: DateTime<Utc>,
    ) -> Result<i64, OpError> {
        let id = self
            .store
            .add_kimai_connection(name, url, allow_insecure_http, tz)?
            .ok_or(OpError::KimaiExists)?;
        if let Err(e) = crate::setup::default_book_from(self.store, now) {
            if let Err(undo) = self.store.remove_connection(id) {
                tracing::error!(error = %undo, "the Kimai connection could not be removed again");
            }
            return Err(e.into());
        }
        Ok(id)
    }

    /// Refuses a helpdesk key with history: links or tombstones of an earlier helpdesk would
    /// make the new one's entries meet that one's timesheets.
    pub fn refuse_used_key(&self, key: &InstanceKey) -> Result<(), OpError> {
        if self.store.links_for(key.as_str())?.is_empty() {
            Ok(())
        } else {
            Err(OpError::KeyHasHistory(key.clone()))
        }
    }

    /// Stores a helpdesk with the settings every new one starts with: each day's total kept
    /// within half a minute of Zammad's, its first sync a preview until the user's go-ahead,
    /// the token's user pinned and the unit setting remembered (when checked).
    pub fn add_helpdesk(&self, new: &NewHelpdesk<'_>) -> Result<i64, OpError> {
        self.refuse_used_key(new.key)?;
        let mut settings = InstanceSettings::new(new.unit.clone());
        settings.exact_day_totals = true;
        settings.awaiting_go_ahead = true;
        settings.zammad_user_id = new.found.as_ref().map(|f| f.user_id);
        settings.zammad_unit_setting = new.found.as_ref().map(|f| f.unit_setting.clone());
        Ok(self.store.add_zammad_connection(
            new.name,
            new.url,
            new.allow_insecure_http,
            new.key,
            &settings,
        )?)
    }
}

impl Workspace<'_> {
    /// Stores a helpdesk's edited settings (mappings, unit, description, rounding, …) for
    /// the next sync. Refused when two rules name one scope: only the first would ever apply.
    pub fn save_helpdesk(&self, instance: &ZammadInstance) -> Result<(), OpError> {
        if let Some(scope) = duplicate_scope(&instance.settings.rules) {
            return Err(OpError::DuplicateRule(scope));
        }
        Ok(self.store.save_instance(instance)?)
    }
}

/// The first scope that two rules share (the second could never match).
pub(super) fn duplicate_scope(rules: &[MappingRule]) -> Option<Scope> {
    let mut seen = std::collections::BTreeSet::new();
    rules.iter().map(|r| r.scope).find(|s| !seen.insert(*s))
}

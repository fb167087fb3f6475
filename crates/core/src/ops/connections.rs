//! Connections and helpdesk settings from either front end: listing them, the rows and the
//! settings a new connection starts with, the rules an edit must keep, removing one with its
//! token, and reading a stored token, so the desktop's wizard and mapping page and `timebridge
//! connections` / `mappings` store and find the same thing. Checking a new server and storing
//! its token are the callers' part (the CLI can be told to skip the check, and may keep a
//! token only in the environment); they delete a token they stored when the rows could not be.
//!
//! What a new connection may not share with the stored ones is one rule here
//! ([`Workspace::check_new_connection`]): one Kimai; a name or key no other connection uses as
//! its name or key (both front ends find connections by either); and no second connection of
//! a kind to the same address, because two helpdesk keys over one Zammad account would book
//! every entry twice.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{OpError, Workspace};
use crate::secrets::{env_var_for, SecretError};
use crate::setup::{zammad_account, KIMAI_ACCOUNT};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::{InstanceSettings, MappingRule, Scope};
use crate::sync::time::TimeUnit;
use crate::{ConnectionKind, SavedConnection, ZammadInstance};

/// Why a new connection cannot be stored beside the ones there are; nothing was stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Clash {
    /// The name is empty (after trimming).
    #[error("the name must not be empty")]
    EmptyName,
    /// A Kimai connection exists already: Timebridge books into one Kimai.
    #[error("a Kimai connection exists already: {name:?} ({url}); Timebridge books into one Kimai, remove it first")]
    SecondKimai {
        /// The stored Kimai connection's name.
        name: String,
        /// The stored Kimai connection's address.
        url: String,
    },
    /// The instance key is another connection's name or key.
    #[error("the instance key {key:?} is already used by {by:?}")]
    KeyInUse {
        /// The key asked for.
        key: String,
        /// The connection that has it.
        by: String,
    },
    /// The name is another connection's name or key.
    #[error(
        "{name:?} is already the name or key of the {kind} connection {by:?}; choose another name"
    )]
    NameInUse {
        /// The name asked for.
        name: String,
        /// The kind of the connection that has it.
        kind: &'static str,
        /// That connection's name.
        by: String,
    },
    /// A connection of the same kind has this address.
    #[error("{url} is already the connection {by:?}")]
    UrlInUse {
        /// The address asked for.
        url: String,
        /// The connection that has it.
        by: String,
    },
}

/// A stored connection with what one time unit of its entries means (helpdesks only).
#[derive(Clone, Debug)]
pub struct ListedConnection {
    /// The connection as stored.
    pub connection: SavedConnection,
    /// The helpdesk's time unit; `None` for Kimai.
    pub time_unit: Option<TimeUnit>,
}

/// The secret-store account that holds connection `c`'s token (`kimai`, `zammad-<key>`).
pub fn account_of(c: &SavedConnection) -> String {
    match &c.instance {
        Some(key) => zammad_account(key.as_str()),
        None => KIMAI_ACCOUNT.to_string(),
    }
}

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
    /// Every stored connection (Kimai first, then by name), with each helpdesk's unit.
    pub fn connections(&self) -> Result<Vec<ListedConnection>, OpError> {
        let mut out = Vec::new();
        for connection in self.store.connections()? {
            let time_unit = match &connection.instance {
                Some(key) => self.store.instance(key)?.map(|i| i.settings.time_unit),
                None => None,
            };
            out.push(ListedConnection {
                connection,
                time_unit,
            });
        }
        Ok(out)
    }

    /// Refuses a new connection of `kind` named `name` at `url` (with the instance `key` for
    /// a helpdesk) that clashes with a stored one (see the module doc). Name and address are
    /// compared trimmed, as they are stored.
    pub fn check_new_connection(
        &self,
        kind: ConnectionKind,
        name: &str,
        url: &str,
        key: Option<&InstanceKey>,
    ) -> Result<(), OpError> {
        let existing = self.store.connections()?;
        match clash(&existing, kind, name.trim(), url.trim(), key) {
            Some(c) => Err(OpError::Clash(c)),
            None => Ok(()),
        }
    }

    /// Removes connection `id` and its token, the token first so none is left behind
    /// (a token the environment provides needs no keychain to be gone from). Links to Kimai
    /// timesheets stay, so adding it back under the same key never books twice.
    pub fn remove_connection(&self, id: i64) -> Result<SavedConnection, OpError> {
        let c = self.connection(id)?;
        let account = account_of(&c);
        match self.secrets.delete(&account) {
            Ok(()) => {}
            Err(SecretError::Unavailable { .. })
                if std::env::var_os(env_var_for(&account)).is_some() => {}
            Err(e) => return Err(OpError::Setup(e.into())),
        }
        self.store.remove_connection(id)?;
        Ok(c)
    }

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

/// The first rule a new connection breaks, if any.
fn clash(
    existing: &[SavedConnection],
    kind: ConnectionKind,
    name: &str,
    url: &str,
    key: Option<&InstanceKey>,
) -> Option<Clash> {
    if kind == ConnectionKind::Kimai {
        if let Some(k) = existing.iter().find(|c| c.kind == ConnectionKind::Kimai) {
            return Some(Clash::SecondKimai {
                name: k.name.clone(),
                url: k.base_url.clone(),
            });
        }
    }
    if name.is_empty() {
        return Some(Clash::EmptyName);
    }
    let key = key.map(InstanceKey::as_str);
    let names = |c: &SavedConnection, text: &str| {
        c.name == text || c.instance.as_ref().map(InstanceKey::as_str) == Some(text)
    };
    if let Some(key) = key {
        if let Some(c) = existing.iter().find(|c| names(c, key)) {
            return Some(Clash::KeyInUse {
                key: key.to_string(),
                by: c.name.clone(),
            });
        }
    }
    if let Some(c) = existing.iter().find(|c| names(c, name)) {
        return Some(Clash::NameInUse {
            name: name.to_string(),
            kind: c.kind.as_str(),
            by: c.name.clone(),
        });
    }
    if let Some(c) = existing
        .iter()
        .find(|c| c.kind == kind && c.base_url == url)
    {
        return Some(Clash::UrlInUse {
            url: url.to_string(),
            by: c.name.clone(),
        });
    }
    None
}

impl Workspace<'_> {
    /// A client for the stored Kimai connection with its token, to ask Kimai something
    /// outside a run (its user's timezone, whether a project exists); `None` when no Kimai
    /// connection is stored.
    pub fn kimai_client(&self) -> Result<Option<timebridge_kimai::KimaiClient>, OpError> {
        let Some(kimai) = crate::setup::kimai_connection(self.store)? else {
            return Ok(None);
        };
        Ok(Some(crate::setup::kimai_client(&kimai, self.secrets)?))
    }
}

impl Workspace<'_> {
    /// Connection `id` as stored.
    pub fn connection(&self, id: i64) -> Result<SavedConnection, OpError> {
        self.store
            .connection(id)?
            .ok_or(OpError::NoSuchConnection(id))
    }

    /// The connection of helpdesk `key`.
    pub fn helpdesk_connection(&self, key: &InstanceKey) -> Result<SavedConnection, OpError> {
        self.store
            .connections()?
            .into_iter()
            .find(|c| c.instance.as_ref() == Some(key))
            .ok_or_else(|| OpError::NoSuchHelpdesk(key.clone()))
    }

    /// The stored token of connection `c` (`SetupError::TokenMissing` when there is none).
    pub fn stored_token(&self, c: &SavedConnection) -> Result<timebridge_http::Secret, OpError> {
        Ok(crate::setup::token_for(
            self.secrets,
            &account_of(c),
            &c.name,
        )?)
    }
}

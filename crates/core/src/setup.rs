//! From what is stored to what the engine needs: the Kimai client, every Zammad helpdesk with
//! its settings, the billing timezone, each with its token from a [`SecretStore`] (the OS
//! keychain; the demo's memory store). The CLI and the desktop app both build their engine
//! here, so a stored connection means the same thing to both.
//!
//! Errors carry the facts (which connection, which account) and no advice: the CLI words them
//! as commands to type, the app as a page to open.

use chrono_tz::Tz;
use timebridge_http::{BaseUrl, HttpConfig, Secret};
use timebridge_kimai::KimaiClient;
use timebridge_zammad::ZammadClient;

use crate::engine::{Engine, InstanceConn};
use crate::secrets::{SecretError, SecretStore};
use crate::{Actor, ConnectionKind, SavedConnection, Store, StoreError};

/// The secret-store account of the Kimai connection.
pub const KIMAI_ACCOUNT: &str = "kimai";

/// At set-up (the Kimai connection is added): "book time from" becomes the first day of last
/// month in the billing timezone (UTC while none is set), unless it is set already. From then
/// on full syncs book every month since that day that no billing run has closed, so a month
/// the app was not run in is not lost. Returns the day in force.
pub fn default_book_from(
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::NaiveDate, StoreError> {
    if let Some(day) = store.book_from()? {
        return Ok(day);
    }
    let today = match store.billing_timezone()? {
        Some(tz) => now.with_timezone(&tz).date_naive(),
        None => now.date_naive(),
    };
    let day = crate::sync::time::Month::of(today).previous().first_day();
    store.set_book_from(day)?;
    Ok(day)
}

/// The secret-store account of the Zammad instance `key` (`zammad-acme`).
pub fn zammad_account(key: &str) -> String {
    format!("zammad-{key}")
}

/// Why the engine cannot be built from what is stored.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// No Kimai connection is stored.
    #[error("no Kimai connection is set up")]
    NoKimai,
    /// The Kimai connection exists, but no billing timezone is known (added without a check).
    #[error("no billing timezone is set for the Kimai connection {name:?}")]
    NoBillingTimezone {
        /// The Kimai connection's name.
        name: String,
        /// Its base URL, as stored.
        url: String,
    },
    /// No token is stored for a connection.
    #[error("no token is stored for {name:?}")]
    TokenMissing {
        /// The connection's name.
        name: String,
        /// Its secret-store account (`kimai`, `zammad-acme`).
        account: String,
    },
    /// A stored address is not usable (e.g. plain http without the opt-in).
    #[error("the address of connection {name:?} cannot be used: {detail}")]
    InvalidUrl {
        /// The name the user gave the connection.
        name: String,
        /// Why.
        detail: String,
    },
    /// The HTTP client could not be built.
    #[error("{kind} {name:?}: {detail}")]
    Client {
        /// `Kimai` or `Zammad`.
        kind: &'static str,
        /// The name the user gave the connection.
        name: String,
        /// What failed.
        detail: String,
    },
    /// The keychain could not be read.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The local database could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the engine needs, from the database and the secret store.
#[derive(Debug)]
pub struct Setup {
    /// The consultant's Kimai.
    pub kimai: KimaiClient,
    /// Every Zammad helpdesk with its mapping settings.
    pub instances: Vec<InstanceConn>,
    /// The billing timezone.
    pub tz: Tz,
}

impl Setup {
    /// The Kimai connection, every Zammad instance and the billing timezone, read afresh (so
    /// mapping and timezone edits apply at the next run).
    pub fn load(store: &Store, secrets: &dyn SecretStore) -> Result<Self, SetupError> {
        let (kimai, tz) = kimai_setup(store, secrets)?;
        let mut instances = Vec::new();
        for c in store.connections()? {
            if c.kind != ConnectionKind::Zammad {
                continue;
            }
            let Some(key) = &c.instance else { continue };
            let Some(instance) = store.instance(key)? else {
                continue;
            };
            let token = token_for(secrets, &zammad_account(key.as_str()), &c.name)?;
            let client = ZammadClient::new(base_url(&c)?, token, HttpConfig::default())
                .map_err(|e| client_error("Zammad", &c, e))?;
            instances.push(InstanceConn {
                key: key.clone(),
                client,
                settings: instance.settings,
            });
        }
        Ok(Self {
            kimai,
            instances,
            tz,
        })
    }

    /// The engine over this setup, acting as `actor`.
    pub fn engine<'a>(&'a self, store: &'a Store, actor: Actor) -> Engine<'a> {
        Engine {
            store,
            kimai: &self.kimai,
            instances: &self.instances,
            tz: self.tz,
            actor,
        }
    }
}

/// The Kimai client and the billing timezone: all an undo, a link rebuild or billing needs
/// (no Zammad token).
pub fn kimai_setup(
    store: &Store,
    secrets: &dyn SecretStore,
) -> Result<(KimaiClient, Tz), SetupError> {
    let kimai = kimai_connection(store)?.ok_or(SetupError::NoKimai)?;
    let tz = store
        .billing_timezone()?
        .ok_or_else(|| SetupError::NoBillingTimezone {
            name: kimai.name.clone(),
            url: kimai.base_url.clone(),
        })?;
    Ok((kimai_client(&kimai, secrets)?, tz))
}

/// The stored Kimai connection, `None` when there is none (Timebridge books into one).
pub fn kimai_connection(store: &Store) -> Result<Option<SavedConnection>, StoreError> {
    Ok(store
        .connections()?
        .into_iter()
        .find(|c| c.kind == ConnectionKind::Kimai))
}

/// The client for the stored Kimai connection, with its token.
pub fn kimai_client(
    kimai: &SavedConnection,
    secrets: &dyn SecretStore,
) -> Result<KimaiClient, SetupError> {
    let token = token_for(secrets, KIMAI_ACCOUNT, &kimai.name)?;
    KimaiClient::new(base_url(kimai)?, token, HttpConfig::default())
        .map_err(|e| client_error("Kimai", kimai, e))
}

fn client_error(kind: &'static str, c: &SavedConnection, e: impl std::fmt::Display) -> SetupError {
    SetupError::Client {
        kind,
        name: c.name.clone(),
        detail: e.to_string(),
    }
}

/// A stored address as the clients take it.
fn base_url(c: &SavedConnection) -> Result<BaseUrl, SetupError> {
    BaseUrl::parse(&c.base_url, c.allow_insecure_http).map_err(|e| SetupError::InvalidUrl {
        name: c.name.clone(),
        detail: e.to_string(),
    })
}

/// The token of `account`.
pub(crate) fn token_for(
    secrets: &dyn SecretStore,
    account: &str,
    name: &str,
) -> Result<Secret, SetupError> {
    secrets
        .get(account)?
        .ok_or_else(|| SetupError::TokenMissing {
            name: name.to_string(),
            account: account.to_string(),
        })
}

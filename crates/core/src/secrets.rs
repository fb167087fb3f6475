//! Where connection tokens live: only in the OS keychain (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows), never in SQLite, a config file, a log or the UI.
//!
//! Headless machines (servers, cron, CI) without a keychain can give a token per connection in
//! an environment variable, `TIMEBRIDGE_TOKEN_<ACCOUNT>` (e.g. `TIMEBRIDGE_TOKEN_ZAMMAD_ACME`),
//! which wins over the keychain. A missing keychain is reported as such, with how to fix it —
//! never silently replaced by a store that forgets.

use std::collections::BTreeMap;

use parking_lot::Mutex;
use timebridge_http::Secret;

use crate::APP_IDENTIFIER;

/// Why a token could not be read or stored.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No usable keychain on this machine (no Secret Service running, locked, no D-Bus).
    #[error("the system keychain is not available ({detail}). On Linux, GNOME Keyring or KWallet must be running and unlocked in your session; on a machine without one, give the token in the environment variable {env_var}")]
    Unavailable {
        /// What the platform said.
        detail: String,
        /// The variable that would provide this token instead.
        env_var: String,
    },
    /// The keychain refused (access denied, bad data).
    #[error("the system keychain refused the token for {account}: {detail}")]
    Refused {
        /// The connection account.
        account: String,
        /// What the platform said.
        detail: String,
    },
}

/// A place tokens are kept, keyed by connection account (e.g. `kimai`, `zammad-acme`).
pub trait SecretStore: Send + Sync {
    /// The token, `None` when none is stored.
    fn get(&self, account: &str) -> Result<Option<Secret>, SecretError>;
    /// Stores or replaces the token.
    fn set(&self, account: &str, token: &Secret) -> Result<(), SecretError>;
    /// Removes the token; removing a missing one is fine.
    fn delete(&self, account: &str) -> Result<(), SecretError>;
}

/// The environment variable that overrides the keychain for `account`.
pub fn env_var_for(account: &str) -> String {
    let suffix: String = account
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("TIMEBRIDGE_TOKEN_{suffix}")
}

/// The OS keychain; `service` separates Timebridge's entries from other apps' (and tests').
#[derive(Debug, Clone)]
pub struct KeychainStore {
    service: String,
}

impl Default for KeychainStore {
    fn default() -> Self {
        Self {
            service: APP_IDENTIFIER.to_string(),
        }
    }
}

impl KeychainStore {
    /// A store under another service name (tests, profiles).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, account).map_err(|e| map_error(account, e))
    }
}

fn map_error(account: &str, err: keyring::Error) -> SecretError {
    match err {
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
            SecretError::Unavailable {
                detail: e.to_string(),
                env_var: env_var_for(account),
            }
        }
        other => SecretError::Refused {
            account: account.to_string(),
            detail: other.to_string(),
        },
    }
}

impl SecretStore for KeychainStore {
    fn get(&self, account: &str) -> Result<Option<Secret>, SecretError> {
        if let Some(token) = std::env::var_os(env_var_for(account)) {
            return Ok(Some(Secret::new(token.to_string_lossy().into_owned())));
        }
        match self.entry(account)?.get_password() {
            Ok(token) => Ok(Some(Secret::new(token))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(account, e)),
        }
    }

    fn set(&self, account: &str, token: &Secret) -> Result<(), SecretError> {
        self.entry(account)?
            .set_password(token.expose())
            .map_err(|e| map_error(account, e))
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(account, e)),
        }
    }
}

/// Tokens in memory, for tests of code that needs a [`SecretStore`].
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<BTreeMap<String, Secret>>);

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self.0.lock().get(account).cloned())
    }

    fn set(&self, account: &str, token: &Secret) -> Result<(), SecretError> {
        self.0.lock().insert(account.to_string(), token.clone());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        self.0.lock().remove(account);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names_are_derived_from_the_account() {
        assert_eq!(env_var_for("zammad-acme"), "TIMEBRIDGE_TOKEN_ZAMMAD_ACME");
        assert_eq!(env_var_for("kimai"), "TIMEBRIDGE_TOKEN_KIMAI");
    }

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let store = MemoryStore::default();
        assert!(store.get("kimai").unwrap().is_none());
        store.set("kimai", &Secret::new("t1")).unwrap();
        assert_eq!(store.get("kimai").unwrap().unwrap().expose(), "t1");
        store.delete("kimai").unwrap();
        store.delete("kimai").unwrap();
        assert!(store.get("kimai").unwrap().is_none());
    }

    #[test]
    fn unavailable_keychain_says_how_to_fix_it_without_the_token() {
        let err = map_error(
            "zammad-acme",
            keyring::Error::PlatformFailure("no session bus".into()),
        );
        let text = err.to_string();
        assert!(text.contains("TIMEBRIDGE_TOKEN_ZAMMAD_ACME"), "{text}");
        assert!(text.contains("GNOME Keyring"), "{text}");
    }
}

//! Tokens on the command line: read only from standard input or the per-connection
//! environment variable (never an argument, which `ps` and shell history would show), kept
//! in the OS keychain, and only ever described ("keychain", "env"), never shown.

use std::io::Read;

use serde::Serialize;
use timebridge_core::secrets::{env_var_for, KeychainStore, SecretError, SecretStore};
use timebridge_http::Secret;

use crate::failure::Failure;

/// The keychain accounts (`kimai`, `zammad-acme`), as the core's set-up reads them.
pub(crate) use timebridge_core::setup::{zammad_account, KIMAI_ACCOUNT};

/// Where a connection's token comes from when Timebridge needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TokenSource {
    /// The environment variable (it wins over the keychain).
    Env,
    /// The OS keychain.
    Keychain,
    /// Nowhere: the connection cannot be used until a token is added.
    Missing,
    /// Unknown: the keychain cannot be asked and no variable is set.
    KeychainUnavailable,
}

impl TokenSource {
    /// The same words as the JSON value, for text output.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::Keychain => "keychain",
            Self::Missing => "missing",
            Self::KeychainUnavailable => "keychain_unavailable",
        }
    }
}

/// Whether the override variable for `account` is set (the rule [`KeychainStore`] reads by).
pub(crate) fn env_is_set(account: &str) -> bool {
    std::env::var_os(env_var_for(account)).is_some()
}

/// Where `account`'s token would be read from; asks the keychain without keeping the token.
pub(crate) fn source_of(keychain: &KeychainStore, account: &str) -> TokenSource {
    if env_is_set(account) {
        return TokenSource::Env;
    }
    match keychain.get(account) {
        Ok(Some(_)) => TokenSource::Keychain,
        Ok(None) => TokenSource::Missing,
        Err(_) => TokenSource::KeychainUnavailable,
    }
}

/// The token for a new connection: all of standard input with `--token-stdin` (surrounding
/// whitespace dropped in place, so no unzeroized copy is made), else the environment variable.
pub(crate) fn read_new(token_stdin: bool, account: &str) -> Result<Secret, Failure> {
    let var = env_var_for(account);
    if token_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::usage(
                "token_unreadable",
                format!("cannot read the token from standard input: {e}"),
            )
        })?;
        let end = text.trim_end().len();
        text.truncate(end);
        let start = text.len() - text.trim_start().len();
        text.drain(..start);
        if text.is_empty() {
            return Err(Failure::usage(
                "token_missing",
                "standard input held no token; pipe it in, e.g. `timebridge connections add … --token-stdin < token.txt`",
            ));
        }
        return Ok(Secret::new(text));
    }
    match std::env::var(&var) {
        Ok(token) if !token.trim().is_empty() => Ok(Secret::new(token)),
        _ => Err(Failure::usage(
            "token_missing",
            format!("no token given: pipe it in with --token-stdin, or set {var}"),
        )),
    }
}

/// What happened to the token of a new connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Stored {
    /// It is in the keychain now.
    Keychain,
    /// Nothing was stored: there is no usable keychain, and the environment variable provides
    /// the token on every run.
    EnvOnly,
}

/// Stores the token in the keychain; with no usable keychain, stores nothing if the variable
/// is set (and says so), else fails with the keychain's explanation (exit 3).
pub(crate) fn store_new(
    keychain: &KeychainStore,
    account: &str,
    token: &Secret,
) -> Result<Stored, Failure> {
    match keychain.set(account, token) {
        Ok(()) => Ok(Stored::Keychain),
        Err(SecretError::Unavailable { .. }) if env_is_set(account) => Ok(Stored::EnvOnly),
        Err(e) => Err(e.into()),
    }
}

//! The one error shape the UI sees. The UI branches on [`ErrorCode`], never on the message,
//! which is for people. A code is added only when some consumer acts on it differently.

use serde::{Deserialize, Serialize};

/// What went wrong, as a closed set the UI can branch on.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The data directory cannot be created or written to.
    DataDirUnavailable,
    /// The database was written by a newer Timebridge; this version must not touch it.
    DatabaseTooNew,
    /// The database file is damaged or is not a Timebridge database.
    DatabaseCorrupt,
    /// Another process holds the database and did not let go in time.
    DatabaseBusy,
    /// The request was malformed (a bug in the caller, or bad user input).
    Validation,
    /// Nothing is set up yet (no Kimai connection, no billing timezone): show the wizard.
    NotConfigured,
    /// A connection's token is not stored (keychain emptied, another machine).
    TokenMissing,
    /// The OS keychain cannot be used (no Secret Service, locked).
    KeychainUnavailable,
    /// A server rejected the token (expired, revoked): enter a new one.
    AuthFailed,
    /// A server cannot be reached now; nothing was lost, try again later.
    Offline,
    /// A server answered with an error that retrying will not fix.
    Remote,
    /// A sync (or billing run) is going on; try again when it has finished.
    SyncRunning,
    /// The thing asked for does not exist (run, connection, entry).
    NotFound,
    /// Billing is blocked (conflicts, pending writes…) and no override reason was given.
    Blocked,
    /// This build cannot do that yet.
    NotSupported,
    /// Anything else: a bug. The message and the log say more.
    Internal,
}

impl ErrorCode {
    /// The stable string form, as serialized (`data_dir_unavailable`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DataDirUnavailable => "data_dir_unavailable",
            Self::DatabaseTooNew => "database_too_new",
            Self::DatabaseCorrupt => "database_corrupt",
            Self::DatabaseBusy => "database_busy",
            Self::Validation => "validation",
            Self::NotConfigured => "not_configured",
            Self::TokenMissing => "token_missing",
            Self::KeychainUnavailable => "keychain_unavailable",
            Self::AuthFailed => "auth_failed",
            Self::Offline => "offline",
            Self::Remote => "remote",
            Self::SyncRunning => "sync_running",
            Self::NotFound => "not_found",
            Self::Blocked => "blocked",
            Self::NotSupported => "not_supported",
            Self::Internal => "internal",
        }
    }
}

/// An error as the UI receives it from a command.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// A sentence for the user: what happened and what to do about it.
    pub message: String,
    /// Whether trying the same thing again later may succeed.
    pub retryable: bool,
}

impl ApiError {
    /// A new error that is not worth retrying as is.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retryable: false,
        }
    }

    /// A new error that may go away when tried again later.
    pub fn retryable(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            retryable: true,
            ..Self::new(code, message)
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

impl std::error::Error for ApiError {}

/// The result of every command.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_stable_strings() {
        for code in [
            ErrorCode::DataDirUnavailable,
            ErrorCode::DatabaseTooNew,
            ErrorCode::DatabaseCorrupt,
            ErrorCode::DatabaseBusy,
            ErrorCode::Validation,
            ErrorCode::NotConfigured,
            ErrorCode::TokenMissing,
            ErrorCode::KeychainUnavailable,
            ErrorCode::AuthFailed,
            ErrorCode::Offline,
            ErrorCode::Remote,
            ErrorCode::SyncRunning,
            ErrorCode::NotFound,
            ErrorCode::Blocked,
            ErrorCode::NotSupported,
            ErrorCode::Internal,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", code.as_str()),
                "UI matches on these strings"
            );
        }
    }

    #[test]
    fn api_error_round_trips_in_camel_case() {
        let err = ApiError::new(ErrorCode::DatabaseTooNew, "too new");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "database_too_new");
        assert_eq!(json["retryable"], false);
        let back: ApiError = serde_json::from_value(json).unwrap();
        assert_eq!(back, err);
    }
}

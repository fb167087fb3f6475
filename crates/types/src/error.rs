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

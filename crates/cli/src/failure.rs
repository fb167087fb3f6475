//! How a command fails: one exit code per kind of cause, so scripts and cron jobs can tell
//! "fix the input" from "the server is down" from "no keychain" without parsing text, plus a
//! stable `code` string and the plain message for people.

use serde::Serialize;
use timebridge_core::connections::CheckProblem;
use timebridge_core::engine::EngineError;
use timebridge_core::secrets::SecretError;
use timebridge_core::{Error as CoreError, PathError, StoreError};

/// The process exit codes, documented in `--help` ([`EXIT_CODES_HELP`]) and the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Bad usage or input: unknown option, invalid key or unit, no such connection, a second
    /// Kimai, no token given.
    Usage = 1,
    /// The server check failed (DNS, TLS, refused, 401/403, not a Kimai/Zammad…).
    Connection = 2,
    /// The token cannot be read or stored: no usable keychain (and no environment variable),
    /// or no token stored for the connection.
    Token = 3,
    /// The data directory or the database cannot be used.
    Database = 4,
}

/// The exit code table shown at the end of `--help`.
pub(crate) const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  bad usage or input (invalid key or unit, unknown connection or run, a second Kimai, no
     token), or not configured for sync (no Kimai connection, no billing timezone)
  2  connection problem: the server check failed (DNS, TLS, refused, token rejected, missing
     permission, not a Kimai/Zammad at that address), or a sync ended offline or failed
  3  token unavailable: no usable keychain and no TIMEBRIDGE_TOKEN_<ACCOUNT> variable, or no
     token stored for the connection
  4  the data directory or the database cannot be used

Tokens are read only from standard input (--token-stdin) or from the environment variable
TIMEBRIDGE_TOKEN_<ACCOUNT> (TIMEBRIDGE_TOKEN_KIMAI, TIMEBRIDGE_TOKEN_ZAMMAD_<KEY>), which also
overrides the keychain when reading. They are never printed.";

/// A failed command: what to exit with, a stable code and the message. Never holds a token.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The exit code.
    pub(crate) exit: Exit,
    /// A stable snake_case identifier (a check problem's own code for [`Exit::Connection`]).
    pub(crate) code: String,
    /// What is wrong and what to do.
    pub(crate) message: String,
    /// Whether the command already printed its own JSON document for this failure.
    pub(crate) json_printed: bool,
}

/// The JSON printed on stdout instead of a result when a command fails under `--json`.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorJson<'a> {
    /// The failure's code, message and exit code.
    pub(crate) error: ErrorBody<'a>,
}

/// `{"error": {"code", "message", "exit_code"}}`.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorBody<'a> {
    /// See [`Failure::code`].
    pub(crate) code: &'a str,
    /// See [`Failure::message`].
    pub(crate) message: &'a str,
    /// The process exit code.
    pub(crate) exit_code: i32,
}

impl Failure {
    /// A usage or input failure.
    pub(crate) fn usage(code: &str, message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            code: code.into(),
            message: message.into(),
            json_printed: false,
        }
    }

    /// A token that cannot be had.
    pub(crate) fn token(code: &str, message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Token,
            code: code.into(),
            message: message.into(),
            json_printed: false,
        }
    }

    /// A remote problem outside a check: a sync that ended offline or failed.
    pub(crate) fn connection(code: &str, message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Connection,
            code: code.into(),
            message: message.into(),
            json_printed: false,
        }
    }

    /// The check's diagnosis, with its own code (`auth_failed`, `tls`, …).
    pub(crate) fn check(problem: &CheckProblem) -> Self {
        Self {
            exit: Exit::Connection,
            code: problem.code().into(),
            message: problem.message(),
            json_printed: false,
        }
    }

    /// Marks that the command printed its own JSON document (when `json`), so no generic
    /// error document follows it.
    pub(crate) fn already_printed(mut self, json: bool) -> Self {
        self.json_printed = json;
        self
    }

    /// The failure as the `--json` error object.
    pub(crate) fn to_json(&self) -> ErrorJson<'_> {
        ErrorJson {
            error: ErrorBody {
                code: &self.code,
                message: &self.message,
                exit_code: self.exit as i32,
            },
        }
    }
}

impl From<SecretError> for Failure {
    fn from(err: SecretError) -> Self {
        let code = match err {
            SecretError::Unavailable { .. } => "keychain_unavailable",
            _ => "keychain_refused",
        };
        Self::token(code, err.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Self {
        Self {
            exit: Exit::Database,
            code: "database".into(),
            message: err.to_string(),
            json_printed: false,
        }
    }
}

impl From<EngineError> for Failure {
    fn from(err: EngineError) -> Self {
        match err {
            EngineError::Store(e) => e.into(),
            EngineError::Busy => Failure::connection("busy", err.to_string()),
            other => Self {
                exit: Exit::Database,
                code: "lock".into(),
                message: other.to_string(),
                json_printed: false,
            },
        }
    }
}

impl From<PathError> for Failure {
    fn from(err: PathError) -> Self {
        Self {
            exit: Exit::Database,
            code: "data_dir".into(),
            message: err.to_string(),
            json_printed: false,
        }
    }
}

impl From<CoreError> for Failure {
    fn from(err: CoreError) -> Self {
        if let CoreError::DataDir(e) = err {
            return e.into();
        }
        Self {
            exit: Exit::Database,
            code: "database".into(),
            message: err.to_string(),
            json_printed: false,
        }
    }
}

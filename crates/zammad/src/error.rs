//! Everything that can go wrong talking to Zammad, as one typed error the sync engine can
//! branch on. The mapping follows Zammad's own status semantics (docs/api-notes.md): a missing
//! credential is a **403** "Authentication required", which means "not logged in", not
//! "missing permission" (docs/api-notes.md §19); a permission the *token* lacks says "(token)".

use std::time::Duration;

use timebridge_http::{Response, SendError};

/// A failed Zammad call. Messages never contain the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZammadError {
    /// The server does not accept the credentials: 401 (wrong or expired token, inactive
    /// user) or 403 "Authentication required" (no credentials reached Zammad).
    #[error("Zammad did not accept the token: {detail}")]
    AuthFailed {
        /// Zammad's message.
        detail: String,
    },
    /// Logged in, but not allowed (403).
    #[error("Zammad refused the request: {detail}")]
    Forbidden {
        /// Zammad's message, e.g. "Not authorized" or "Time Accounting is not enabled".
        detail: String,
        /// True when the user may, but the token's own permission list does not allow it
        /// ("Not authorized (token)!"): create a token with more permissions.
        token_scope: bool,
    },
    /// The record does not exist (404), e.g. a deleted ticket or an entry of another ticket.
    #[error("not found in Zammad: {detail}")]
    NotFound {
        /// Zammad's message.
        detail: String,
    },
    /// Zammad rejected the data (422).
    #[error("Zammad rejected the data: {message}")]
    Validation {
        /// Zammad's message.
        message: String,
    },
    /// Too many requests (429).
    #[error("Zammad asks to slow down (retry after {retry_after:?})")]
    RateLimited {
        /// The server's `Retry-After`, when given in seconds.
        retry_after: Option<Duration>,
    },
    /// Any other unexpected status (5xx and the rest).
    #[error("Zammad answered HTTP {status}: {excerpt}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        excerpt: String,
    },
    /// No response (timeout, DNS, refused, TLS, broken connection).
    #[error(transparent)]
    Transport(#[from] SendError),
    /// A successful response whose JSON does not match the expected shape.
    #[error("unexpected JSON from Zammad at {path}: {message}")]
    Decode {
        /// The JSON path of the offending value, e.g. `[3].time_unit`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The server does not look like Zammad (HTML, another API's JSON…): wrong URL?
    #[error("this does not look like a Zammad server: {detail}")]
    NotZammad {
        /// What was seen instead.
        detail: String,
    },
    /// A listing did not end within the page bound: what was read is incomplete, and nothing
    /// may be concluded from it (least of all that something was deleted).
    #[error("the listing {what} did not end after {pages} pages; treating the read as incomplete")]
    IncompleteRead {
        /// Which listing.
        what: String,
        /// How many pages were read.
        pages: u32,
    },
}

impl ZammadError {
    /// Whether trying the same call again later may succeed (rate limits, server errors,
    /// network trouble). Auth, permission, validation and decode errors are not retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } => true,
            Self::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            Self::Transport(e) => !matches!(e, SendError::Tls(_)),
            _ => false,
        }
    }

    /// Maps a non-success response to an error.
    pub(crate) fn from_response(resp: &Response) -> Self {
        let detail = error_detail(resp);
        match resp.status {
            401 => Self::AuthFailed { detail },
            403 if detail.eq_ignore_ascii_case("Authentication required") => {
                Self::AuthFailed { detail }
            }
            403 => Self::Forbidden {
                token_scope: detail.contains("(token)"),
                detail,
            },
            404 => Self::NotFound { detail },
            422 => Self::Validation { message: detail },
            429 => Self::RateLimited {
                retry_after: resp.retry_after(),
            },
            status => Self::Server {
                status,
                excerpt: resp.excerpt(),
            },
        }
    }
}

/// Zammad's human message: `error_human`, else `error`, else the `X-Failure` header, else the
/// body's start.
fn error_detail(resp: &Response) -> String {
    let from_body = serde_json::from_slice::<serde_json::Value>(&resp.body)
        .ok()
        .and_then(|v| {
            ["error_human", "error"]
                .iter()
                .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_string))
        })
        .filter(|s| !s.is_empty());
    from_body
        .or_else(|| resp.header("x-failure").map(str::to_string))
        .unwrap_or_else(|| resp.excerpt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: Default::default(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn retryable_only_for_transient_failures() {
        assert!(ZammadError::from_response(&resp(503, "")).is_retryable());
        assert!(ZammadError::from_response(&resp(429, "")).is_retryable());
        assert!(!ZammadError::from_response(&resp(401, "{}")).is_retryable());
        assert!(!ZammadError::from_response(&resp(422, "{}")).is_retryable());
        assert!(ZammadError::Transport(SendError::Timeout(Duration::from_secs(1))).is_retryable());
        assert!(!ZammadError::Transport(SendError::Tls("x".into())).is_retryable());
    }

    #[test]
    fn error_human_wins_over_error() {
        let e = ZammadError::from_response(&resp(
            403,
            r#"{"error":"Not authorized","error_human":"Time Accounting is not enabled"}"#,
        ));
        assert!(
            matches!(e, ZammadError::Forbidden { ref detail, token_scope: false }
            if detail == "Time Accounting is not enabled")
        );
    }
}

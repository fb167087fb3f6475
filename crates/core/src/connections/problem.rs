//! [`CheckProblem`]: the one vocabulary both connection checks answer in, so the UI and the
//! CLI show the same specific diagnosis ("the certificate is not trusted", "the token lacks
//! `ticket.agent`") for either server instead of a generic "connection failed".

use serde::Serialize;
use timebridge_http::{BaseUrlError, SendError};

/// What is wrong with a connection, specifically enough to act on. Serialized with a `kind`
/// tag (`{"kind": "forbidden", "permission": "ticket.agent", …}`); [`CheckProblem::code`]
/// gives the same stable string. No variant ever carries the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckProblem {
    /// The URL is not usable: not a URL, not http(s), credentials or a query in it, or plain
    /// http to another machine without the explicit opt-in.
    InvalidUrl {
        /// Why, in plain words.
        detail: String,
    },
    /// The host name does not resolve.
    Dns {
        /// The resolver's answer.
        detail: String,
    },
    /// The host answers, but nothing listens on that port.
    Refused {
        /// The system's answer.
        detail: String,
    },
    /// The secure connection failed: untrusted or self-signed certificate, wrong host name.
    Tls {
        /// The TLS library's answer.
        detail: String,
    },
    /// No complete answer in time.
    Timeout {
        /// How long the check waited.
        seconds: u64,
    },
    /// Any other network failure (connection broke, no route to host…).
    Unreachable {
        /// The system's answer.
        detail: String,
    },
    /// The server does not accept the token: wrong, expired, revoked, its user inactive, or
    /// no usable token reached it (Zammad's 403 "Authentication required", docs/api-notes.md §19).
    AuthFailed {
        /// The server's reason, when it gave one.
        detail: String,
    },
    /// The token works but may not do something the sync needs.
    Forbidden {
        /// The missing permission, when known (`ticket.agent`, `admin.time_accounting`,
        /// `api_access`).
        permission: Option<String>,
        /// What the server said, or what was found.
        detail: String,
    },
    /// The address answers, but it is not a Kimai API (e.g. a Zammad URL, a web page).
    NotKimai {
        /// What was seen instead.
        detail: String,
    },
    /// The address answers, but it is not a Zammad API (e.g. a Kimai URL, a web page).
    NotZammad {
        /// What was seen instead.
        detail: String,
    },
    /// The server asks to slow down (429).
    RateLimited {
        /// Seconds the server asked to wait, if it said.
        retry_after_seconds: Option<u64>,
    },
    /// The server failed (5xx) or answered with another unexpected status.
    ServerError {
        /// The HTTP status.
        status: u16,
    },
    /// The right product answered, but with data this version of Timebridge cannot read.
    UnexpectedResponse {
        /// What did not fit.
        detail: String,
    },
}

impl CheckProblem {
    /// A stable identifier for scripts and UI branches (equal to the serialized `kind`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "invalid_url",
            Self::Dns { .. } => "dns",
            Self::Refused { .. } => "refused",
            Self::Tls { .. } => "tls",
            Self::Timeout { .. } => "timeout",
            Self::Unreachable { .. } => "unreachable",
            Self::AuthFailed { .. } => "auth_failed",
            Self::Forbidden { .. } => "forbidden",
            Self::NotKimai { .. } => "not_kimai",
            Self::NotZammad { .. } => "not_zammad",
            Self::RateLimited { .. } => "rate_limited",
            Self::ServerError { .. } => "server_error",
            Self::UnexpectedResponse { .. } => "unexpected_response",
        }
    }

    /// Whether the same check may succeed later without the user changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Timeout { .. }
                | Self::Unreachable { .. }
                | Self::RateLimited { .. }
                | Self::ServerError { .. }
        )
    }

    /// What is wrong and what to do, in plain words for the user.
    pub fn message(&self) -> String {
        match self {
            Self::InvalidUrl { detail } => format!(
                "The address is not usable: {detail}. Enter the address you open in the \
                 browser, starting with https://."
            ),
            Self::Dns { .. } => "The server name cannot be found. Check the address for typos; \
                 if it is correct, check your internet connection or VPN."
                .into(),
            Self::Refused { .. } => "The server refused the connection: nothing answers at that \
                 address and port. Check the port in the address, and whether the server is \
                 running."
                .into(),
            Self::Tls { detail } => format!(
                "The secure connection failed ({detail}). Either the server's certificate is \
                 not trusted (self-signed, expired, or for another name): install a valid \
                 certificate on the server or trust it on this computer; or nothing speaks \
                 https on that port: check the port and the scheme of the address."
            ),
            Self::Timeout { seconds } => format!(
                "The server did not answer within {seconds} seconds. It may be overloaded or \
                 blocked by a firewall; try again later."
            ),
            Self::Unreachable { detail } => format!(
                "The server cannot be reached ({detail}). Check your network connection and \
                 try again."
            ),
            Self::AuthFailed { detail } => format!(
                "The API token was not accepted ({detail}): it may be wrong, expired or \
                 revoked, or its user inactive. Create a new token in your user profile \
                 (Kimai: API access; Zammad: Token Access) and enter it again."
            ),
            Self::Forbidden {
                permission: Some(p),
                detail,
            } => format!(
                "The token works but lacks the permission \"{p}\" ({detail}). Create a new \
                 token that includes \"{p}\", or ask an administrator to grant it."
            ),
            Self::Forbidden {
                permission: None,
                detail,
            } => format!(
                "The server refused access ({detail}). Ask an administrator to check this \
                 user's permissions and whether API token access is switched on."
            ),
            Self::NotKimai { .. } => "This address does not answer like a Kimai server. Enter \
                 the address of your Kimai (the one you open in the browser, without /api); \
                 check you did not enter the Zammad address here."
                .into(),
            Self::NotZammad { .. } => "This address does not answer like a Zammad server. \
                 Enter the address of the Zammad helpdesk (without /api/v1); check you did not \
                 enter the Kimai address here."
                .into(),
            Self::RateLimited {
                retry_after_seconds,
            } => match retry_after_seconds {
                Some(s) => format!("The server asks to slow down; try again in {s} seconds."),
                None => "The server asks to slow down; try again in a minute.".into(),
            },
            Self::ServerError { status } => format!(
                "The server had a problem (HTTP {status}). Try again later; if it persists, \
                 tell the server's administrator."
            ),
            Self::UnexpectedResponse { detail } => format!(
                "The server answered with data Timebridge does not understand ({detail}). Its \
                 version may not be supported."
            ),
        }
    }

    /// Why no answer arrived.
    pub(crate) fn from_send(err: &SendError) -> Self {
        match err {
            SendError::Dns(d) => Self::Dns { detail: d.clone() },
            SendError::Refused(d) => Self::Refused { detail: d.clone() },
            SendError::Tls(d) => Self::Tls { detail: d.clone() },
            SendError::Timeout(t) => Self::Timeout {
                seconds: t.as_secs().max(1),
            },
            other => Self::Unreachable {
                detail: other.to_string(),
            },
        }
    }

    /// Why the URL was refused before any request.
    pub(crate) fn from_url(err: &BaseUrlError) -> Self {
        Self::InvalidUrl {
            detail: err.to_string(),
        }
    }
}

impl std::fmt::Display for CheckProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CheckProblem {}

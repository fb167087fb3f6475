//! The Kimai check: `/api/version` proves a Kimai answers and the token works (Kimai's API
//! needs authentication even for it), `/api/users/me` gives the account and its timezone.

use serde::Serialize;
use timebridge_http::{BaseUrl, HttpConfig, Secret};
use timebridge_kimai::{KimaiClient, KimaiError};

use super::{check_config, usable_token, CheckProblem};

/// A working Kimai connection, as the check found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KimaiAccount {
    /// The Kimai version, e.g. `2.66.0`.
    pub version: String,
    /// The numeric version, e.g. `26600`.
    pub version_id: u64,
    /// The token's user id.
    pub user_id: i64,
    /// The token's user name.
    pub username: String,
    /// The display alias, if set.
    pub alias: Option<String>,
    /// The user's IANA timezone: Kimai reads and writes wall times in it, and it is the
    /// default billing timezone.
    pub timezone: String,
    /// The user's roles as Kimai shows them (`ROLE_USER`, `ROLE_SUPER_ADMIN`…); Kimai does not
    /// expose single permissions over the API.
    pub roles: Vec<String>,
}

/// The outcome of [`check_kimai`].
pub type KimaiCheck = Result<KimaiAccount, CheckProblem>;

/// Checks the Kimai at `url` with the API `token`: one quick attempt per call (timeout at most
/// 10 s, no retries). `allow_insecure_http` is the per-connection opt-in for plain http to
/// another machine.
pub async fn check_kimai(
    url: &str,
    allow_insecure_http: bool,
    token: Secret,
    config: HttpConfig,
) -> KimaiCheck {
    let base = BaseUrl::parse(url, allow_insecure_http).map_err(|e| CheckProblem::from_url(&e))?;
    let token = usable_token(&token)?;
    let client = KimaiClient::new(base, token, check_config(config)).map_err(classify)?;
    let version = client.version().await.map_err(classify)?;
    let me = client.me().await.map_err(classify)?;
    Ok(KimaiAccount {
        version: version.version,
        version_id: version.version_id,
        user_id: me.id,
        username: me.username,
        alias: me.alias,
        timezone: me.timezone,
        roles: me.roles,
    })
}

/// Turns a failed Kimai call into what the user must fix (docs/api-notes.md §19: with a Bearer token, 401 is
/// a rejected token and 403 a missing permission).
pub(super) fn classify(err: KimaiError) -> CheckProblem {
    match err {
        KimaiError::Transport(e) => CheckProblem::from_send(&e),
        KimaiError::AuthFailed => CheckProblem::AuthFailed {
            detail: "Kimai answered 401".into(),
        },
        KimaiError::Forbidden { message } => CheckProblem::Forbidden {
            // With a valid token, only the role's `api_access` (or an unfinished 2FA login)
            // keeps a user out of /api/version and /api/users/me (docs/api-notes.md).
            permission: Some("api_access".into()),
            detail: if message.is_empty() {
                "Kimai answered 403".into()
            } else {
                format!("Kimai answered 403 {message}")
            },
        },
        KimaiError::NotKimai { detail } => CheckProblem::NotKimai { detail },
        KimaiError::NotFound => CheckProblem::NotKimai {
            detail: "the Kimai API endpoint does not exist at this address (404)".into(),
        },
        KimaiError::RateLimited { retry_after } => CheckProblem::RateLimited {
            retry_after_seconds: retry_after.map(|d| d.as_secs()),
        },
        KimaiError::Server { status, .. } => CheckProblem::ServerError { status },
        other => CheckProblem::UnexpectedResponse {
            detail: other.to_string(),
        },
    }
}

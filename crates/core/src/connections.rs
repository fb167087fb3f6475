//! "Test connection": checks one Kimai or Zammad connection and says
//! *specifically* what is wrong — DNS, refused, TLS, timeout, a rejected token (401, and
//! Zammad's 403 "Authentication required", docs/api-notes.md §19), a missing permission (which one), or a
//! URL where another product answers — so a user can fix it without reading logs.
//!
//! On success it reports what the sync needs to know up front: the Kimai user's timezone
//! (every wall time is in it), and the Zammad user's group access and admin status, which
//! decide whether entries can be read at all (docs/api-notes.md §18) and which incremental strategy applies.
//!
//! A check is one quick attempt: a short timeout and no retries, so a user clicking "Test"
//! gets an answer in seconds. Tokens are [`Secret`]s and never appear in a result.

mod kimai;
mod problem;
mod zammad;

#[cfg(test)]
mod tests;

use std::time::Duration;

use timebridge_http::{HttpConfig, RetryPolicy, Secret};

pub use kimai::{check_kimai, KimaiAccount, KimaiCheck};
pub use problem::CheckProblem;
pub(crate) use zammad::settings as zammad_settings;
pub use zammad::{
    check_zammad, GroupAccess, IncrementalStrategy, TimeAccountingSettings, ZammadAccount,
    ZammadCheck, ZammadWarning,
};

/// The longest a check waits for one answer.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// `config` made fit for a check: at most [`CHECK_TIMEOUT`] per request, no retries.
fn check_config(mut config: HttpConfig) -> HttpConfig {
    config.timeout = config.timeout.min(CHECK_TIMEOUT);
    config.retry = RetryPolicy::none();
    config
}

/// The token without the whitespace a paste often adds, or why it cannot be a token at all
/// (empty, or characters an HTTP header cannot carry). Never echoes the token.
fn usable_token(token: &Secret) -> Result<Secret, CheckProblem> {
    let trimmed = token.expose().trim();
    if trimmed.is_empty() {
        return Err(CheckProblem::AuthFailed {
            detail: "no token was entered".into(),
        });
    }
    if !trimmed.chars().all(|c| c.is_ascii_graphic()) {
        return Err(CheckProblem::AuthFailed {
            detail: "the token contains spaces or characters no API token has; copy it again"
                .into(),
        });
    }
    Ok(Secret::new(trimmed))
}

//! Who is calling, and may they? Zammad's answers differ by case and a sync tool must tell
//! them apart (docs/api-notes.md §19): no credentials → **403** "Authentication required", a wrong token →
//! 401, a permission the user has but the token's own list lacks → 403 "Not authorized
//! (token)!". Errors carry `{error, error_human}` and, on 401/403, an `X-Failure` header.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::seed::SeedUser;
use super::state::State;

/// An error answer in Zammad's shape.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    pub(crate) fn not_authorized() -> Self {
        Self::forbidden("Not authorized")
    }
    pub(crate) fn not_found(model: &str, id: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("Couldn't find {model} with 'id'={id}"),
        )
    }
    pub(crate) fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.message, "error_human": self.message});
        let mut resp = (self.status, Json(body)).into_response();
        if matches!(self.status.as_u16(), 401 | 403) {
            if let Ok(v) = HeaderValue::from_str(&self.message) {
                resp.headers_mut().insert("x-failure", v);
            }
        }
        resp
    }
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) user: SeedUser,
    /// `None`: no token restriction (acting via `From`, whose target's rights apply).
    token_permissions: Option<Vec<String>>,
}

/// Whether `granted` (a list of permission names) covers `wanted`; a parent covers its
/// children (`admin` covers `admin.time_accounting`).
fn covers(granted: &[String], wanted: &str) -> bool {
    granted
        .iter()
        .any(|g| g == wanted || wanted.starts_with(&format!("{g}.")))
}

impl Caller {
    /// Checks one permission, telling "the user may not" from "the token may not".
    pub(crate) fn require(&self, permission: &str) -> Result<(), ApiError> {
        if !covers(&self.user.permissions, permission) {
            return Err(ApiError::not_authorized());
        }
        match &self.token_permissions {
            Some(t) if !covers(t, permission) => {
                Err(ApiError::forbidden("Not authorized (token)!"))
            }
            _ => Ok(()),
        }
    }

    /// Whether the permission is usable (user and token).
    pub(crate) fn has(&self, permission: &str) -> bool {
        self.require(permission).is_ok()
    }

    fn access(&self, group_id: i64) -> &[String] {
        self.user
            .group_access
            .get(&group_id.to_string())
            .map_or(&[], Vec::as_slice)
    }

    /// Read access to a group's tickets (agents only).
    pub(crate) fn can_read_group(&self, group_id: i64) -> bool {
        self.has("ticket.agent")
            && self
                .access(group_id)
                .iter()
                .any(|a| matches!(a.as_str(), "full" | "read" | "change"))
    }

    /// Whether the user's group access map grants change access (permissions not checked).
    pub(crate) fn group_allows_change(&self, group_id: i64) -> bool {
        self.access(group_id)
            .iter()
            .any(|a| matches!(a.as_str(), "full" | "change"))
    }
}

/// The token of an `Authorization` header: `Token token=…`, `Token …` or `Bearer …`.
fn token_of(header: &str) -> Option<&str> {
    let rest = header
        .strip_prefix("Token")
        .or_else(|| header.strip_prefix("Bearer"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("token=").unwrap_or(rest);
    let rest = rest.split(',').next().unwrap_or("").trim();
    Some(rest.trim_matches('"'))
}

/// Authenticates a request: token first, then `From` (acting as another user, needs
/// `admin.user`).
pub(crate) fn authenticate(state: &State, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(header) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(ApiError::forbidden("Authentication required"));
    };
    if header.starts_with("Basic ") {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Invalid BasicAuth credentials",
        ));
    }
    let user = token_of(header)
        .filter(|t| !t.is_empty())
        .and_then(|t| state.users.iter().find(|u| u.token.as_deref() == Some(t)))
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "Can't find User for Token"))?;
    if !user.active {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Login failed. Have you double-checked your credentials and completed the email verification step?",
        ));
    }
    let caller = Caller {
        user: user.clone(),
        token_permissions: Some(
            user.token_permissions
                .clone()
                .unwrap_or_else(|| user.permissions.clone()),
        ),
    };
    let Some(from) = headers.get("from").and_then(|v| v.to_str().ok()) else {
        return Ok(caller);
    };
    caller.require("admin.user")?;
    let target = state
        .users
        .iter()
        .find(|u| u.id.to_string() == from || u.login == from || u.email == from)
        .ok_or_else(|| ApiError::forbidden(format!("No such user '{from}'")))?;
    Ok(Caller {
        user: target.clone(),
        token_permissions: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_token_forms() {
        assert_eq!(token_of("Token token=abc"), Some("abc"));
        assert_eq!(token_of("Token abc"), Some("abc"));
        assert_eq!(token_of("Bearer abc"), Some("abc"));
        assert_eq!(token_of("Token token=\"abc\""), Some("abc"));
        assert_eq!(token_of("Tokenabc"), None);
    }
}

//! Who am I and what is configured: `users/me`, `signshow` (the frontend settings any user may
//! read, including the time accounting unit) and organizations.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::zammad::auth::{authenticate, ApiError};
use crate::zammad::ZammadSim;

/// `GET /api/v1/users/me`
pub(crate) async fn me(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let state = sim.state.lock();
    let caller = authenticate(&state, &headers)?;
    Ok(Json(state.user_json(&caller.user)))
}

/// `GET /api/v1/signshow`: the session and the frontend config. Without credentials Zammad
/// answers 200 with `"error": "no valid session"` and the public config.
pub(crate) async fn signshow(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let state = sim.state.lock();
    let s = &state.settings;
    let config = json!({
        "product_name": "Zammad", "api_token_access": true,
        "time_accounting": s.time_accounting, "time_accounting_unit": s.unit,
        "time_accounting_unit_custom": s.unit_custom, "time_accounting_types": s.types,
    });
    if headers.get("authorization").is_none() {
        return Ok(Json(json!({"error": "no valid session", "config": config})));
    }
    let caller = authenticate(&state, &headers)?;
    Ok(Json(json!({
        "session": state.user_json(&caller.user), "models": {}, "collections": {},
        "config": config,
    })))
}

/// `GET /api/v1/organizations/{id}`: agents see all; others only their own (else `{}`).
pub(crate) async fn organization(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let state = sim.state.lock();
    let caller = authenticate(&state, &headers)?;
    let name = state
        .organizations
        .get(&id)
        .ok_or_else(|| ApiError::not_found("Organization", id))?;
    if !caller.has("ticket.agent")
        && !caller.has("admin")
        && caller.user.organization_id != Some(id)
    {
        return Ok(Json(json!({})));
    }
    Ok(Json(state.organization_json(id, name)))
}

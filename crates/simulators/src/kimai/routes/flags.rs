//! The two record endpoints that are not the edit form: `PATCH /export`, which toggles
//! (docs/api-notes.md §20) and needs export permissions, and `PATCH /meta`, which only knows
//! registered fields.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;

use super::super::{wire, KimaiSim};
use super::read::{timesheet_json, visible_record};
use super::write::{id_of, may_change, parse_body};
use super::Res;

pub(super) async fn toggle_export(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Res {
    let me = sim.auth(&headers)?;
    let id = id_of(&id)?;
    let now = sim.clock.now();
    let mut db = sim.state.lock();
    let mut t = visible_record(&db, &me, id)?;
    if !me.role.edit_export() || (t.exported && !me.role.edit_exported()) {
        return Err(wire::forbidden());
    }
    t.exported = !t.exported; // a toggle, not a setter (docs/api-notes.md §20)
    t.modified_at = Some(now);
    db.timesheets.insert(id, t.clone());
    Ok(Json(timesheet_json(&db, &t, &me, true)).into_response())
}

pub(super) async fn meta(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Res {
    let me = sim.auth(&headers)?;
    let id = id_of(&id)?;
    let body = parse_body(&body)?;
    let now = sim.clock.now();
    let mut db = sim.state.lock();
    let mut t = visible_record(&db, &me, id)?;
    may_change(&db, &me, &t)?;
    let Some(name) = body.get("name").and_then(Value::as_str) else {
        return Err(wire::bad_request());
    };
    if !db.meta_fields.iter().any(|m| m == name) {
        return Err(wire::not_found());
    }
    let value = match body.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    t.meta.insert(name.to_string(), value);
    t.modified_at = Some(now);
    db.timesheets.insert(id, t.clone());
    Ok(Json(timesheet_json(&db, &t, &me, true)).into_response())
}

//! Time accounting CRUD with Zammad 6.5's policy matrix (docs/api-notes.md §18): agents with
//! **change** access to the ticket's group may list, show and create (create only while the
//! `time_accounting` setting is on); update, destroy, the global list and the types are for
//! `admin.time_accounting` only. Deletes are hard deletes.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{decimal_param, json_body, page_of, paging, Params};
use crate::zammad::auth::{authenticate, ApiError, Caller};
use crate::zammad::state::{SimTimeAccounting, State as Db};
use crate::zammad::ZammadSim;

const ADMIN: &str = "admin.time_accounting";

/// Read access to a ticket's entries: admin, or an agent with change access to its group.
fn may_read(caller: &Caller, group_id: i64) -> Result<(), ApiError> {
    let admin = caller.require(ADMIN);
    if admin.is_ok() {
        return Ok(());
    }
    if caller.group_allows_change(group_id) {
        return caller.require("ticket.agent");
    }
    admin
}

fn may_create(db: &Db, caller: &Caller, group_id: i64) -> Result<(), ApiError> {
    may_read(caller, group_id)?;
    if !caller.has(ADMIN) && !db.settings.time_accounting {
        return Err(ApiError::forbidden("Time Accounting is not enabled"));
    }
    Ok(())
}

fn ticket_group(db: &Db, ticket_id: i64) -> Result<i64, ApiError> {
    db.tickets
        .get(&ticket_id)
        .map(|t| t.group_id)
        .ok_or_else(|| ApiError::not_found("Ticket", ticket_id))
}

fn entry_of(db: &Db, ticket_id: Option<i64>, id: i64) -> Result<SimTimeAccounting, ApiError> {
    db.entries
        .get(&id)
        .filter(|e| ticket_id.is_none_or(|t| e.ticket_id == t))
        .cloned()
        .ok_or_else(|| ApiError::not_found("Ticket::TimeAccounting", id))
}

fn list(db: &Db, ticket_id: Option<i64>, params: &Params) -> Result<Value, ApiError> {
    let (page, per_page) = paging(params, 500, 1000);
    let mut rows: Vec<&SimTimeAccounting> = db
        .entries
        .values()
        .filter(|e| ticket_id.is_none_or(|t| e.ticket_id == t))
        .collect();
    let key = params.get("sort_by").map_or("id", String::as_str);
    match key {
        "id" => {}
        "created_at" => rows.sort_by_key(|e| (e.created_at, e.id)),
        "updated_at" => rows.sort_by_key(|e| (e.updated_at, e.id)),
        other => {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("Found invalid column '{other}' for sorting."),
            ))
        }
    }
    if params.get("order_by").is_some_and(|o| o == "desc") {
        rows.reverse();
    }
    let rows: Vec<Value> = page_of(rows, page, per_page)
        .into_iter()
        .map(Db::entry_json)
        .collect();
    Ok(Value::Array(rows))
}

fn create(
    sim: &ZammadSim,
    db: &mut Db,
    caller: &Caller,
    ticket_id: i64,
    body: &Value,
) -> Result<Response, ApiError> {
    let time_unit = match body.get("time_unit") {
        None | Some(Value::Null) => {
            return Err(ApiError::unprocessable(
                "Validation failed: Time unit can't be blank",
            ))
        }
        Some(v) => decimal_param(v, "time_unit")?,
    };
    let type_id = type_param(db, body)?.flatten();
    if body.get("ticket_article_id").is_some_and(|a| !a.is_null()) {
        return Err(ApiError::unprocessable(
            "This article is not part of the ticket.",
        ));
    }
    let entry = db.create_entry(
        ticket_id,
        time_unit,
        type_id,
        caller.user.id,
        sim.clock.now(),
    );
    Ok((StatusCode::CREATED, Json(Db::entry_json(&entry))).into_response())
}

/// `type_id` from a body: `None` absent, `Some(None)` null, `Some(Some(id))` a known type.
fn type_param(db: &Db, body: &Value) -> Result<Option<Option<i64>>, ApiError> {
    match body.get("type_id") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(v) => {
            let id = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .filter(|id| db.types.contains_key(id))
                .ok_or_else(|| ApiError::unprocessable("Invalid value for param 'type_id'"))?;
            Ok(Some(Some(id)))
        }
    }
}

fn update(
    sim: &ZammadSim,
    db: &mut Db,
    caller: &Caller,
    id: i64,
    body: &Value,
) -> Result<Value, ApiError> {
    let time_unit = match body.get("time_unit") {
        None => None,
        Some(Value::Null) => {
            return Err(ApiError::unprocessable(
                "Validation failed: Time unit can't be blank",
            ))
        }
        Some(v) => Some(decimal_param(v, "time_unit")?),
    };
    let type_id = type_param(db, body)?;
    let entry = db
        .update_entry(id, time_unit, type_id, caller.user.id, sim.clock.now())
        .ok_or_else(|| ApiError::not_found("Ticket::TimeAccounting", id))?;
    Ok(Db::entry_json(&entry))
}

/// `GET /api/v1/tickets/{ticket_id}/time_accountings`
pub(crate) async fn nested_index(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(ticket_id): Path<i64>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    may_read(&caller, ticket_group(&db, ticket_id)?)?;
    Ok(Json(list(&db, Some(ticket_id), &params)?))
}

/// `GET /api/v1/tickets/{ticket_id}/time_accountings/{id}`
pub(crate) async fn nested_show(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path((ticket_id, id)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    may_read(&caller, ticket_group(&db, ticket_id)?)?;
    Ok(Json(Db::entry_json(&entry_of(&db, Some(ticket_id), id)?)))
}

/// `POST /api/v1/tickets/{ticket_id}/time_accountings`
pub(crate) async fn nested_create(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(ticket_id): Path<i64>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    may_create(&db, &caller, ticket_group(&db, ticket_id)?)?;
    let body = json_body(&body)?;
    create(&sim, &mut db, &caller, ticket_id, &body)
}

/// `PUT|PATCH /api/v1/tickets/{ticket_id}/time_accountings/{id}` (admin only)
pub(crate) async fn nested_update(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path((ticket_id, id)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    ticket_group(&db, ticket_id)?;
    caller.require(ADMIN)?;
    entry_of(&db, Some(ticket_id), id)?;
    let body = json_body(&body)?;
    Ok(Json(update(&sim, &mut db, &caller, id, &body)?))
}

/// `DELETE /api/v1/tickets/{ticket_id}/time_accountings/{id}` (admin only) → `{}`
pub(crate) async fn nested_destroy(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path((ticket_id, id)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let mut db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    ticket_group(&db, ticket_id)?;
    caller.require(ADMIN)?;
    entry_of(&db, Some(ticket_id), id)?;
    db.delete_entry(id, caller.user.id, sim.clock.now());
    Ok(Json(json!({})))
}

/// `GET /api/v1/time_accountings` (admin only; no filters)
pub(crate) async fn global_index(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    authenticate(&db, &headers)?.require(ADMIN)?;
    Ok(Json(list(&db, None, &params)?))
}

/// `GET /api/v1/time_accountings/{id}` (admin only)
pub(crate) async fn global_show(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    authenticate(&db, &headers)?.require(ADMIN)?;
    Ok(Json(Db::entry_json(&entry_of(&db, None, id)?)))
}

/// `POST /api/v1/time_accountings` with `ticket_id` in the body.
pub(crate) async fn global_create(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    let body = json_body(&body)?;
    let Some(ticket_id) = body.get("ticket_id").and_then(Value::as_i64) else {
        return Err(if caller.has(ADMIN) {
            ApiError::unprocessable("Validation failed: Ticket must exist")
        } else {
            ApiError::not_found("Ticket", "")
        });
    };
    may_create(&db, &caller, ticket_group(&db, ticket_id)?)?;
    create(&sim, &mut db, &caller, ticket_id, &body)
}

/// `PUT|PATCH /api/v1/time_accountings/{id}` (admin only)
pub(crate) async fn global_update(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    caller.require(ADMIN)?;
    let body = json_body(&body)?;
    Ok(Json(update(&sim, &mut db, &caller, id, &body)?))
}

/// `DELETE /api/v1/time_accountings/{id}` (admin only) → `{}`
pub(crate) async fn global_destroy(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let mut db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    caller.require(ADMIN)?;
    if !db.delete_entry(id, caller.user.id, sim.clock.now()) {
        return Err(ApiError::not_found("Ticket::TimeAccounting", id));
    }
    Ok(Json(json!({})))
}

/// `GET /api/v1/time_accounting/types` (admin only)
pub(crate) async fn types(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    authenticate(&db, &headers)?.require(ADMIN)?;
    Ok(Json(Value::Array(
        db.types.values().map(|t| db.type_json(t)).collect(),
    )))
}

//! Tickets: show, index (max 100 per page, by id) and search. The search reproduces the SQL
//! path of a Zammad **without Elasticsearch** by default: `query` is a plain substring match
//! (field syntax silently matches nothing, docs/api-notes.md §26) while `condition` on `updated_at` works.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{flag, json_body, page_of, paging, Params};
use crate::zammad::auth::{authenticate, ApiError, Caller};
use crate::zammad::state::{SimTicket, State as Db};
use crate::zammad::ZammadSim;

fn readable<'a>(db: &'a Db, caller: &'a Caller) -> impl Iterator<Item = &'a SimTicket> {
    db.tickets
        .values()
        .filter(|t| caller.can_read_group(t.group_id))
}

/// `GET /api/v1/tickets/{id}`
pub(crate) async fn show(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    let t = db
        .tickets
        .get(&id)
        .ok_or_else(|| ApiError::not_found("Ticket", id))?;
    if !caller.can_read_group(t.group_id) {
        return Err(ApiError::not_authorized());
    }
    Ok(Json(db.ticket_json(t, flag(&params, "expand"))))
}

/// `DELETE /api/v1/tickets/{id}` (permission `admin`): hard delete with all its entries.
pub(crate) async fn destroy(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let mut db = sim.state.lock();
    authenticate(&db, &headers)?.require("admin")?;
    if !db.delete_ticket(id) {
        return Err(ApiError::not_found("Ticket", id));
    }
    Ok(Json(json!({})))
}

/// `GET /api/v1/tickets`: readable tickets by id, `per_page` default and max 100.
pub(crate) async fn index(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    let caller = authenticate(&db, &headers)?;
    let (page, per_page) = paging(&params, 100, 100);
    let expand = flag(&params, "expand");
    let rows = page_of(readable(&db, &caller).collect(), page, per_page);
    Ok(Json(Value::Array(
        rows.into_iter()
            .map(|t| db.ticket_json(t, expand))
            .collect(),
    )))
}

/// `GET /api/v1/tickets/search` (parameters in the query string; no `condition`).
pub(crate) async fn search_get(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Result<Json<Value>, ApiError> {
    let body: Map<String, Value> = params
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    search(&sim, &headers, &Value::Object(body))
}

/// `POST /api/v1/tickets/search` (parameters in a JSON body, `condition` allowed).
pub(crate) async fn search_post(
    State(sim): State<ZammadSim>,
    headers: HeaderMap,
    Query(params): Query<Params>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut body = json_body(&body)?;
    for (k, v) in params {
        body[k] = Value::String(v);
    }
    search(&sim, &headers, &body)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn search(sim: &ZammadSim, headers: &HeaderMap, body: &Value) -> Result<Json<Value>, ApiError> {
    let db = sim.state.lock();
    let caller = authenticate(&db, headers)?;
    let params: Params = body
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| text(v).map(|t| (k.clone(), t)))
        .collect();
    let mut rows: Vec<&SimTicket> = readable(&db, &caller).collect();
    if let Some(q) = params.get("query") {
        let q = q.replace('*', "").trim().to_lowercase();
        if !q.is_empty() {
            rows.retain(|t| matches_query(t, &q, db.settings.elasticsearch));
        }
    }
    if let Some(cond) = body.get("condition").filter(|c| !c.is_null()) {
        let filters = conditions(cond)?;
        rows.retain(|t| filters.iter().all(|f| f(t)));
    }
    sort(&mut rows, &params)?;
    let total = rows.len();
    if flag(&params, "only_total_count") {
        return Ok(Json(json!({"total_count": total})));
    }
    let (page, per_page) = paging(&params, 50, 200);
    let rows = page_of(rows, page, per_page);
    if flag(&params, "full") {
        let assets: Map<String, Value> = rows
            .iter()
            .map(|t| (t.id.to_string(), db.ticket_json(t, false)))
            .collect();
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        return Ok(Json(json!({
            "record_ids": ids, "assets": {"Ticket": assets}, "total_count": total,
        })));
    }
    let expand = flag(&params, "expand");
    Ok(Json(Value::Array(
        rows.into_iter()
            .map(|t| db.ticket_json(t, expand))
            .collect(),
    )))
}

/// ES mode: `field:value` terms (`number:`, `title:`) are understood; SQL mode: the whole
/// query is one case-insensitive substring of title or number.
fn matches_query(t: &SimTicket, q: &str, elasticsearch: bool) -> bool {
    let title = t.title.to_lowercase();
    if elasticsearch {
        return q.split_whitespace().all(|term| match term.split_once(':') {
            Some(("number", v)) => t.number == v,
            Some(("title", v)) => title.contains(v),
            _ => title.contains(term) || t.number.contains(term),
        });
    }
    title.contains(q) || t.number.contains(q)
}

type Filter = Box<dyn Fn(&SimTicket) -> bool>;

/// The SQL selector: `{"ticket.updated_at": {"operator": "after (absolute)", "value": …}}`.
fn conditions(cond: &Value) -> Result<Vec<Filter>, ApiError> {
    let invalid = |what: &str| ApiError::unprocessable(format!("Invalid condition: {what}"));
    let map = cond.as_object().ok_or_else(|| invalid("not an object"))?;
    let mut out: Vec<Filter> = Vec::new();
    for (attr, spec) in map {
        let op = spec.get("operator").and_then(Value::as_str).unwrap_or("");
        let value = spec.get("value").cloned().unwrap_or(Value::Null);
        match attr.as_str() {
            "ticket.updated_at" | "ticket.created_at" => {
                let at = value
                    .as_str()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.with_timezone(&Utc))
                    .ok_or_else(|| invalid("value is not an absolute time"))?;
                let created = attr == "ticket.created_at";
                let field = move |t: &SimTicket| if created { t.created_at } else { t.updated_at };
                match op {
                    "after (absolute)" => out.push(Box::new(move |t| field(t) >= at)),
                    "before (absolute)" => out.push(Box::new(move |t| field(t) <= at)),
                    other => return Err(invalid(other)),
                }
            }
            "ticket.id" | "ticket.organization_id" | "ticket.group_id" => {
                let ids: Vec<i64> = match &value {
                    Value::Array(a) => a.iter().filter_map(as_id).collect(),
                    v => as_id(v).into_iter().collect(),
                };
                let pick = attr.clone();
                let get = move |t: &SimTicket| match pick.as_str() {
                    "ticket.id" => Some(t.id),
                    "ticket.organization_id" => t.organization_id,
                    _ => Some(t.group_id),
                };
                match op {
                    "is" => out.push(Box::new(move |t| get(t).is_some_and(|v| ids.contains(&v)))),
                    "is not" => {
                        out.push(Box::new(move |t| !get(t).is_some_and(|v| ids.contains(&v))))
                    }
                    other => return Err(invalid(other)),
                }
            }
            other => return Err(invalid(other)),
        }
    }
    Ok(out)
}

fn as_id(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// `sort_by` (default `updated_at`) and `order_by` (default `desc`), ties by id.
fn sort(rows: &mut [&SimTicket], params: &Params) -> Result<(), ApiError> {
    match params.get("sort_by").map_or("updated_at", String::as_str) {
        "updated_at" => rows.sort_by_key(|t| (t.updated_at, t.id)),
        "created_at" => rows.sort_by_key(|t| (t.created_at, t.id)),
        "id" => rows.sort_by_key(|t| t.id),
        "number" => rows.sort_by(|a, b| a.number.cmp(&b.number)),
        other => {
            return Err(ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("Found invalid column '{other}' for sorting."),
            ))
        }
    }
    if params.get("order_by").is_none_or(|o| o != "asc") {
        rows.reverse();
    }
    Ok(())
}

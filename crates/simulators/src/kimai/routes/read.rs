//! `GET /api/timesheets` and `GET /api/timesheets/{id}`: every filter, Kimai's default order
//! (`begin DESC`), pagination with 404 past the last page, and per-record rate hiding (2.66).

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::super::model::{SeedUser, SimTimesheet};
use super::super::state::State as Db;
use super::super::{wire, KimaiSim};
use super::Res;

/// The record's `rate`: the fixed rate, else hourly rate × hours (project rate as fallback).
pub(super) fn rate(db: &Db, t: &SimTimesheet) -> (Decimal, Option<Decimal>) {
    let hourly = t
        .hourly_rate
        .or_else(|| db.project(t.project).and_then(|p| p.hourly_rate));
    let rate = match (t.fixed_rate, hourly, t.duration()) {
        (Some(f), _, _) => f,
        (None, Some(h), Some(secs)) => (h * Decimal::from(secs) / Decimal::from(3600)).round_dp(2),
        _ => Decimal::ZERO,
    };
    (rate, hourly)
}

fn money(d: Decimal) -> Value {
    use rust_decimal::prelude::ToPrimitive;
    json!(d.to_f64().unwrap_or(0.0))
}

/// Renders a record; `entity` adds `fixedRate`/`hourlyRate` (only if rates are visible).
pub(super) fn timesheet_json(db: &Db, t: &SimTimesheet, viewer: &SeedUser, entity: bool) -> Value {
    let mut v = json!({
        "id": t.id,
        "begin": wire::format_dt(t.begin, &t.timezone),
        "end": t.end.map(|e| wire::format_dt(e, &t.timezone)),
        "duration": t.duration(),
        "break": 0,
        "description": t.description,
        "exported": t.exported,
        "billable": t.billable,
        "tags": t.tags,
        "metaFields": t.meta.iter()
            .filter(|(k, _)| db.meta_fields.contains(k))
            .map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
        "user": t.user,
        "project": t.project,
        "activity": t.activity,
    });
    if viewer.role.view_rate() {
        let (r, hourly) = rate(db, t);
        let m = v.as_object_mut().expect("an object literal");
        m.insert("rate".into(), money(r));
        m.insert("internalRate".into(), money(r));
        if entity {
            m.insert("fixedRate".into(), t.fixed_rate.map_or(Value::Null, money));
            m.insert("hourlyRate".into(), hourly.map_or(Value::Null, money));
        }
    }
    v
}

fn flag(q: &wire::Query, name: &str) -> Result<Option<bool>, wire::Reject> {
    match q.get(name) {
        None | Some("") => Ok(None),
        Some("1") | Some("true") => Ok(Some(true)),
        Some("0") | Some("false") => Ok(Some(false)),
        Some(_) => Err(wire::bad_request()),
    }
}

fn local_filter(
    q: &wire::Query,
    name: &str,
    tz: &str,
) -> Result<Option<DateTime<Utc>>, wire::Reject> {
    match q.get(name) {
        None | Some("") => Ok(None),
        Some(v) => wire::parse_strict(v)
            .and_then(|d| wire::local_to_utc(d, tz))
            .map(Some)
            .ok_or_else(wire::bad_request),
    }
}

pub(super) async fn list(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Res {
    let me = sim.auth(&headers)?;
    let q = wire::Query::parse(raw.as_deref());
    let begin = local_filter(&q, "begin", &me.timezone)?;
    let end = local_filter(&q, "end", &me.timezone)?;
    let modified_after = match q.get("modified_after") {
        None | Some("") => None,
        Some(v) => Some(
            wire::parse_strict(v)
                .ok_or_else(wire::bad_request)?
                .and_utc(),
        ),
    };
    let (exported, active, billable) = (
        flag(&q, "exported")?,
        flag(&q, "active")?,
        flag(&q, "billable")?,
    );
    let customers = q.ids("customer", "customers")?;
    let projects = q.ids("project", "projects")?;
    let activities = q.ids("activity", "activities")?;
    let order_by = q.get("orderBy").unwrap_or("begin").to_string();
    let desc = match q.get("order").unwrap_or("DESC") {
        o if o.eq_ignore_ascii_case("DESC") => true,
        o if o.eq_ignore_ascii_case("ASC") => false,
        _ => return Err(wire::bad_request()),
    };
    if !["id", "begin", "end", "rate"].contains(&order_by.as_str()) {
        return Err(wire::bad_request());
    }
    let num = |name: &str, default: usize| -> Result<usize, wire::Reject> {
        q.get(name).map_or(Ok(default), |v| {
            v.parse::<usize>().map_err(|_| wire::bad_request())
        })
    };
    let size = match num("size", 50)? {
        0 => 50,
        n => n.min(500),
    };
    let page = num("page", 1)?.max(1);
    let db = sim.state.lock();
    // Users: own records unless the caller may see others' and asks for them.
    let users: Option<Vec<u64>> = if me.role.other_timesheets() {
        match q.get("user") {
            Some("all") => None,
            Some(id) => Some(vec![id.parse().map_err(|_| wire::bad_request())?]),
            None => {
                let list = q
                    .list("users")
                    .iter()
                    .map(|s| s.parse::<u64>().map_err(|_| wire::bad_request()))
                    .collect::<Result<Vec<_>, _>>()?;
                Some(if list.is_empty() { vec![me.id] } else { list })
            }
        }
    } else {
        Some(vec![me.id])
    };
    let tag_names = q.list("tags");
    let known_tags: Vec<&String> = tag_names.iter().filter(|n| db.tag(n).is_some()).collect();
    if !tag_names.is_empty() && known_tags.is_empty() {
        return Err(wire::bad_request());
    }
    let term = q.get("term").map(str::to_lowercase);
    let mut rows: Vec<&SimTimesheet> = db
        .timesheets
        .values()
        .filter(|t| users.as_ref().is_none_or(|u| u.contains(&t.user)))
        .filter(|t| {
            customers.is_empty()
                || db
                    .project(t.project)
                    .is_some_and(|p| customers.contains(&p.customer))
        })
        .filter(|t| projects.is_empty() || projects.contains(&t.project))
        .filter(|t| activities.is_empty() || activities.contains(&t.activity))
        .filter(|t| known_tags.is_empty() || t.tags.iter().any(|n| known_tags.contains(&n)))
        .filter(|t| begin.is_none_or(|b| t.begin >= b))
        .filter(|t| end.is_none_or(|e| t.begin <= e)) // `end` filters on BEGIN (docs/api-notes.md §4)
        .filter(|t| modified_after.is_none_or(|m| t.modified_at.is_some_and(|x| x >= m)))
        .filter(|t| exported.is_none_or(|x| t.exported == x))
        .filter(|t| active.is_none_or(|a| t.end.is_none() == a))
        .filter(|t| billable.is_none_or(|b| t.billable == b))
        .filter(|t| {
            term.as_ref().is_none_or(|term| {
                t.description
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(term))
                    || t.meta.values().any(|v| v.to_lowercase().contains(term))
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        let ord = match order_by.as_str() {
            "id" => a.id.cmp(&b.id),
            "end" => a.end.cmp(&b.end),
            "rate" => rate(&db, a).0.cmp(&rate(&db, b).0),
            _ => a.begin.cmp(&b.begin),
        }
        .then(a.id.cmp(&b.id));
        if desc {
            ord.reverse()
        } else {
            ord
        }
    });
    let total = rows.len();
    let pages = total.div_ceil(size).max(1);
    if page > pages {
        return Err(wire::not_found());
    }
    let body: Vec<Value> = rows
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|t| timesheet_json(&db, t, &me, false))
        .collect();
    Ok(wire::paginated(json!(body), page, total, pages, size))
}

/// Looks a record up for `me`: 404 unknown, 403 someone else's without permission.
pub(super) fn visible_record(
    db: &Db,
    me: &SeedUser,
    id: u64,
) -> Result<SimTimesheet, wire::Reject> {
    let t = db.timesheets.get(&id).ok_or_else(wire::not_found)?;
    if t.user != me.id && !me.role.other_timesheets() {
        return Err(wire::forbidden());
    }
    Ok(t.clone())
}

pub(super) async fn get_one(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Res {
    let me = sim.auth(&headers)?;
    let id: u64 = id.parse().map_err(|_| wire::not_found())?;
    let db = sim.state.lock();
    let t = visible_record(&db, &me, id)?;
    Ok(Json(timesheet_json(&db, &t, &me, true)).into_response())
}

//! Status, user, configuration, customer, project, activity and tag endpoints: the
//! read-mostly catalog a sync needs to map tickets onto projects and activities.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use chrono::NaiveDate;
use serde_json::{json, Value};

use super::super::model::{SeedActivity, SeedCustomer, SeedProject, SeedUser, SimTag};
use super::super::{wire, KimaiSim};
use super::Res;

pub(super) async fn ping(State(sim): State<KimaiSim>, headers: HeaderMap) -> Res {
    sim.auth(&headers)?;
    Ok(Json(json!({"message": "pong"})).into_response())
}

pub(super) async fn version(State(sim): State<KimaiSim>, headers: HeaderMap) -> Res {
    sim.auth(&headers)?;
    Ok(Json(json!({"version": "2.66.0", "versionId": 26600,
        "copyright": "Kimai 2.66.0 by Kevin Papst."}))
    .into_response())
}

pub(super) fn user_json(u: &SeedUser) -> Value {
    json!({"id": u.id, "username": u.username, "email": format!("{}@example.com", u.username),
        "enabled": true, "apiToken": true, "systemAccount": false, "color": null,
        "color-safe": "#6366f1", "avatar": null, "alias": null, "accountNumber": null,
        "initials": u.username.chars().take(2).collect::<String>().to_uppercase(),
        "title": null, "language": "de", "locale": "de", "timezone": u.timezone})
}

pub(super) async fn me(State(sim): State<KimaiSim>, headers: HeaderMap) -> Res {
    let u = sim.auth(&headers)?;
    let mut v = user_json(&u);
    let extra = json!({"supervisor": null, "teams": [], "roles": [u.role.as_str()],
        "memberships": [], "preferences": []});
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    Ok(Json(v).into_response())
}

pub(super) async fn config(State(sim): State<KimaiSim>, headers: HeaderMap) -> Res {
    sim.auth(&headers)?;
    Ok(
        Json(json!({"trackingMode": "default", "defaultBeginTime": "now",
        "activeEntriesHardLimit": 1, "isAllowFutureTimes": true, "isAllowOverlapping": true}))
        .into_response(),
    )
}

fn visible_filter(q: &wire::Query, visible: bool) -> bool {
    match q.get("visible") {
        Some("2") => !visible,
        Some("3") => true,
        _ => visible,
    }
}

fn customer_json(c: &SeedCustomer) -> Value {
    json!({"id": c.id, "name": c.name, "visible": c.visible, "billable": true, "color": null,
        "color-safe": "#6366f1", "number": null, "comment": null, "currency": "EUR",
        "teams": [], "metaFields": []})
}

pub(super) async fn customers(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Res {
    sim.auth(&headers)?;
    let q = wire::Query::parse(raw.as_deref());
    let s = sim.state.lock();
    let mut list: Vec<&SeedCustomer> = s
        .customers
        .iter()
        .filter(|c| visible_filter(&q, c.visible))
        .filter(|c| term_match(&q, &c.name))
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    order(&q, &mut list);
    Ok(Json(list.into_iter().map(customer_json).collect::<Vec<_>>()).into_response())
}

fn term_match(q: &wire::Query, name: &str) -> bool {
    q.get("term")
        .is_none_or(|t| name.to_lowercase().contains(&t.to_lowercase()))
}

fn order<T>(q: &wire::Query, list: &mut [T]) {
    if q.get("order")
        .is_some_and(|o| o.eq_ignore_ascii_case("DESC"))
    {
        list.reverse();
    }
}

fn parse_day(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok()
}

fn project_json(p: &SeedProject) -> Value {
    json!({"id": p.id, "name": p.name, "visible": p.visible, "billable": true,
        "color": null, "color-safe": "#6366f1", "customer": p.customer, "parentTitle": null,
        "number": null, "orderNumber": null, "orderDate": null,
        "globalActivities": p.global_activities, "comment": null,
        "start": p.start.map(|d| d.format("%Y-%m-%d").to_string()),
        "end": p.end.map(|d| d.format("%Y-%m-%d").to_string()),
        "teams": [], "metaFields": []})
}

pub(super) async fn projects(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Res {
    let user = sim.auth(&headers)?;
    let q = wire::Query::parse(raw.as_deref());
    let customers = q.ids("customer", "customers")?;
    let today = sim
        .clock
        .now()
        .with_timezone(&wire::tz(&user.timezone))
        .date_naive();
    let ignore_dates = q
        .get("ignoreDates")
        .is_some_and(|v| v == "1" || v == "true");
    let (from, until) = match (q.get("start"), q.get("end")) {
        (None, None) => (Some(today), Some(today)),
        (s, e) => (s.and_then(parse_day), e.and_then(parse_day)),
    };
    let s = sim.state.lock();
    let mut list: Vec<&SeedProject> = s
        .projects
        .iter()
        .filter(|p| visible_filter(&q, p.visible))
        .filter(|p| customers.is_empty() || customers.contains(&p.customer))
        .filter(|p| term_match(&q, &p.name))
        .filter(|p| {
            ignore_dates
                || (until.is_none_or(|u| p.start.is_none_or(|ps| ps <= u))
                    && from.is_none_or(|f| p.end.is_none_or(|pe| pe >= f)))
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    order(&q, &mut list);
    Ok(Json(list.into_iter().map(project_json).collect::<Vec<_>>()).into_response())
}

fn activity_json(a: &SeedActivity) -> Value {
    json!({"id": a.id, "name": a.name, "visible": a.visible, "billable": true,
        "project": a.project, "number": null, "color": null, "color-safe": "#6366f1",
        "comment": null, "metaFields": []})
}

pub(super) async fn activities(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Res {
    sim.auth(&headers)?;
    let q = wire::Query::parse(raw.as_deref());
    let projects = q.ids("project", "projects")?;
    let only_globals = q.get("globals") == Some("1");
    let s = sim.state.lock();
    // A single project that disallows global activities hides them.
    let globals_allowed =
        !(projects.len() == 1 && s.project(projects[0]).is_some_and(|p| !p.global_activities));
    let mut list: Vec<&SeedActivity> = s
        .activities
        .iter()
        .filter(|a| visible_filter(&q, a.visible))
        .filter(|a| term_match(&q, &a.name))
        .filter(|a| match a.project {
            None => globals_allowed,
            Some(p) => !only_globals && (projects.is_empty() || projects.contains(&p)),
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    order(&q, &mut list);
    Ok(Json(list.into_iter().map(activity_json).collect::<Vec<_>>()).into_response())
}

fn tag_json(t: &SimTag) -> Value {
    json!({"id": t.id, "name": t.name, "color": null, "color-safe": "#6366f1", "visible": true})
}

pub(super) async fn tags(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Res {
    sim.auth(&headers)?;
    let q = wire::Query::parse(raw.as_deref());
    let s = sim.state.lock();
    let names: Vec<&str> = s
        .tags
        .iter()
        .filter(|t| q.get("name").is_none_or(|n| t.name.contains(n)))
        .map(|t| t.name.as_str())
        .collect();
    Ok(Json(names).into_response())
}

pub(super) async fn find_tags(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Res {
    sim.auth(&headers)?;
    let q = wire::Query::parse(raw.as_deref());
    let s = sim.state.lock();
    let found: Vec<Value> = match q.get("name").filter(|n| !n.is_empty()) {
        None => Vec::new(),
        Some(n) => s
            .tags
            .iter()
            .filter(|t| t.name.to_lowercase().contains(&n.to_lowercase()))
            .map(tag_json)
            .collect(),
    };
    Ok(Json(found).into_response())
}

pub(super) async fn create_tag(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Res {
    sim.auth(&headers)?;
    let fields = ["name", "color", "visible"];
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) else {
        return Err(wire::bad_request());
    };
    let mut errors = wire::FormErrors::default();
    if map.keys().any(|k| !fields.contains(&k.as_str())) {
        errors
            .global
            .push("This form should not contain extra fields.".into());
    }
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let mut s = sim.state.lock();
    if name.chars().count() < 2 || name.chars().count() > 100 || name.contains(',') {
        errors.field("name", "This value is not valid.");
    } else if s.tag(&name).is_some() {
        errors.field("name", "This value is already used.");
    }
    if !errors.is_empty() {
        return Err(errors.into_response(&fields));
    }
    let tag = s.add_tag(&name);
    Ok(Json(tag_json(&tag)).into_response())
}

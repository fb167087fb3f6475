//! Timesheet writes: the API form with permission-dependent fields and "extra fields"
//! rejection, tags as a comma string (unknown names dropped, never created), running timers,
//! minute rounding, exported/lockdown protection, the export toggle and meta fields.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::super::model::{SeedUser, SimTimesheet};
use super::super::state::State as Db;
use super::super::{wire, KimaiSim};
use super::read::{timesheet_json, visible_record};
use super::Res;

const EXTRA: &str = "This form should not contain extra fields.";
const INVALID: &str = "This value is not valid.";

/// The form's fields for this caller; `patch` adds `user`.
fn form_fields(me: &SeedUser, patch: bool) -> Vec<&'static str> {
    let mut f = vec!["begin", "end", "project", "activity", "description", "tags"];
    if me.role.edit_rate() {
        f.extend(["fixedRate", "hourlyRate"]);
    }
    if patch || me.role.other_timesheets() {
        f.push("user");
    }
    if me.role.edit_export() {
        f.push("exported");
    }
    if me.role.edit_billable() {
        f.push("billable");
    }
    f
}

/// FOSRest's camel-case key normaliser: `fixed_rate` → `fixedRate`.
fn camel(key: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in key.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn as_id(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn as_checkbox(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
        || v.as_u64() == Some(1)
        || v.as_str() == Some("1")
        || v.as_str() == Some("true")
}

fn as_money(v: &Value) -> Result<Option<Decimal>, ()> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n.to_string().parse::<Decimal>().map(Some).map_err(|_| ()),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => s.parse::<Decimal>().map(Some).map_err(|_| ()),
        _ => Err(()),
    }
}

/// Begin rounded down, end rounded up to the full minute (Kimai's default rounding rule), or
/// to the server's rounding step when one is configured.
fn round(t: &mut SimTimesheet, step_minutes: Option<u32>) {
    let minute = TimeDelta::minutes(i64::from(step_minutes.unwrap_or(1).max(1)));
    t.begin = t.begin.duration_trunc(minute).unwrap_or(t.begin);
    t.end = t.end.map(|e| {
        let down = e.duration_trunc(minute).unwrap_or(e);
        if down == e {
            e
        } else {
            down + minute
        }
    });
}

/// Submits `body` onto `t` (the form with `clearMissing=false`), then validates.
fn submit(
    db: &Db,
    me: &SeedUser,
    t: &mut SimTimesheet,
    body: &Map<String, Value>,
    patch: bool,
) -> Result<(), wire::Reject> {
    let fields = form_fields(me, patch);
    let mut errors = wire::FormErrors::default();
    let body: Map<String, Value> = body.iter().map(|(k, v)| (camel(k), v.clone())).collect();
    if body.keys().any(|k| !fields.contains(&k.as_str())) {
        errors.global.push(EXTRA.into());
    }
    let tz = me.timezone.clone();
    let set_dt = |name: &str, errors: &mut wire::FormErrors| -> Option<Option<DateTime<Utc>>> {
        match body.get(name)? {
            Value::Null => Some(None),
            Value::String(s) if s.is_empty() => Some(None),
            Value::String(s) => match wire::parse_body_dt(s, &tz) {
                Some(d) => Some(Some(d)),
                None => {
                    errors.field(name, INVALID);
                    None
                }
            },
            _ => {
                errors.field(name, INVALID);
                None
            }
        }
    };
    if let Some(b) = set_dt("begin", &mut errors) {
        match b {
            Some(b) => t.begin = b,
            None => errors.field("begin", "This value should not be blank."),
        }
    }
    if let Some(e) = set_dt("end", &mut errors) {
        t.end = e;
    }
    for (name, slot) in [("project", &mut t.project), ("activity", &mut t.activity)] {
        if let Some(v) = body.get(name) {
            match as_id(v) {
                Some(id) => *slot = id,
                None if v.is_null() => *slot = 0,
                None => errors.field(name, INVALID),
            }
        }
    }
    if let Some(v) = body.get("description") {
        t.description = v.as_str().map(str::to_string).filter(|s| !s.is_empty());
    }
    if let Some(v) = body.get("tags") {
        match v {
            // Unknown names are dropped silently: the API form never creates tags (docs/api-notes.md §14).
            Value::String(s) => {
                t.tags = s
                    .split(',')
                    .map(str::trim)
                    .filter(|n| db.tag(n).is_some())
                    .map(str::to_string)
                    .collect();
                t.tags.dedup();
            }
            Value::Null => t.tags.clear(),
            _ => errors.field("tags", INVALID),
        }
    }
    if let Some(v) = body
        .get("exported")
        .filter(|_| fields.contains(&"exported"))
    {
        t.exported = as_checkbox(v);
    }
    if let Some(v) = body
        .get("billable")
        .filter(|_| fields.contains(&"billable"))
    {
        t.billable = as_checkbox(v);
    }
    for (name, slot) in [
        ("fixedRate", &mut t.fixed_rate),
        ("hourlyRate", &mut t.hourly_rate),
    ] {
        if let Some(v) = body.get(name).filter(|_| fields.contains(&name)) {
            match as_money(v) {
                Ok(m) => *slot = m,
                Err(()) => errors.field(name, INVALID),
            }
        }
    }
    if let Some(v) = body.get("user").filter(|_| fields.contains(&"user")) {
        match as_id(v).filter(|id| db.user(*id).is_some()) {
            Some(id) if id == me.id || me.role.other_timesheets() => t.user = id,
            _ => errors.field("user", INVALID),
        }
    }
    round(t, db.rounding_minutes);
    validate(db, t, &mut errors);
    hidden_choices(db, t, &body, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into_response(&fields))
    }
}

fn validate(db: &Db, t: &SimTimesheet, errors: &mut wire::FormErrors) {
    if t.end.is_some_and(|e| e < t.begin) {
        errors.field(
            "end",
            "The end date must not be earlier than the start date.",
        );
    }
    let project = db.project(t.project);
    match project {
        None if t.project == 0 => errors.field("project", "A project needs to be selected."),
        None => errors.field("project", INVALID),
        Some(p) => {
            let day = t
                .begin
                .with_timezone(&wire::tz(&db.user_tz(t.user)))
                .date_naive();
            if p.start.is_some_and(|s| day < s) || p.end.is_some_and(|e| day > e) {
                errors.field("begin", "The project is not active at this date.");
            }
        }
    }
    match db.activity(t.activity) {
        None if t.activity == 0 => errors.field("activity", "An activity needs to be selected."),
        None => errors.field("activity", INVALID),
        Some(a) => {
            let ok = match a.project {
                Some(p) => p == t.project,
                None => project.is_none_or(|p| p.global_activities),
            };
            if !ok {
                errors.field(
                    "activity",
                    "The activity does not belong to the selected project.",
                );
            }
        }
    }
}

/// A project (or its customer) or activity the admin hid is not among the form's choices: a
/// body that names one gets "not valid" on that field. A record that already has it keeps it
/// when other fields change.
fn hidden_choices(
    db: &Db,
    t: &SimTimesheet,
    body: &Map<String, Value>,
    errors: &mut wire::FormErrors,
) {
    if body.contains_key("project") {
        let hidden = db.project(t.project).is_some_and(|p| {
            !p.visible
                || db
                    .customers
                    .iter()
                    .any(|c| c.id == p.customer && !c.visible)
        });
        if hidden {
            errors.field("project", INVALID);
        }
    }
    if body.contains_key("activity") && db.activity(t.activity).is_some_and(|a| !a.visible) {
        errors.field("activity", INVALID);
    }
}

pub(super) fn parse_body(body: &Bytes) -> Result<Map<String, Value>, wire::Reject> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(wire::bad_request()),
    }
}

pub(super) async fn create(State(sim): State<KimaiSim>, headers: HeaderMap, body: Bytes) -> Res {
    let me = sim.auth(&headers)?;
    let body = parse_body(&body)?;
    let now = sim.clock.now();
    let mut db = sim.state.lock();
    let mut t = SimTimesheet {
        id: 0,
        user: me.id,
        project: 0,
        activity: 0,
        begin: now,
        end: None,
        timezone: String::new(),
        description: None,
        tags: Vec::new(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: Some(now),
    };
    submit(&db, &me, &mut t, &body, false)?;
    if db.locked(t.begin) && !me.role.lockdown_override() {
        let mut errors = wire::FormErrors::default();
        errors
            .global
            .push("This period is locked, please choose a later date.".into());
        return Err(errors.into_response(&form_fields(&me, false)));
    }
    t.timezone = db.user_tz(t.user);
    if t.end.is_none() {
        // activeEntriesHardLimit = 1: a new running record stops the owner's others (docs/api-notes.md §12).
        let stop_at = t.begin.max(now);
        for other in db
            .timesheets
            .values_mut()
            .filter(|o| o.user == t.user && o.end.is_none())
        {
            other.end = Some(stop_at.max(other.begin));
            round(other, None);
            other.modified_at = Some(now);
        }
    }
    t.id = db.next_id();
    db.timesheets.insert(t.id, t.clone());
    Ok(Json(timesheet_json(&db, &t, &me, true)).into_response())
}

/// The voter's `edit`/`delete`: own or other's, exported, lockdown.
pub(super) fn may_change(db: &Db, me: &SeedUser, t: &SimTimesheet) -> Result<(), wire::Reject> {
    if t.user != me.id && !me.role.other_timesheets() {
        return Err(wire::forbidden());
    }
    if t.exported && !me.role.edit_exported() {
        return Err(wire::forbidden());
    }
    if db.locked(t.begin) && !me.role.lockdown_override() {
        return Err(wire::forbidden());
    }
    Ok(())
}

pub(super) fn id_of(raw: &str) -> Result<u64, wire::Reject> {
    raw.parse().map_err(|_| wire::not_found())
}

pub(super) async fn update(
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
    submit(&db, &me, &mut t, &body, true)?;
    if db.locked(t.begin) && !me.role.lockdown_override() {
        let mut errors = wire::FormErrors::default();
        errors
            .global
            .push("This period is locked, please choose a later date.".into());
        return Err(errors.into_response(&form_fields(&me, true)));
    }
    t.modified_at = Some(now);
    db.timesheets.insert(id, t.clone());
    Ok(Json(timesheet_json(&db, &t, &me, true)).into_response())
}

pub(super) async fn delete(
    State(sim): State<KimaiSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Res {
    let me = sim.auth(&headers)?;
    let id = id_of(&id)?;
    let mut db = sim.state.lock();
    let t = visible_record(&db, &me, id)?;
    may_change(&db, &me, &t)?;
    db.timesheets.remove(&id); // hard delete: no tombstone
    Ok(StatusCode::NO_CONTENT.into_response())
}

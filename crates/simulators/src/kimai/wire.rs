//! Kimai's wire conventions in one place: error bodies, Bearer authentication,
//! repeated query parameters, and its date formats — colon-less offsets out, strict naive
//! local times in query filters, lenient HTML5 parsing in bodies.

use std::collections::BTreeMap;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::model::SeedUser;
use super::state::State;

/// An error answer. Boxed: a whole response is large and errors are the cold path.
#[derive(Debug)]
pub(crate) struct Reject(Box<Response>);

impl From<Response> for Reject {
    fn from(resp: Response) -> Self {
        Self(Box::new(resp))
    }
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// The generic FOSRest error body `{"code":…,"message":"<reason>"}`.
pub(crate) fn error(status: StatusCode) -> Reject {
    let body = json!({"code": status.as_u16(), "message": status.canonical_reason()});
    (status, Json(body)).into_response().into()
}

/// 404 `Not Found`.
pub(crate) fn not_found() -> Reject {
    error(StatusCode::NOT_FOUND)
}

/// 403 `Forbidden`.
pub(crate) fn forbidden() -> Reject {
    error(StatusCode::FORBIDDEN)
}

/// 400 `Bad Request`.
pub(crate) fn bad_request() -> Reject {
    error(StatusCode::BAD_REQUEST)
}

/// Collected form errors, rendered in Kimai's validation shape.
#[derive(Debug, Default)]
pub(crate) struct FormErrors {
    pub(crate) global: Vec<String>,
    pub(crate) fields: BTreeMap<String, Vec<String>>,
}

impl FormErrors {
    pub(crate) fn field(&mut self, name: &str, message: &str) {
        self.fields
            .entry(name.to_string())
            .or_default()
            .push(message.to_string());
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.global.is_empty() && self.fields.is_empty()
    }
    /// 400 with `errors.children.<field>` for every form field (empty object when fine).
    pub(crate) fn into_response(self, form_fields: &[&str]) -> Reject {
        let mut children = serde_json::Map::new();
        for f in form_fields {
            children.insert((*f).to_string(), json!({}));
        }
        for (f, msgs) in self.fields {
            children.insert(f, json!({ "errors": msgs }));
        }
        let mut errors = serde_json::Map::new();
        if !self.global.is_empty() {
            errors.insert("errors".into(), json!(self.global));
        }
        errors.insert("children".into(), Value::Object(children));
        let body = json!({"code": 400, "message": "Validation Failed", "errors": errors});
        (StatusCode::BAD_REQUEST, Json(body)).into_response().into()
    }
}

/// Resolves the Bearer token to a user, or the exact 401 Kimai sends.
pub(crate) fn authenticate(state: &State, headers: &HeaderMap) -> Result<SeedUser, Reject> {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(error(StatusCode::UNAUTHORIZED));
    };
    let Some(token) = value.strip_prefix("Bearer ") else {
        return Err(error(StatusCode::UNAUTHORIZED));
    };
    match state.user_by_token(token.trim()) {
        Some(u) => Ok(u.clone()),
        None => {
            let mut resp = StatusCode::UNAUTHORIZED.into_response();
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer error=\"invalid_token\",error_description=\"Invalid credentials.\"",
                ),
            );
            Err(resp.into())
        }
    }
}

/// Query parameters in order, repeated names kept.
#[derive(Debug, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        Self(
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
    /// A scalar parameter (the last one wins, as in PHP).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// A list parameter: only `name[]=…` counts; a bare `name=…` is silently ignored (docs/api-notes.md §15).
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        let key = format!("{name}[]");
        self.0
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
    /// Ids from `single` and `list[]`; `Err` when one is not a number.
    pub(crate) fn ids(&self, single: &str, list: &str) -> Result<Vec<u64>, Reject> {
        let mut raw = self.list(list);
        raw.extend(self.get(single).map(str::to_string));
        raw.iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<u64>().map_err(|_| bad_request()))
            .collect()
    }
}

/// The timezone named `name`, UTC when unknown.
pub(crate) fn tz(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// `Y-m-d\TH:i:sO` in `tz`: `2026-03-02T09:00:00+0100`.
pub(crate) fn format_dt(at: DateTime<Utc>, tz_name: &str) -> String {
    at.with_timezone(&tz(tz_name))
        .format("%Y-%m-%dT%H:%M:%S%z")
        .to_string()
}

/// Wall time `local` in `tz` as an instant (the earlier one when ambiguous).
pub(crate) fn local_to_utc(local: NaiveDateTime, tz_name: &str) -> Option<DateTime<Utc>> {
    tz(tz_name)
        .from_local_datetime(&local)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

/// A query filter date: exactly `YYYY-MM-DDThh:mm:ss`, nothing more or less.
pub(crate) fn parse_strict(value: &str) -> Option<NaiveDateTime> {
    if value.len() != 19 {
        return None;
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S").ok()
}

/// A body date as Symfony's HTML5 transformer takes it: `YYYY-MM-DD[T ]hh:mm[:ss]`, an optional
/// trailing offset honoured as an absolute instant, else a wall time in the user's tz.
pub(crate) fn parse_body_dt(value: &str, user_tz: &str) -> Option<DateTime<Utc>> {
    let v = value.trim().replacen(' ', "T", 1);
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%SZ",
    ] {
        if let Ok(d) = DateTime::parse_from_str(&v, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(&v, fmt).ok())
        .and_then(|local| local_to_utc(local, user_tz))
}

/// Adds Kimai's four pagination headers.
pub(crate) fn paginated(
    body: Value,
    page: usize,
    total: usize,
    pages: usize,
    size: usize,
) -> Response {
    let mut resp = Json(body).into_response();
    let h = resp.headers_mut();
    for (name, v) in [
        ("x-page", page),
        ("x-total-count", total),
        ("x-total-pages", pages),
        ("x-per-page", size),
    ] {
        h.insert(name, HeaderValue::from(v));
    }
    resp
}

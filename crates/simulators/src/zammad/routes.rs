//! The HTTP surface of the simulator: which route serves what, plus the small parsing helpers
//! every handler shares (paging, JSON bodies, decimal amounts) so their Zammad-specific limits
//! (defaults, maxima, string decimals) are stated once.

mod session;
mod tickets;
mod time_accountings;

use std::collections::HashMap;
use std::str::FromStr;

use axum::routing::get;
use axum::Router;
use rust_decimal::Decimal;
use serde_json::Value;

use super::auth::ApiError;
use super::ZammadSim;

/// Query parameters as Rails sees them (last value wins).
pub(crate) type Params = HashMap<String, String>;

/// All API routes (without knobs).
pub(crate) fn api_router(sim: ZammadSim) -> Router {
    use time_accountings as ta;
    Router::new()
        .route("/api/v1/users/me", get(session::me))
        .route("/api/v1/signshow", get(session::signshow))
        .route("/api/v1/organizations/{id}", get(session::organization))
        .route("/api/v1/tickets", get(tickets::index))
        .route(
            "/api/v1/tickets/search",
            get(tickets::search_get).post(tickets::search_post),
        )
        .route(
            "/api/v1/tickets/{id}",
            get(tickets::show).delete(tickets::destroy),
        )
        .route(
            "/api/v1/tickets/{ticket_id}/time_accountings",
            get(ta::nested_index).post(ta::nested_create),
        )
        .route(
            "/api/v1/tickets/{ticket_id}/time_accountings/{id}",
            get(ta::nested_show)
                .put(ta::nested_update)
                .patch(ta::nested_update)
                .delete(ta::nested_destroy),
        )
        .route(
            "/api/v1/time_accountings",
            get(ta::global_index).post(ta::global_create),
        )
        .route(
            "/api/v1/time_accountings/{id}",
            get(ta::global_show)
                .put(ta::global_update)
                .patch(ta::global_update)
                .delete(ta::global_destroy),
        )
        .route("/api/v1/time_accounting/types", get(ta::types))
        .with_state(sim)
}

/// `page` (default 1) and `per_page`/`limit` (default `default`, at most `max`).
pub(crate) fn paging(params: &Params, default: usize, max: usize) -> (usize, usize) {
    let num = |k: &str| params.get(k).and_then(|v| v.trim().parse::<usize>().ok());
    let page = num("page").filter(|p| *p > 0).unwrap_or(1);
    let per_page = num("per_page")
        .or_else(|| num("limit"))
        .filter(|p| *p > 0)
        .unwrap_or(default)
        .min(max);
    (page, per_page)
}

/// The `page`-th slice of `items`.
pub(crate) fn page_of<T>(items: Vec<T>, page: usize, per_page: usize) -> Vec<T> {
    items
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect()
}

/// A JSON object body (empty body = `{}`).
pub(crate) fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "Error while parsing request parameter: invalid JSON",
        )),
    }
}

/// A `decimal(6,2)` value given as number or string.
pub(crate) fn decimal_param(v: &Value, name: &str) -> Result<Decimal, ApiError> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(ApiError::unprocessable(format!(
                "Invalid value for param '{name}'"
            )))
        }
    };
    let d = Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| ApiError::unprocessable(format!("Invalid value for param '{name}'")))?
        .round_dp(2);
    if d.abs() > Decimal::new(999_999, 2) {
        return Err(ApiError::unprocessable(
            "PG::NumericValueOutOfRange: ERROR:  numeric field overflow",
        ));
    }
    Ok(d)
}

/// A truthy flag (`true`, `1`).
pub(crate) fn flag(params: &Params, name: &str) -> bool {
    params.get(name).is_some_and(|v| v == "true" || v == "1")
}

//! Knobs every simulator shares: latency per request, fault injection by probability and path,
//! and request counts per endpoint. Installed as a `route_layer`, so the count key is the route
//! template (`PATCH /api/timesheets/{id}`), and exposed over HTTP under `/_sim/` for the
//! standalone binary.
//!
//! Faults model what a flaky network and a bad server day do to a sync:
//! - `Status` (500, 503…), `TooManyRequests` and `ResetBefore` answer (or break off)
//!   **before** the handler runs: nothing was processed;
//! - `Reset`, `Slow` and `MalformedJson` strike **after** the handler ran: the write happened
//!   but the client never sees a clean answer — the case exactly-once must survive.
//!
//! Stalls (`stall`) hold one chosen request before or after processing, so a crash test can
//! kill the client at a precise step.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parking_lot::Mutex;
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::{Deserialize, Serialize};

mod stall;

pub use stall::{Stall, StallPoint};

/// What an injected fault does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status and a JSON error body, without processing.
    Status {
        /// The HTTP status, e.g. 500 or 503.
        status: u16,
    },
    /// 429 with `Retry-After`, without processing.
    TooManyRequests {
        /// Seconds in `Retry-After`.
        retry_after_secs: u64,
    },
    /// Process, then break the connection mid-response.
    Reset,
    /// Break the connection mid-response without processing: the client cannot tell it
    /// from `Reset`.
    ResetBefore,
    /// Process, then hold the response back this long (beyond a client's timeout).
    Slow {
        /// The delay in milliseconds.
        millis: u64,
    },
    /// Process, then send a truncated JSON body with status 200.
    MalformedJson,
}

/// One fault rule: where, how likely, what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// Only requests whose path starts with this (all when `None`).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Only this method, e.g. `POST` (all when `None`).
    #[serde(default)]
    pub method: Option<String>,
    /// Probability in 0..=1 that a matching request is hit.
    pub probability: f64,
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Stop after this many hits (unlimited when `None`).
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    /// A fault that always hits every request.
    pub fn always(kind: FaultKind) -> Self {
        Self {
            path_prefix: None,
            method: None,
            probability: 1.0,
            kind,
            times: None,
        }
    }

    /// Restricts to paths starting with `prefix`.
    pub fn on_path(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_string());
        self
    }

    /// Restricts to one method.
    pub fn on_method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Hits at most `n` times.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Hits with probability `p`.
    pub fn with_probability(mut self, p: f64) -> Self {
        self.probability = p;
        self
    }

    /// Every kind of fault, together striking about `rate` of the requests: 500, 503, 429 with
    /// `Retry-After: retry_after_secs`, a reset before and one after processing, an answer
    /// `slow_millis` late (after processing) and a malformed body (after processing). Rules
    /// fire in order with equal odds `q`, so `1 - (1 - q)^7 = rate`.
    pub fn every_kind(rate: f64, slow_millis: u64, retry_after_secs: u64) -> Vec<Self> {
        let kinds = [
            FaultKind::Status { status: 500 },
            FaultKind::Status { status: 503 },
            FaultKind::TooManyRequests { retry_after_secs },
            FaultKind::ResetBefore,
            FaultKind::Reset,
            FaultKind::Slow {
                millis: slow_millis,
            },
            FaultKind::MalformedJson,
        ];
        let q = 1.0 - (1.0 - rate.clamp(0.0, 0.99)).powf(1.0 / kinds.len() as f64);
        kinds
            .into_iter()
            .map(|kind| Self::always(kind).with_probability(q))
            .collect()
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path_prefix
            .as_deref()
            .is_none_or(|p| path.starts_with(p))
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.times != Some(0)
    }
}

#[derive(Debug)]
struct KnobState {
    latency: Duration,
    faults: Vec<Fault>,
    counts: BTreeMap<String, u64>,
    faults_injected: u64,
    rng: StdRng,
    stalls: stall::Stalls,
}

/// The knobs of one simulator; cheap to clone, shared with its middleware.
#[derive(Clone, Debug)]
pub struct Knobs(Arc<Mutex<KnobState>>);

impl Default for Knobs {
    fn default() -> Self {
        Self::new(0x7157_b41d)
    }
}

impl Knobs {
    /// Knobs with no latency or faults; `seed` makes fault injection reproducible.
    pub fn new(seed: u64) -> Self {
        Self(Arc::new(Mutex::new(KnobState {
            latency: Duration::ZERO,
            faults: Vec::new(),
            counts: BTreeMap::new(),
            faults_injected: 0,
            rng: StdRng::seed_from_u64(seed),
            stalls: stall::Stalls::default(),
        })))
    }

    /// Restarts fault injection's random sequence from `seed` (a soak varies its faults by it).
    pub fn reseed(&self, seed: u64) {
        self.0.lock().rng = StdRng::seed_from_u64(seed);
    }

    /// Delay added to every request before it is handled.
    pub fn set_latency(&self, latency: Duration) {
        self.0.lock().latency = latency;
    }

    /// Adds a fault rule (rules are tried in order; the first that fires wins).
    pub fn add_fault(&self, fault: Fault) {
        self.0.lock().faults.push(fault);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.0.lock().faults.clear();
    }

    /// Requests received per endpoint (`METHOD /route/template`), faulted ones included.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.0.lock().counts.clone()
    }

    /// Requests received in total.
    pub fn total_requests(&self) -> u64 {
        self.0.lock().counts.values().sum()
    }

    /// How many faults have been injected.
    pub fn faults_injected(&self) -> u64 {
        self.0.lock().faults_injected
    }

    /// Forgets the counts.
    pub fn reset_counts(&self) {
        let mut s = self.0.lock();
        s.counts.clear();
        s.faults_injected = 0;
    }

    /// Counts the request and picks the fault to inject, if any.
    fn on_request(&self, key: String, method: &str, path: &str) -> (Duration, Option<FaultKind>) {
        let mut s = self.0.lock();
        *s.counts.entry(key).or_default() += 1;
        let latency = s.latency;
        let state = &mut *s;
        let mut chosen = None;
        for fault in state.faults.iter_mut().filter(|f| f.matches(method, path)) {
            if state.rng.random_bool(fault.probability.clamp(0.0, 1.0)) {
                if let Some(n) = fault.times.as_mut() {
                    *n -= 1;
                }
                chosen = Some(fault.kind.clone());
                break;
            }
        }
        if chosen.is_some() {
            state.faults_injected += 1;
        }
        (latency, chosen)
    }

    /// The `/_sim/` control routes: `GET counts`, `POST latency {millis}`, `POST faults`
    /// (a [`Fault`]), `POST faults/clear`, `POST counts/reset`, and the stall routes.
    pub fn control_router(&self) -> Router {
        #[derive(Deserialize)]
        struct Latency {
            millis: u64,
        }
        let k = self.clone();
        let (k1, k2, k3, k4) = (k.clone(), k.clone(), k.clone(), k.clone());
        Router::new()
            .route("/_sim/counts", get(move || async move { Json(k.counts()) }))
            .route(
                "/_sim/counts/reset",
                post(move || async move {
                    k1.reset_counts();
                    StatusCode::NO_CONTENT
                }),
            )
            .route(
                "/_sim/latency",
                post(move |Json(l): Json<Latency>| async move {
                    k2.set_latency(Duration::from_millis(l.millis));
                    StatusCode::NO_CONTENT
                }),
            )
            .route(
                "/_sim/faults",
                post(move |Json(f): Json<Fault>| async move {
                    k3.add_fault(f);
                    StatusCode::NO_CONTENT
                }),
            )
            .route(
                "/_sim/faults/clear",
                post(move || async move {
                    k4.clear_faults();
                    StatusCode::NO_CONTENT
                }),
            )
            .merge(stall::control_router(self))
    }

    /// Wraps `router`'s routes with latency, faults and counting, and adds the control routes.
    pub fn install(&self, router: Router) -> Router {
        router
            .route_layer(axum::middleware::from_fn_with_state(
                self.clone(),
                knob_middleware,
            ))
            .merge(self.control_router())
    }
}

async fn knob_middleware(State(knobs): State<Knobs>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(path.clone(), |m| m.as_str().to_string());
    let (latency, fault) = knobs.on_request(format!("{method} {template}"), &method, &path);
    if let Some(hold) = knobs.pick_stall(&method, &path) {
        return stall::serve_held(&knobs, hold, req, next).await;
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        None => next.run(req).await,
        Some(FaultKind::Status { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body =
                serde_json::json!({"code": status.as_u16(), "message": status.canonical_reason()});
            (status, Json(body)).into_response()
        }
        Some(FaultKind::TooManyRequests { retry_after_secs }) => {
            let mut resp = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            resp.headers_mut()
                .insert("retry-after", HeaderValue::from(retry_after_secs));
            resp
        }
        Some(kind @ (FaultKind::Reset | FaultKind::ResetBefore)) => {
            if kind == FaultKind::Reset {
                let _processed = next.run(req).await;
            }
            let broken = futures_util::stream::once(async {
                Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "injected connection reset",
                ))
            });
            Response::new(Body::from_stream(broken))
        }
        Some(FaultKind::Slow { millis }) => {
            let resp = next.run(req).await;
            tokio::time::sleep(Duration::from_millis(millis)).await;
            resp
        }
        Some(FaultKind::MalformedJson) => {
            let resp = next.run(req).await;
            let mut broken = Response::new(Body::from("{\"id\": 1, \"begin\": \"2026-"));
            *broken.status_mut() = StatusCode::OK;
            broken
                .headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            drop(resp);
            broken
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_limited_in_times_stops_firing() {
        let knobs = Knobs::new(1);
        knobs.add_fault(Fault::always(FaultKind::Reset).on_path("/api/x").times(2));
        let hits: Vec<_> = (0..4)
            .map(|_| knobs.on_request("GET /api/x".into(), "GET", "/api/x").1)
            .collect();
        assert_eq!(hits.iter().filter(|h| h.is_some()).count(), 2);
        assert_eq!(knobs.counts()["GET /api/x"], 4);
        assert_eq!(knobs.faults_injected(), 2);
    }

    #[test]
    fn faults_respect_path_and_method() {
        let knobs = Knobs::new(1);
        knobs.add_fault(
            Fault::always(FaultKind::Status { status: 503 })
                .on_path("/api/t")
                .on_method("post"),
        );
        assert!(knobs.on_request("k".into(), "GET", "/api/t").1.is_none());
        assert!(knobs
            .on_request("k".into(), "POST", "/api/other")
            .1
            .is_none());
        assert!(knobs.on_request("k".into(), "POST", "/api/t/1").1.is_some());
    }

    #[test]
    fn probability_is_reproducible_for_a_seed() {
        let run = |seed| {
            let knobs = Knobs::new(seed);
            knobs.add_fault(Fault::always(FaultKind::Reset).with_probability(0.2));
            (0..1000)
                .filter(|_| knobs.on_request("k".into(), "GET", "/").1.is_some())
                .count()
        };
        let a = run(42);
        assert_eq!(a, run(42), "same seed, same faults");
        assert!((120..=280).contains(&a), "about 20 % of 1000: {a}");
    }
}

//! Holding one chosen request on purpose, so a crash test can kill its client at a precise
//! step without racing a timer. A [`Stall`] picks the N-th request matching a method and path
//! (skipping the first `skip` matches) and holds it:
//! - [`StallPoint::BeforeProcessing`]: held before the handler runs, and never processed — on
//!   release it is answered 504 untouched. The client died with its request in flight and
//!   nothing happened on the server.
//! - [`StallPoint::AfterProcessing`]: the handler runs, then the answer is held back. The write
//!   happened but the client never learns of it.
//!
//! The test polls [`Knobs::stalls_reached`] until the request is held (for `AfterProcessing`:
//! until the handler has finished), kills the client, then calls [`Knobs::release_stalls`].
//! A held request is released at the latest after its hold (60 s unless told otherwise).

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::Knobs;

/// Where a stalled request is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StallPoint {
    /// Before the handler: the request is never processed.
    BeforeProcessing,
    /// After the handler: processed, the answer held back.
    AfterProcessing,
}

fn default_hold() -> u64 {
    60_000
}

/// One stall rule: which request (the `skip + 1`-th match), where it is held, how long. Fires
/// once, then is spent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stall {
    /// Only requests whose path starts with this (all when `None`).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Only these methods, e.g. `["POST", "PATCH"]` (all when empty).
    #[serde(default)]
    pub methods: Vec<String>,
    /// Matching requests let through before the one held.
    #[serde(default)]
    pub skip: u32,
    /// Where it is held.
    pub point: StallPoint,
    /// The longest hold in milliseconds (released earlier by [`Knobs::release_stalls`]).
    #[serde(default = "default_hold")]
    pub hold_millis: u64,
}

impl Stall {
    /// Holds the first request (of any method and path) at `point` for up to 60 s.
    pub fn new(point: StallPoint) -> Self {
        Self {
            path_prefix: None,
            methods: Vec::new(),
            skip: 0,
            point,
            hold_millis: default_hold(),
        }
    }

    /// Restricts to paths starting with `prefix`.
    pub fn on_path(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_string());
        self
    }

    /// Restricts to these methods.
    pub fn on_methods(mut self, methods: &[&str]) -> Self {
        self.methods = methods.iter().map(|m| m.to_ascii_uppercase()).collect();
        self
    }

    /// Lets the first `n` matching requests through and holds the next one.
    pub fn after_skipping(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    /// Holds at most this long.
    pub fn hold_for(mut self, hold: Duration) -> Self {
        self.hold_millis = u64::try_from(hold.as_millis()).unwrap_or(u64::MAX);
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path_prefix
            .as_deref()
            .is_none_or(|p| path.starts_with(p))
            && (self.methods.is_empty()
                || self.methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
    }
}

/// The stall rules of one simulator and what they have held.
#[derive(Debug)]
pub(super) struct Stalls {
    rules: Vec<Stall>,
    reached: u64,
    /// Bumped by every release; a held request waits for a change.
    release: watch::Sender<u64>,
}

impl Default for Stalls {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            reached: 0,
            release: watch::Sender::new(0),
        }
    }
}

impl Stalls {
    /// Counts this request against every matching rule; the first rule whose skip is used up
    /// fires (and is spent).
    pub(super) fn pick(&mut self, method: &str, path: &str) -> Option<Hold> {
        let mut fired = None;
        for (i, rule) in self.rules.iter_mut().enumerate() {
            if !rule.matches(method, path) {
                continue;
            }
            if rule.skip > 0 {
                rule.skip -= 1;
            } else if fired.is_none() {
                fired = Some(i);
            }
        }
        let rule = self.rules.remove(fired?);
        let released = self.release.subscribe();
        let epoch = *released.borrow();
        Some(Hold {
            point: rule.point,
            hold: Duration::from_millis(rule.hold_millis),
            epoch,
            released,
        })
    }
}

/// A request picked by a stall rule.
#[derive(Debug)]
pub(super) struct Hold {
    point: StallPoint,
    hold: Duration,
    epoch: u64,
    released: watch::Receiver<u64>,
}

impl Hold {
    async fn wait(mut self) {
        let epoch = self.epoch;
        let _ = tokio::time::timeout(self.hold, self.released.wait_for(|e| *e != epoch)).await;
    }
}

impl Knobs {
    /// Adds a stall rule.
    pub fn add_stall(&self, stall: Stall) {
        self.0.lock().stalls.rules.push(stall);
    }

    /// How many requests have reached their hold point (for `AfterProcessing`: processed).
    pub fn stalls_reached(&self) -> u64 {
        self.0.lock().stalls.reached
    }

    /// Removes every stall rule and lets every held request go: one held before processing is
    /// answered 504 without being processed, one held after gets its answer.
    pub fn release_stalls(&self) {
        let mut s = self.0.lock();
        s.stalls.rules.clear();
        s.stalls.release.send_modify(|e| *e += 1);
    }

    pub(super) fn pick_stall(&self, method: &str, path: &str) -> Option<Hold> {
        self.0.lock().stalls.pick(method, path)
    }

    fn stall_reached(&self) {
        self.0.lock().stalls.reached += 1;
    }
}

/// Serves a held request.
pub(super) async fn serve_held(knobs: &Knobs, hold: Hold, req: Request, next: Next) -> Response {
    match hold.point {
        StallPoint::BeforeProcessing => {
            drop(req);
            knobs.stall_reached();
            hold.wait().await;
            let body = serde_json::json!({"code": 504, "message": "stalled request abandoned"});
            (StatusCode::GATEWAY_TIMEOUT, Json(body)).into_response()
        }
        StallPoint::AfterProcessing => {
            let resp = next.run(req).await;
            knobs.stall_reached();
            hold.wait().await;
            resp
        }
    }
}

/// `POST /_sim/stalls` (a [`Stall`]), `POST /_sim/stalls/release`, `GET /_sim/stalls`
/// (`{"reached": n}`).
pub(super) fn control_router(knobs: &Knobs) -> Router {
    let (k1, k2, k3) = (knobs.clone(), knobs.clone(), knobs.clone());
    Router::new()
        .route(
            "/_sim/stalls",
            post(move |Json(s): Json<Stall>| async move {
                k1.add_stall(s);
                StatusCode::NO_CONTENT
            })
            .get(move || async move { Json(serde_json::json!({"reached": k2.stalls_reached()})) }),
        )
        .route(
            "/_sim/stalls/release",
            post(move || async move {
                k3.release_stalls();
                StatusCode::NO_CONTENT
            }),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_holds_the_match_after_the_skipped_ones_then_is_spent() {
        let mut stalls = Stalls::default();
        stalls.rules.push(
            Stall::new(StallPoint::AfterProcessing)
                .on_path("/api/timesheets")
                .on_methods(&["post", "PATCH"])
                .after_skipping(2),
        );
        let mut pick = |m: &str, p: &str| stalls.pick(m, p).is_some();
        assert!(!pick("GET", "/api/timesheets"), "method not matched");
        assert!(!pick("POST", "/api/tags"), "path not matched");
        assert!(!pick("POST", "/api/timesheets"), "first match skipped");
        assert!(!pick("PATCH", "/api/timesheets/7"), "second match skipped");
        assert!(pick("POST", "/api/timesheets"), "third match held");
        assert!(!pick("POST", "/api/timesheets"), "spent");
        assert!(stalls.rules.is_empty());
    }

    #[test]
    fn every_rule_counts_its_own_matches() {
        let mut stalls = Stalls::default();
        stalls
            .rules
            .push(Stall::new(StallPoint::BeforeProcessing).after_skipping(1));
        stalls
            .rules
            .push(Stall::new(StallPoint::AfterProcessing).after_skipping(1));
        assert!(stalls.pick("GET", "/").is_none());
        let first = stalls
            .pick("GET", "/")
            .expect("both rules are due; the first fires");
        assert_eq!(first.point, StallPoint::BeforeProcessing);
        let second = stalls.pick("GET", "/").expect("the second is still due");
        assert_eq!(second.point, StallPoint::AfterProcessing);
        assert!(stalls.pick("GET", "/").is_none());
    }

    #[tokio::test]
    async fn a_release_ends_a_hold_even_one_taken_before_it() {
        let knobs = Knobs::new(1);
        knobs.add_stall(Stall::new(StallPoint::BeforeProcessing));
        let hold = knobs.pick_stall("GET", "/").expect("held");
        knobs.release_stalls();
        tokio::time::timeout(Duration::from_secs(5), hold.wait())
            .await
            .expect("released, not held for 60 s");
        knobs.add_stall(
            Stall::new(StallPoint::BeforeProcessing).hold_for(Duration::from_millis(10)),
        );
        let hold = knobs.pick_stall("GET", "/").expect("held");
        tokio::time::timeout(Duration::from_secs(5), hold.wait())
            .await
            .expect("ends after its hold");
    }
}

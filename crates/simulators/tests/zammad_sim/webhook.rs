//! The webhook sender's headers, signature and retries.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use parking_lot::Mutex;
use serde_json::{json, Value};
use timebridge_simulators::zammad::{signature, WebhookConfig};
use timebridge_simulators::RunningServer;

use super::support::*;

type Seen = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A receiver answering 500 to the first `failures` deliveries, then 200.
async fn receiver(failures: usize) -> (RunningServer, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| async move {
            let mut log = log.lock();
            log.push((headers, body));
            if log.len() <= failures {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::OK
            }
        }),
    );
    (RunningServer::start_local(app).await.unwrap(), seen)
}

fn config(url: String) -> WebhookConfig {
    WebhookConfig {
        retry_delays_ms: vec![1, 1, 1, 1],
        ..WebhookConfig::new(url, Some("s3cr3t".into()))
    }
}

async fn wait_for(seen: &Seen, n: usize) {
    for _ in 0..200 {
        if seen.lock().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("expected {n} deliveries, got {}", seen.lock().len());
}

#[tokio::test]
async fn b9_7_webhook_is_signed_and_retried_with_the_same_delivery_id() {
    let s = start().await;
    let (hook, seen) = receiver(2).await;
    s.sim
        .set_webhook(Some(config(format!("{}hook", hook.url()))));
    let a = s
        .post(
            "/api/v1/tickets/2/time_accountings",
            AGENT,
            json!({"time_unit": "5"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    wait_for(&seen, 3).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let seen = seen.lock();
    assert_eq!(
        seen.len(),
        3,
        "two failures, then success: no fourth attempt"
    );
    let delivery = &seen[0].0["x-zammad-delivery"];
    for (headers, body) in seen.iter() {
        assert_eq!(&headers["x-zammad-delivery"], delivery);
        assert_eq!(headers["x-zammad-trigger"], "Timebridge sync");
        assert_eq!(
            headers["x-hub-signature"],
            signature("s3cr3t", body).as_str()
        );
        let payload: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(payload["ticket"]["id"], 2);
        assert_eq!(payload["ticket"]["time_unit"], "5.0");
        assert!(payload.get("article").is_some());
    }
    assert!(
        !seen[0].0.contains_key("x-zammad-signature"),
        "no such header in Zammad"
    );
    let attempts = s.sim.webhook_attempts();
    assert_eq!(
        attempts.iter().map(|a| a.status).collect::<Vec<_>>(),
        [Some(500), Some(500), Some(200)]
    );
}

#[tokio::test]
async fn b9_7_webhook_gives_up_after_five_attempts() {
    let s = start().await;
    let (hook, seen) = receiver(usize::MAX).await;
    s.sim
        .set_webhook(Some(config(format!("{}hook", hook.url()))));
    s.sim
        .add_time_accounting_as("agent", 2, "1".parse().unwrap(), None);
    wait_for(&seen, 5).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(seen.lock().len(), 5);
}

#[tokio::test]
async fn b9_7_no_webhook_when_the_ticket_total_is_unchanged() {
    let s = start().await;
    let (hook, seen) = receiver(0).await;
    s.sim
        .set_webhook(Some(config(format!("{}hook", hook.url()))));
    s.post(
        "/api/v1/tickets/1/time_accountings",
        AGENT,
        json!({"time_unit": "0"}),
    )
    .await;
    s.post(
        "/api/v1/tickets/1/time_accountings",
        AGENT,
        json!({"time_unit": "1"}),
    )
    .await;
    wait_for(&seen, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let seen = seen.lock();
    assert_eq!(
        seen.len(),
        1,
        "only the entry that changed the total saved the ticket"
    );
    let payload: Value = serde_json::from_slice(&seen[0].1).unwrap();
    assert_eq!(payload["ticket"]["time_unit"], "16.0");
}

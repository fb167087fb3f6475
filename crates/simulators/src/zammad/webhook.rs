//! The webhook sender, as Zammad's trigger job does it: `POST` of
//! `{ticket, article}` with `X-Zammad-Trigger`, `X-Zammad-Delivery` (the same id on every
//! retry), `User-Agent: Zammad User Agent` and, with a signature token,
//! `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body>`; a non-2xx answer is retried, up
//! to 5 attempts in total. It fires whenever a ticket is saved — a time entry that leaves the
//! ticket total unchanged saves nothing, so it sends nothing (docs/api-notes.md §24).

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha1::Sha1;

/// Where and how the simulated trigger delivers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WebhookConfig {
    /// The endpoint URL.
    pub url: String,
    /// The HMAC-SHA1 signature token (no `X-Hub-Signature` when `None`).
    #[serde(default)]
    pub signature_token: Option<String>,
    /// The trigger's name, sent as `X-Zammad-Trigger`.
    #[serde(default = "default_trigger")]
    pub trigger_name: String,
    /// Waits before attempts 2–5 in milliseconds (Zammad: 10 s, 20 s, 30 s, 40 s).
    #[serde(default = "default_delays")]
    pub retry_delays_ms: Vec<u64>,
}

fn default_trigger() -> String {
    "Timebridge sync".to_string()
}

fn default_delays() -> Vec<u64> {
    vec![10_000, 20_000, 30_000, 40_000]
}

impl WebhookConfig {
    /// A config with Zammad's default retry schedule.
    pub fn new(url: impl Into<String>, signature_token: Option<String>) -> Self {
        Self {
            url: url.into(),
            signature_token,
            trigger_name: default_trigger(),
            retry_delays_ms: default_delays(),
        }
    }
}

/// One delivery attempt, for tests to inspect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookAttempt {
    /// The `X-Zammad-Delivery` id.
    pub delivery: String,
    /// The ticket the payload was about.
    pub ticket_id: i64,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The answer's status, `None` if no answer arrived.
    pub status: Option<u16>,
}

/// `sha1=<hex>` of the body under `token`.
pub fn signature(token: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(token.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    format!("sha1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends one payload with retries; calls `record` after every attempt.
pub(crate) async fn deliver(
    config: WebhookConfig,
    delivery: String,
    ticket_id: i64,
    body: Vec<u8>,
    record: impl Fn(WebhookAttempt),
) {
    let http = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(4))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook client");
            return;
        }
    };
    for attempt in 1..=5u32 {
        if attempt > 1 {
            let wait = config
                .retry_delays_ms
                .get(attempt as usize - 2)
                .copied()
                .unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
        let mut req = http
            .post(&config.url)
            .header("content-type", "application/json")
            .header("user-agent", "Zammad User Agent")
            .header("x-zammad-trigger", &config.trigger_name)
            .header("x-zammad-delivery", &delivery)
            .body(body.clone());
        if let Some(token) = &config.signature_token {
            req = req.header("x-hub-signature", signature(token, &body));
        }
        let status = req.send().await.ok().map(|r| r.status().as_u16());
        record(WebhookAttempt {
            delivery: delivery.clone(),
            ticket_id,
            attempt,
            status,
        });
        if status.is_some_and(|s| (200..300).contains(&s)) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_a_known_hmac_sha1() {
        // RFC 2202 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }
}

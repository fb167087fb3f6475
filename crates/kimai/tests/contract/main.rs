//! Contract tests of the Kimai client: wiremock servers answering with the documented shapes
//! of Kimai 2.66 (fixtures in `tests/fixtures/`; docs/api-notes.md), and every method once
//! against the Kimai simulator.

mod against_sim;
mod errors;
mod reads;
mod retries;
mod writes;

use std::time::Duration;

use timebridge_http::{BaseUrl, HttpConfig, RetryPolicy, Secret};
use timebridge_kimai::KimaiClient;
use wiremock::{MockServer, ResponseTemplate};

pub(crate) const TOKEN: &str = "tb-kimai-secret-7f3a";

/// A fixture file's text.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A JSON answer with `status` and the fixture as body.
pub(crate) fn json_response(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

/// Settings with tiny backoffs so retry tests run fast.
pub(crate) fn fast_config() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

/// A client for `url` with [`TOKEN`].
pub(crate) fn client_for(url: &str) -> KimaiClient {
    let base = BaseUrl::parse(url, false).unwrap();
    KimaiClient::new(base, Secret::new(TOKEN), fast_config()).unwrap()
}

/// A wiremock server and a client pointing at it.
pub(crate) async fn mock() -> (MockServer, KimaiClient) {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    (server, client)
}

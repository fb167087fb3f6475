//! Contract tests of the Zammad client: against wiremock serving the documented JSON shapes
//! (docs/api-notes.md), and once per method against the simulator.

mod against_sim;
mod errors;
mod models;
mod paging;
mod retries;

use std::time::Duration;

use timebridge_http::{BaseUrl, HttpConfig, RetryPolicy, Secret};
use timebridge_zammad::ZammadClient;
use wiremock::ResponseTemplate;

/// The token the wiremock tests use.
pub(crate) const TOKEN: &str = "tb-zammad-7f3a9c";

/// A fixture file's text.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A 200 JSON response with a fixture's body.
pub(crate) fn json_fixture(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json")
}

/// Transport settings with tiny backoffs, so retry tests run fast.
pub(crate) fn fast_config(max_retries: u32) -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_retries,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            max_retry_after: Duration::from_secs(1),
        },
        ..HttpConfig::default()
    }
}

/// A client for `uri` (a loopback URL) with [`TOKEN`].
pub(crate) fn client_for(uri: &str, token: &str, max_retries: u32) -> ZammadClient {
    let base = BaseUrl::parse(uri, false).unwrap();
    ZammadClient::new(base, Secret::new(token), fast_config(max_retries)).unwrap()
}

/// A client for a wiremock server, 3 fast retries.
pub(crate) fn client(server: &wiremock::MockServer) -> ZammadClient {
    client_for(&server.uri(), TOKEN, 3)
}

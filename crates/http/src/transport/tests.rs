//! Transport behaviour against a wiremock server: what is retried, what never is.

use std::time::{Duration, Instant};

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

fn config() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_millis(500),
        max_concurrency: 4,
        retry: RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(2),
        },
        ..HttpConfig::default()
    }
}

fn transport(server: &MockServer, config: HttpConfig) -> Transport {
    let base = BaseUrl::parse(&server.uri(), false).unwrap();
    Transport::new(base, Some(Secret::new("Bearer tb-secret-123")), config).unwrap()
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_get_is_retried_on_503_until_it_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let resp = transport(&server, config())
        .send(&Request::new(Method::Get, "api/x"))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(count(&server).await, 3);
}

#[tokio::test]
async fn a_post_is_never_resent_after_a_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let resp = transport(&server, config())
        .send(&Request::new(Method::Post, "api/x").json_body(b"{}".to_vec()))
        .await
        .unwrap();
    assert_eq!(resp.status, 503, "the caller sees the failure");
    assert_eq!(
        count(&server).await,
        1,
        "the POST may have been processed: never resent"
    );
}

#[tokio::test]
async fn a_post_is_never_resent_after_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let err = transport(&server, config())
        .send(&Request::new(Method::Post, "api/x"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Timeout(_)), "{err:?}");
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_toggling_patch_is_not_retried_but_a_declared_idempotent_one_is() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let t = transport(&server, config());
    t.send(&Request::new(Method::Patch, "api/t/1/export"))
        .await
        .unwrap();
    assert_eq!(count(&server).await, 1);
    t.send(&Request::new(Method::Patch, "api/t/1").idempotent(true))
        .await
        .unwrap();
    assert_eq!(
        count(&server).await,
        1 + 4,
        "first attempt plus three retries"
    );
}

#[tokio::test]
async fn a_get_timeout_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let resp = transport(&server, config())
        .send(&Request::new(Method::Get, "api/x"))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn a_429_is_retried_even_for_a_post_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let started = Instant::now();
    let resp = transport(&server, config())
        .send(&Request::new(Method::Post, "api/x"))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited for Retry-After"
    );
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_returned_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let resp = transport(&server, config())
        .send(&Request::new(Method::Get, "api/x"))
        .await
        .unwrap();
    assert_eq!(resp.status, 429);
    assert_eq!(resp.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_classified_and_retried_even_for_a_post() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}"), false).unwrap();
    let t = Transport::new(base, None, config()).unwrap();
    let err = t
        .send(&Request::new(Method::Post, "api/x"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Refused(_)), "{err:?}");
    assert!(err.never_sent());
}

#[tokio::test]
async fn the_token_is_sent_in_the_header_and_nowhere_else() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/x"))
        .and(header("authorization", "Bearer tb-secret-123"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let t = transport(&server, config());
    assert_eq!(
        t.send(&Request::new(Method::Get, "/api/x"))
            .await
            .unwrap()
            .status,
        200
    );
    let req = &server.received_requests().await.unwrap()[0];
    assert!(!req.url.as_str().contains("tb-secret"), "never in the URL");
    assert!(!format!("{t:?}").contains("tb-secret"), "never in Debug");
    let ua = req.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(ua.starts_with("Timebridge/"), "{ua}");
}

#[tokio::test]
async fn requests_in_flight_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let t = transport(
        &server,
        HttpConfig {
            max_concurrency: 2,
            ..config()
        },
    );
    let started = Instant::now();
    let calls = (0..6).map(|_| {
        let t = t.clone();
        async move { t.send(&Request::new(Method::Get, "api/x")).await.unwrap() }
    });
    let all = futures_join_all(calls).await;
    assert_eq!(all.len(), 6);
    assert!(
        started.elapsed() >= Duration::from_millis(580),
        "6 requests of 200 ms, 2 at a time, take at least 600 ms: {:?}",
        started.elapsed()
    );
}

async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn https_to_a_plain_http_port_is_a_tls_failure() {
    let server = MockServer::start().await;
    let url = server.uri().replace("http://", "https://");
    let t = Transport::new(BaseUrl::parse(&url, false).unwrap(), None, config()).unwrap();
    let err = t
        .send(&Request::new(Method::Get, "api/x"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Tls(_)), "{err:?}");
    assert_eq!(
        count(&server).await,
        0,
        "nothing reached the server as HTTP"
    );
}

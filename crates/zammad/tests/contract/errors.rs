//! Each error class, from Zammad's real status codes and bodies (docs/api-notes.md §19).

use serde_json::json;
use timebridge_http::SendError;
use timebridge_zammad::ZammadError;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client, client_for, TOKEN};

async fn answer(status: u16, body: serde_json::Value) -> ZammadError {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/tickets/1"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    client_for(&server.uri(), TOKEN, 0)
        .ticket(1)
        .await
        .unwrap_err()
}

fn zammad_error(text: &str) -> serde_json::Value {
    json!({"error": text, "error_human": text})
}

#[tokio::test]
async fn missing_credentials_403_is_auth_failed_not_forbidden() {
    let e = answer(403, zammad_error("Authentication required")).await;
    assert!(
        matches!(e, ZammadError::AuthFailed { ref detail } if detail == "Authentication required"),
        "{e:?}"
    );
}

#[tokio::test]
async fn wrong_token_401_is_auth_failed() {
    let e = answer(401, json!({"error": "Can't find User for Token"})).await;
    assert!(
        matches!(e, ZammadError::AuthFailed { ref detail } if detail.contains("Token")),
        "{e:?}"
    );
}

#[tokio::test]
async fn token_scope_403_is_forbidden_with_token_scope() {
    let e = answer(403, zammad_error("Not authorized (token)!")).await;
    assert!(
        matches!(
            e,
            ZammadError::Forbidden {
                token_scope: true,
                ..
            }
        ),
        "{e:?}"
    );
    let e = answer(403, zammad_error("Not authorized")).await;
    assert!(
        matches!(
            e,
            ZammadError::Forbidden {
                token_scope: false,
                ..
            }
        ),
        "{e:?}"
    );
    let e = answer(403, zammad_error("Time Accounting is not enabled")).await;
    assert!(
        matches!(e, ZammadError::Forbidden { ref detail, token_scope: false }
        if detail == "Time Accounting is not enabled"),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_x_failure_header_is_read_when_the_body_is_empty() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/tickets/1"))
        .respond_with(
            ResponseTemplate::new(403).insert_header("X-Failure", "Not authorized (token)!"),
        )
        .mount(&server)
        .await;
    let e = client(&server).ticket(1).await.unwrap_err();
    assert!(
        matches!(
            e,
            ZammadError::Forbidden {
                token_scope: true,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn not_found_validation_rate_limit_and_server_errors() {
    let e = answer(404, zammad_error("Couldn't find Ticket with 'id'=1")).await;
    assert!(matches!(e, ZammadError::NotFound { .. }), "{e:?}");
    let e = answer(422, zammad_error("Invalid value for param 'type_id'")).await;
    assert!(
        matches!(e, ZammadError::Validation { ref message } if message.contains("type_id")),
        "{e:?}"
    );
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/tickets/1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .mount(&server)
        .await;
    let e = client_for(&server.uri(), TOKEN, 0)
        .ticket(1)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ZammadError::RateLimited { retry_after: Some(d) } if d.as_secs() == 7),
        "{e:?}"
    );
    assert!(e.is_retryable());
    let e = answer(
        500,
        zammad_error("Error ID abc: Please contact your administrator."),
    )
    .await;
    assert!(
        matches!(e, ZammadError::Server { status: 500, ref excerpt } if excerpt.contains("Error ID")),
        "{e:?}"
    );
    assert!(e.is_retryable());
}

#[tokio::test]
async fn a_closed_port_is_a_refused_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let e = client_for(&uri, TOKEN, 0).me().await.unwrap_err();
    assert!(
        matches!(e, ZammadError::Transport(SendError::Refused(_))),
        "{e:?}"
    );
    assert!(e.is_retryable());
}

#[tokio::test]
async fn html_or_foreign_json_is_not_zammad() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/users/me"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html><body>Login</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/signshow"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": "2.66.0"})))
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(matches!(c.me().await, Err(ZammadError::NotZammad { .. })));
    assert!(matches!(
        c.time_accounting_config().await,
        Err(ZammadError::NotZammad { .. })
    ));
}

#[tokio::test]
async fn errors_and_debug_never_show_the_token() {
    let e = answer(401, json!({"error": "Can't find User for Token"})).await;
    let server = MockServer::start().await;
    let c = client(&server);
    let shown = format!("{e} {e:?} {c:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

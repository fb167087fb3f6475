//! Every error class of `KimaiError`, from the documented answers.

use timebridge_http::SendError;
use timebridge_kimai::{FieldError, KimaiError, TimesheetPatch};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::*;

#[tokio::test]
async fn sends_the_bearer_token_and_never_shows_it() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .and(path("/api/ping"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"message":"pong"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    client.ping().await.unwrap();
    assert!(!format!("{client:?}").contains(TOKEN));
}

#[tokio::test]
async fn wrong_token_401_empty_body_is_auth_failed() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "WWW-Authenticate",
            "Bearer error=\"invalid_token\",error_description=\"Invalid credentials.\"",
        ))
        .mount(&server)
        .await;
    let err = client.me().await.unwrap_err();
    assert!(matches!(err, KimaiError::AuthFailed), "{err:?}");
    assert!(!err.is_retryable());
    assert!(matches!(
        client.ping().await.unwrap_err(),
        KimaiError::AuthFailed
    ));
}

#[tokio::test]
async fn forbidden_403_keeps_the_message_and_locked_on_timesheet_changes() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(json_response(403, "forbidden.json"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(json_response(403, "forbidden.json"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(json_response(403, "forbidden.json"))
        .mount(&server)
        .await;
    match client.timesheet(1).await.unwrap_err() {
        KimaiError::Forbidden { message } => assert_eq!(message, "Forbidden"),
        other => panic!("{other:?}"),
    }
    let patch = TimesheetPatch {
        description: Some("x".into()),
        ..Default::default()
    };
    assert!(matches!(
        client.update_timesheet(1, &patch).await.unwrap_err(),
        KimaiError::Locked
    ));
    assert!(matches!(
        client.delete_timesheet(1).await.unwrap_err(),
        KimaiError::Locked
    ));
}

#[tokio::test]
async fn validation_errors_walk_children_into_dotted_paths() {
    let (server, client) = mock().await;
    Mock::given(method("PATCH"))
        .respond_with(json_response(400, "validation_error.json"))
        .mount(&server)
        .await;
    let err = client
        .update_timesheet(1, &TimesheetPatch::default())
        .await
        .unwrap_err();
    let KimaiError::Validation { global, mut fields } = err else {
        panic!("{err:?}")
    };
    assert_eq!(global, ["This form should not contain extra fields."]);
    fields.sort_by(|a, b| a.path.cmp(&b.path));
    let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["end", "meta.value", "project"]);
    assert_eq!(
        fields[1],
        FieldError {
            path: "meta.value".into(),
            messages: vec!["Too long.".into()]
        }
    );
}

#[tokio::test]
async fn validation_with_a_string_code_is_still_validation() {
    let (server, client) = mock().await;
    Mock::given(method("PATCH"))
        .respond_with(json_response(400, "validation_error_string_code.json"))
        .mount(&server)
        .await;
    let err = client
        .update_timesheet(1, &TimesheetPatch::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, KimaiError::Validation { global, fields } if global.is_empty() && fields[0].path == "end"),
        "{err:?}"
    );
}

#[tokio::test]
async fn not_found_bad_request_rate_limited_and_server() {
    let (server, client) = mock().await;
    Mock::given(path("/api/timesheets/404"))
        .respond_with(json_response(404, "not_found.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/timesheets/400"))
        .respond_with(json_response(400, "bad_request.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/timesheets/429"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .mount(&server)
        .await;
    Mock::given(path("/api/timesheets/502"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;
    assert!(matches!(
        client.timesheet(404).await.unwrap_err(),
        KimaiError::NotFound
    ));
    assert!(
        matches!(client.timesheet(400).await.unwrap_err(), KimaiError::BadRequest { message } if message == "Bad Request")
    );
    let limited = client.timesheet(429).await.unwrap_err();
    assert!(
        matches!(limited, KimaiError::RateLimited { retry_after: Some(d) } if d.as_secs() == 120),
        "{limited:?}"
    );
    assert!(limited.is_retryable());
    let server_err = client.timesheet(502).await.unwrap_err();
    assert!(
        matches!(&server_err, KimaiError::Server { status: 502, excerpt } if excerpt.contains("Bad gateway"))
    );
    assert!(server_err.is_retryable());
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let (server, client) = mock().await;
    let bad = fixture("timesheet_entity.json").replace("\"duration\":900", "\"duration\":\"long\"");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bad, "application/json"))
        .mount(&server)
        .await;
    match client.timesheet(812).await.unwrap_err() {
        KimaiError::Decode { path, .. } => assert_eq!(path, "duration"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn html_or_foreign_json_is_not_kimai() {
    let (server, client) = mock().await;
    Mock::given(path("/api/version"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/api/ping"))
        .respond_with(ResponseTemplate::new(404).set_body_string("nope"))
        .mount(&server)
        .await;
    assert!(matches!(
        client.version().await.unwrap_err(),
        KimaiError::NotKimai { .. }
    ));
    assert!(matches!(
        client.ping().await.unwrap_err(),
        KimaiError::NotKimai { .. }
    ));
    let (server, client) = mock().await;
    Mock::given(path("/api/version"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"name":"gitea"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    assert!(matches!(
        client.version().await.unwrap_err(),
        KimaiError::NotKimai { .. }
    ));
}

#[tokio::test]
async fn refused_connection_keeps_the_transport_kind() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let err = client_for(&url).ping().await.unwrap_err();
    assert!(
        matches!(err, KimaiError::Transport(SendError::Refused(_))),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(!err.to_string().contains(TOKEN));
}

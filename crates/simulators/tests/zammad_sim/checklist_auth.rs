//! Authentication forms, Zammad's status codes, error shape.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn b9_1_no_credentials_is_403_authentication_required() {
    let s = start().await;
    let a = s.raw(Method::GET, "/api/v1/users/me", None, None).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(
        a.json,
        json!({"error": "Authentication required", "error_human": "Authentication required"})
    );
    assert_eq!(a.headers["x-failure"], "Authentication required");
}

#[tokio::test]
async fn b9_1_wrong_token_is_401() {
    let s = start().await;
    let a = s.get("/api/v1/users/me", "no-such-token").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.headers.contains_key("x-failure"));
    let a = s.get("/api/v1/users/me", INACTIVE).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "inactive user");
}

#[tokio::test]
async fn b9_1_token_bearer_and_token_equals_forms_authenticate() {
    let s = start().await;
    for header in [
        format!("Token token={AGENT}"),
        format!("Token {AGENT}"),
        format!("Bearer {AGENT}"),
    ] {
        let a = s
            .raw(Method::GET, "/api/v1/users/me", Some(&header), None)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{header}");
        assert_eq!(a.json["login"], "agent");
    }
}

#[tokio::test]
async fn b9_1_token_permission_scope_is_403_not_authorized_token() {
    let s = start().await;
    let a = s.get("/api/v1/time_accountings", SCOPED).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error(), "Not authorized (token)!");
    assert_eq!(a.headers["x-failure"], "Not authorized (token)!");
    let a = s.get("/api/v1/time_accountings", ADMIN).await;
    assert_eq!(a.status, StatusCode::OK, "the same call with a full token");
    // The scoped user may read ticket 1's entries as an agent: the token carries ticket.agent.
    let a = s.get("/api/v1/tickets/1/time_accountings", SCOPED).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn b9_1_from_header_needs_admin_user() {
    let s = start().await;
    let url = format!("{}api/v1/tickets/2/time_accountings", s.server.url());
    let http = reqwest::Client::new();
    let send = |token: &'static str| {
        http.post(&url)
            .header("authorization", format!("Token token={token}"))
            .header("from", "agent")
            .json(&json!({"time_unit": "5"}))
            .send()
    };
    assert_eq!(send(AGENT).await.unwrap().status(), StatusCode::FORBIDDEN);
    let created: serde_json::Value = send(ADMIN).await.unwrap().json().await.unwrap();
    assert_eq!(created["created_by_id"], 2, "booked in the agent's name");
    let unknown = http
        .get(format!("{}api/v1/users/me", s.server.url()))
        .header("authorization", format!("Token token={ADMIN}"))
        .header("from", "nobody")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::FORBIDDEN);
    assert_eq!(unknown.headers()["x-failure"], "No such user 'nobody'");
}

#[tokio::test]
async fn b9_2_policy_denial_has_error_body_and_x_failure() {
    let s = start().await;
    let a = s.get("/api/v1/tickets/3/time_accountings", AGENT).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(
        a.json,
        json!({"error": "Not authorized", "error_human": "Not authorized"})
    );
    assert_eq!(a.headers["x-failure"], "Not authorized");
}

#[tokio::test]
async fn b9_2_record_not_found_is_404_also_for_another_tickets_entry() {
    let s = start().await;
    let a = s.get("/api/v1/tickets/1/time_accountings/99", AGENT).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(
        a.error().contains("Couldn't find Ticket::TimeAccounting"),
        "{}",
        a.json
    );
    assert_eq!(
        s.get("/api/v1/tickets/1/time_accountings/1", AGENT)
            .await
            .status,
        StatusCode::OK
    );
    let a = s.get("/api/v1/tickets/2/time_accountings/1", AGENT).await;
    assert_eq!(
        a.status,
        StatusCode::NOT_FOUND,
        "entry 1 belongs to ticket 1"
    );
    assert_eq!(
        s.get("/api/v1/tickets/999", AGENT).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn b9_2_validation_is_422() {
    let s = start().await;
    let path = "/api/v1/tickets/1/time_accountings";
    let a = s.post(path, AGENT, json!({"type_id": 1})).await;
    assert_eq!(
        a.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing time_unit"
    );
    let a = s
        .post(path, AGENT, json!({"time_unit": "5", "type_id": 77}))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error(), "Invalid value for param 'type_id'");
    assert_eq!(s.sim.time_accountings().len(), 1, "nothing was created");
}

#[tokio::test]
async fn users_me_and_signshow_and_organization() {
    let s = start().await;
    let me = s.get("/api/v1/users/me", AGENT).await.json;
    assert_eq!(me["id"], 2);
    assert_eq!(me["group_ids"], json!({"1": ["full"], "2": ["read"]}));
    assert!(me.get("password").is_none());
    let anonymous = s.raw(Method::GET, "/api/v1/signshow", None, None).await;
    assert_eq!(anonymous.json["error"], "no valid session");
    assert_eq!(anonymous.json["config"]["time_accounting_unit"], "minute");
    let show = s.get("/api/v1/signshow", AGENT).await.json;
    assert_eq!(show["session"]["login"], "agent");
    assert_eq!(show["config"]["time_accounting"], true);
    assert_eq!(show["config"]["time_accounting_unit"], "minute");
    assert_eq!(show["config"]["time_accounting_types"], true);
    let org = s.get("/api/v1/organizations/1", AGENT).await;
    assert_eq!(org.json["name"], "Acme GmbH");
    assert_eq!(
        s.get("/api/v1/organizations/9", AGENT).await.status,
        StatusCode::NOT_FOUND
    );
}

//! Server-side traps (docs/api-notes.md) the simulator must reproduce.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn trap_18_agent_cannot_update_or_delete() {
    let s = start().await;
    for path in [
        "/api/v1/tickets/1/time_accountings/1",
        "/api/v1/time_accountings/1",
    ] {
        let put = s
            .call(Method::PUT, path, AGENT, Some(json!({"time_unit": "1"})))
            .await;
        assert_eq!(put.status, StatusCode::FORBIDDEN, "PUT {path}");
        let del = s.call(Method::DELETE, path, AGENT, None).await;
        assert_eq!(del.status, StatusCode::FORBIDDEN, "DELETE {path}");
    }
    assert_eq!(s.sim.time_accountings()[0].time_unit, "15".parse().unwrap());
    let put = s
        .call(
            Method::PUT,
            "/api/v1/tickets/1/time_accountings/1",
            ADMIN,
            Some(json!({"time_unit": "20"})),
        )
        .await;
    assert_eq!(put.json["time_unit"], "20.0", "admins may");
}

#[tokio::test]
async fn trap_18_agent_cannot_list_types() {
    let s = start().await;
    assert_eq!(
        s.get("/api/v1/time_accounting/types", AGENT).await.status,
        StatusCode::FORBIDDEN
    );
    let types = s.get("/api/v1/time_accounting/types", ADMIN).await.json;
    assert_eq!(types[1]["name"], "Phone");
}

#[tokio::test]
async fn trap_19_missing_credentials_403_wrong_credentials_401() {
    let s = start().await;
    let missing = s
        .raw(
            Method::GET,
            "/api/v1/tickets/1/time_accountings",
            None,
            None,
        )
        .await;
    let wrong = s.get("/api/v1/tickets/1/time_accountings", "wrong").await;
    assert_eq!((missing.status.as_u16(), wrong.status.as_u16()), (403, 401));
    assert_eq!(missing.error(), "Authentication required");
}

#[tokio::test]
async fn trap_9_zero_and_negative_accepted() {
    let s = start().await;
    for v in ["0", "-15"] {
        let a = s
            .post(
                "/api/v1/tickets/1/time_accountings",
                AGENT,
                json!({"time_unit": v}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{v}");
    }
    assert_eq!(s.ticket(1).await["time_unit"], "0.0");
}

#[tokio::test]
async fn trap_24_type_change_keeps_updated_at() {
    let s = start().await;
    let before = s.ticket(1).await["updated_at"].clone();
    s.advance(30);
    let a = s
        .call(
            Method::PUT,
            "/api/v1/tickets/1/time_accountings/1",
            ADMIN,
            Some(json!({"type_id": 2})),
        )
        .await;
    assert_eq!(a.json["type_id"], 2);
    assert_eq!(
        a.json["updated_at"], "2026-03-10T12:30:00.000Z",
        "the entry changed"
    );
    assert_eq!(
        s.ticket(1).await["updated_at"],
        before,
        "the ticket total did not"
    );
}

#[tokio::test]
async fn trap_24_sum_keeping_edits_are_invisible_to_an_updated_at_search() {
    let s = start().await;
    s.advance(30);
    let since = "2026-03-10T12:00:00.000Z";
    let edit = json!({"time_unit": "15.00", "type_id": 2});
    let a = s
        .call(Method::PUT, "/api/v1/time_accountings/1", ADMIN, Some(edit))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let zero = s
        .post(
            "/api/v1/tickets/1/time_accountings",
            AGENT,
            json!({"time_unit": 0}),
        )
        .await;
    assert_eq!(zero.status, StatusCode::CREATED);
    let search = json!({"condition": {"ticket.updated_at": {"operator": "after (absolute)", "value": since}}});
    let found = s
        .post("/api/v1/tickets/search", ADMIN, search.clone())
        .await;
    assert_eq!(
        found.json,
        json!([]),
        "two changed entries, no changed ticket"
    );
    s.post(
        "/api/v1/tickets/1/time_accountings",
        AGENT,
        json!({"time_unit": 1}),
    )
    .await;
    let found = s.post("/api/v1/tickets/search", ADMIN, search).await;
    assert_eq!(found.json[0]["id"], 1, "a changed total is visible");
}

#[tokio::test]
async fn trap_27_ticket_delete_destroys_entries() {
    let s = start().await;
    s.sim
        .add_time_accounting_as("agent", 1, "5".parse().unwrap(), None);
    s.sim
        .add_time_accounting_as("agent", 2, "5".parse().unwrap(), None);
    let del = s
        .call(Method::DELETE, "/api/v1/tickets/1", ADMIN, None)
        .await;
    assert_eq!(del.status, StatusCode::OK);
    assert_eq!(
        s.get("/api/v1/tickets/1/time_accountings", ADMIN)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let left = s.get("/api/v1/time_accountings", ADMIN).await.json;
    assert_eq!(
        left.as_array().unwrap().len(),
        1,
        "only ticket 2's entry remains"
    );
    assert!(s.sim.delete_ticket(2));
    assert!(s.sim.time_accountings().is_empty());
}

//! Time accounting CRUD, policy matrix, decimals, paging, ticket
//! totals and hard deletes.

use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::support::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn b9_3_agent_with_change_access_lists_shows_and_creates() {
    let s = start().await;
    let list = s.get("/api/v1/tickets/1/time_accountings", AGENT).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json.as_array().unwrap().len(), 1);
    s.advance(5);
    let a = s
        .post(
            "/api/v1/tickets/1/time_accountings",
            AGENT,
            json!({"time_unit": 10, "type_id": 2, "created_by_id": 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(a.json["time_unit"], "10.0");
    assert_eq!(
        a.json["created_by_id"], 2,
        "always the caller (docs/api-notes.md §31)"
    );
    assert_eq!(a.json["ticket_id"], 1);
    assert_eq!(a.json["ticket_article_id"], Value::Null);
    assert_eq!(a.json["created_at"], "2026-03-10T12:05:00.000Z");
    let id = a.json["id"].as_i64().unwrap();
    let shown = s
        .get(&format!("/api/v1/tickets/1/time_accountings/{id}"), AGENT)
        .await;
    assert_eq!(shown.json, a.json);
}

#[tokio::test]
async fn b9_3_read_only_or_no_group_access_is_403() {
    let s = start().await;
    for ticket in [3, 4] {
        let path = format!("/api/v1/tickets/{ticket}/time_accountings");
        assert_eq!(
            s.get(&path, AGENT).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let a = s.post(&path, AGENT, json!({"time_unit": "1"})).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    let a = s.get("/api/v1/tickets/1/time_accountings", CUSTOMER).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "customers");
    assert_eq!(
        s.get("/api/v1/tickets/3/time_accountings", ADMIN)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn b9_3_create_needs_the_setting_except_for_admins() {
    let s = start().await;
    s.sim.set_time_accounting_enabled(false);
    let path = "/api/v1/tickets/1/time_accountings";
    let a = s.post(path, AGENT, json!({"time_unit": "1"})).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error(), "Time Accounting is not enabled");
    assert_eq!(
        s.post(path, ADMIN, json!({"time_unit": "1"})).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn b9_3_time_unit_is_a_string_with_at_least_one_decimal() {
    let s = start().await;
    let path = "/api/v1/tickets/2/time_accountings";
    for (sent, shown) in [
        (json!("15"), "15.0"),
        (json!(15.25), "15.25"),
        (json!("-5"), "-5.0"),
        (json!(0), "0.0"),
        (json!("0.333"), "0.33"),
    ] {
        let a = s.post(path, AGENT, json!({"time_unit": sent})).await;
        assert_eq!(a.status, StatusCode::CREATED, "{sent}");
        assert_eq!(a.json["time_unit"], shown, "{sent}");
    }
}

#[tokio::test]
async fn b9_3_admin_destroy_returns_empty_object() {
    let s = start().await;
    let a = s
        .call(
            Method::DELETE,
            "/api/v1/tickets/1/time_accountings/1",
            ADMIN,
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json, json!({}));
}

#[tokio::test]
async fn b9_4_index_pages_by_id_default_500_max_1000() {
    let s = start().await;
    for i in 0..1000 {
        s.sim
            .add_time_accounting_as("agent", 2, Decimal::from(i % 7), None);
    }
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    };
    let base = "/api/v1/tickets/2/time_accountings";
    let first = ids(&s.get(base, ADMIN).await.json);
    assert_eq!(first.len(), 500, "default per_page");
    assert!(first.windows(2).all(|w| w[0] < w[1]), "ordered by id");
    let big = ids(&s.get(&format!("{base}?per_page=5000"), ADMIN).await.json);
    assert_eq!(big.len(), 1000, "max per_page");
    let p2 = ids(&s
        .get(&format!("{base}?page=2&per_page=400"), ADMIN)
        .await
        .json);
    assert_eq!(p2, big[400..800].to_vec());
    assert_eq!(first, big[..500].to_vec());
    let last = ids(&s
        .get(&format!("{base}?page=3&per_page=400"), ADMIN)
        .await
        .json);
    assert_eq!(last.len(), 200);
}

#[tokio::test]
async fn b9_4_global_list_is_admin_only_and_unfiltered() {
    let s = start().await;
    s.sim.add_time_accounting_as("admin", 3, d("2"), None);
    assert_eq!(
        s.get("/api/v1/time_accountings", AGENT).await.status,
        StatusCode::FORBIDDEN
    );
    let all = s
        .get(
            "/api/v1/time_accountings?created_at=2030-01-01&ticket_id=1",
            ADMIN,
        )
        .await;
    assert_eq!(all.json.as_array().unwrap().len(), 2, "filters are ignored");
}

#[tokio::test]
async fn b9_5_ticket_time_unit_is_the_recomputed_sum() {
    let s = start().await;
    assert_eq!(s.ticket(1).await["time_unit"], "15.0");
    assert_eq!(
        s.ticket(2).await["time_unit"],
        Value::Null,
        "no entries yet"
    );
    s.post(
        "/api/v1/tickets/1/time_accountings",
        AGENT,
        json!({"time_unit": "-5.5"}),
    )
    .await;
    assert_eq!(s.ticket(1).await["time_unit"], "9.5");
}

#[tokio::test]
async fn b9_5_ticket_updated_at_bumped_only_when_total_changes() {
    let s = start().await;
    let before = s.ticket(1).await["updated_at"].clone();
    s.advance(10);
    let zero = s
        .post(
            "/api/v1/tickets/1/time_accountings",
            AGENT,
            json!({"time_unit": "0"}),
        )
        .await;
    assert_eq!(zero.status, StatusCode::CREATED);
    assert_eq!(
        s.ticket(1).await["updated_at"],
        before,
        "a zero keeps the total"
    );
    s.advance(10);
    s.post(
        "/api/v1/tickets/1/time_accountings",
        AGENT,
        json!({"time_unit": "5"}),
    )
    .await;
    assert_eq!(s.ticket(1).await["updated_at"], "2026-03-10T12:20:00.000Z");
}

#[tokio::test]
async fn b9_8_time_accountings_are_hard_deleted() {
    let s = start().await;
    let id = s.sim.add_time_accounting_as("agent", 2, d("30"), None);
    let a = s
        .call(
            Method::DELETE,
            &format!("/api/v1/time_accountings/{id}"),
            ADMIN,
            None,
        )
        .await;
    assert_eq!(a.json, json!({}));
    let shown = s
        .get(&format!("/api/v1/tickets/2/time_accountings/{id}"), ADMIN)
        .await;
    assert_eq!(shown.status, StatusCode::NOT_FOUND);
    let list = s.get("/api/v1/time_accountings", ADMIN).await.json;
    assert!(list.as_array().unwrap().iter().all(|e| e["id"] != id));
    assert_eq!(s.ticket(2).await["time_unit"], "0.0");
}

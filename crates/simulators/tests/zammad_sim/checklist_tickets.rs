//! Ticket listing and search (SQL mode by default, ES mode on request).

use serde_json::{json, Value};
use timebridge_simulators::zammad::SeedTicket;

use super::support::*;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn b9_6_search_is_an_array_ordered_by_updated_at_desc() {
    let s = start().await;
    s.advance(1);
    s.sim
        .add_time_accounting_as("agent", 2, "1".parse().unwrap(), None);
    let a = s.get("/api/v1/tickets/search?query=*", ADMIN).await;
    assert_eq!(ids(&a.json), vec![2, 4, 3, 1]);
    let agent = s.get("/api/v1/tickets/search?query=*", AGENT).await;
    assert_eq!(ids(&agent.json), vec![2, 3, 1], "only readable groups");
}

#[tokio::test]
async fn b9_6_search_per_page_default_50_max_200() {
    let mut seed = seed();
    seed.tickets = (1..=250)
        .map(|id| SeedTicket {
            id,
            number: None,
            title: format!("Ticket {id}"),
            group_id: 1,
            organization_id: None,
            customer_id: None,
            owner_id: None,
            created_at: t0() - chrono::Duration::minutes(id),
            updated_at: None,
        })
        .collect();
    seed.time_accountings.clear();
    let s = start_with(seed).await;
    let page = |q: &'static str| {
        s.post(
            "/api/v1/tickets/search",
            ADMIN,
            serde_json::from_str(q).unwrap(),
        )
    };
    assert_eq!(ids(&page(r#"{"query":"*"}"#).await.json).len(), 50);
    assert_eq!(
        ids(&page(r#"{"query":"*","per_page":500}"#).await.json).len(),
        200
    );
    let second = page(r#"{"query":"*","per_page":200,"page":2}"#).await;
    assert_eq!(ids(&second.json).len(), 50);
    let listed = s.get("/api/v1/tickets?per_page=500", ADMIN).await;
    assert_eq!(
        ids(&listed.json),
        (1..=100).collect::<Vec<_>>(),
        "index: max 100, by id"
    );
}

#[tokio::test]
async fn b9_6_condition_on_updated_at_works_without_elasticsearch() {
    let s = start().await;
    let body = json!({
        "condition": {"ticket.updated_at": {"operator": "after (absolute)", "value": "2026-03-10T08:00:00.000Z"}},
        "sort_by": "updated_at", "order_by": "asc", "per_page": 200, "page": 1,
    });
    let a = s.post("/api/v1/tickets/search", ADMIN, body).await;
    assert_eq!(
        ids(&a.json),
        vec![3, 4],
        "tickets 3 and 4 changed after 08:00"
    );
    let before = json!({"condition": {"ticket.updated_at": {"operator": "before (absolute)", "value": "2026-03-10T08:00:00Z"}}});
    assert_eq!(
        ids(&s.post("/api/v1/tickets/search", ADMIN, before).await.json),
        vec![2, 1]
    );
}

#[tokio::test]
async fn b9_6_query_field_syntax_only_with_elasticsearch() {
    let s = start().await;
    let plain = s.get("/api/v1/tickets/search?query=printer", ADMIN).await;
    assert_eq!(ids(&plain.json), vec![1], "substring, case-insensitive");
    let field = s
        .get("/api/v1/tickets/search?query=number:31002", ADMIN)
        .await;
    assert_eq!(
        ids(&field.json),
        Vec::<i64>::new(),
        "no ES: field syntax matches nothing"
    );
    s.sim.set_elasticsearch(true);
    let field = s
        .get("/api/v1/tickets/search?query=number:31002", ADMIN)
        .await;
    assert_eq!(ids(&field.json), vec![2]);
}

#[tokio::test]
async fn b9_6_full_true_gives_record_ids_assets_and_total() {
    let s = start().await;
    let a = s
        .get("/api/v1/tickets/search?query=*&full=true&per_page=2", ADMIN)
        .await;
    assert_eq!(a.json["record_ids"], json!([4, 3]));
    assert_eq!(a.json["total_count"], 4);
    assert_eq!(a.json["assets"]["Ticket"]["4"]["number"], "31004");
}

#[tokio::test]
async fn tickets_have_string_numbers_and_millisecond_timestamps() {
    let s = start().await;
    let t = s.ticket(1).await;
    assert_eq!(t["number"], "31001");
    assert_eq!(t["created_at"], "2026-03-10T05:20:00.000Z");
    let expanded = s.get("/api/v1/tickets/1?expand=true", ADMIN).await.json;
    assert_eq!(expanded["ticket_time_accounting_ids"], json!([1]));
}

//! Reading complete lists: time accountings page by page until a short page, and the
//! `condition` search (works without Elasticsearch) page by page with `per_page` 200.

use serde_json::{json, Value};
use timebridge_zammad::{SEARCH_PER_PAGE, TIME_ACCOUNTINGS_PER_PAGE};
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client;

fn entry(id: usize) -> Value {
    json!({"id": id, "ticket_id": 7, "ticket_article_id": null, "time_unit": "1.5",
        "type_id": null, "created_by_id": 2,
        "created_at": "2026-03-01T10:00:00.000Z", "updated_at": "2026-03-01T10:00:00.000Z"})
}

fn ticket(id: usize) -> Value {
    json!({"id": id, "number": format!("{}", 31000 + id), "title": "t", "group_id": 1,
        "organization_id": null, "time_unit": null,
        "created_at": "2026-03-01T10:00:00.000Z", "updated_at": "2026-03-01T10:00:00.000Z"})
}

#[tokio::test]
async fn time_accountings_read_past_page_one_until_a_short_page() {
    let server = MockServer::start().await;
    let per_page = TIME_ACCOUNTINGS_PER_PAGE as usize;
    let pages = [
        (1..=per_page).map(entry).collect::<Vec<_>>(),
        (per_page + 1..=per_page + 3).map(entry).collect(),
    ];
    for (i, rows) in pages.iter().enumerate() {
        Mock::given(method("GET"))
            .and(path("/api/v1/tickets/7/time_accountings"))
            .and(query_param("page", (i + 1).to_string().as_str()))
            .and(query_param("per_page", per_page.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(rows))
            .expect(1)
            .mount(&server)
            .await;
    }
    let rows = client(&server).time_accountings(7).await.unwrap();
    assert_eq!(rows.len(), per_page + 3);
    assert_eq!(rows.last().unwrap().id, (per_page + 3) as i64);
}

#[tokio::test]
async fn search_uses_condition_and_reads_every_page() {
    let server = MockServer::start().await;
    let after = "2026-03-01T00:00:00.000Z";
    let per_page = SEARCH_PER_PAGE as usize;
    assert!(per_page <= 200);
    for (page, range) in [(1, 1..=per_page), (2, per_page + 1..=per_page + 1)] {
        let rows: Vec<Value> = range.map(ticket).collect();
        Mock::given(method("POST"))
            .and(path("/api/v1/tickets/search"))
            .and(body_partial_json(json!({
                "condition": {"ticket.updated_at": {"operator": "after (absolute)", "value": after}},
                "sort_by": "updated_at", "order_by": "asc", "per_page": per_page, "page": page,
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(rows))
            .expect(1)
            .mount(&server)
            .await;
    }
    let since = after.parse().unwrap();
    let found = client(&server)
        .search_tickets_updated_since(since)
        .await
        .unwrap();
    assert_eq!(found.len(), per_page + 1);
    assert_eq!(found[0].number, "31001");
}

#[tokio::test]
async fn tickets_page_caps_per_page_at_100() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/tickets"))
        .and(query_param("page", "2"))
        .and(query_param("per_page", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![ticket(101)]))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server).tickets_page(2, 500).await.unwrap();
    assert_eq!(page[0].id, 101);
}

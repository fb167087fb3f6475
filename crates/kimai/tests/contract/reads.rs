//! Reading: colon-less offsets, optional decimal rates, pagination, `[]` list parameters and
//! the catalog shapes.

use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use timebridge_kimai::{
    ActivityQuery, CustomerQuery, KimaiError, ProjectQuery, TimesheetQuery, UserFilter,
};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use super::*;

fn page(name: &str, page: u32, pages: u32, total: u32) -> ResponseTemplate {
    json_response(200, name)
        .insert_header("X-Page", page.to_string().as_str())
        .insert_header("X-Total-Pages", pages.to_string().as_str())
        .insert_header("X-Total-Count", total.to_string().as_str())
        .insert_header("X-Per-Page", "2")
}

#[tokio::test]
async fn entity_parses_colon_less_offsets_and_decimal_rates() {
    let (server, client) = mock().await;
    Mock::given(path("/api/timesheets/812"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    let t = client.timesheet(812).await.unwrap();
    let plus1 = FixedOffset::east_opt(3600).unwrap();
    assert_eq!(
        t.begin,
        plus1.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    );
    assert_eq!(t.begin.offset(), &plus1);
    assert_eq!(
        t.end.unwrap().with_timezone(&Utc),
        Utc.with_ymd_and_hms(2026, 3, 2, 8, 15, 0).unwrap()
    );
    assert_eq!(
        (t.duration, t.tags.clone()),
        (Some(900), vec!["zammad".to_string()])
    );
    assert_eq!(
        (t.rate, t.fixed_rate, t.hourly_rate),
        (Some(Decimal::from(25)), None, Some(Decimal::from(100)))
    );
}

#[tokio::test]
async fn timesheets_all_walks_pages_by_id_asc_and_stops_at_total_pages() {
    let (server, client) = mock().await;
    let base = || {
        Mock::given(method("GET"))
            .and(path("/api/timesheets"))
            .and(query_param("orderBy", "id"))
            .and(query_param("order", "ASC"))
    };
    base()
        .and(query_param("page", "1"))
        .respond_with(page("timesheets_page1.json", 1, 2, 3))
        .expect(1)
        .mount(&server)
        .await;
    base()
        .and(query_param("page", "2"))
        .respond_with(page("timesheets_page2.json", 2, 2, 3))
        .expect(1)
        .mount(&server)
        .await;
    // Anything past page 2 would be a 404 — it must never be asked for.
    Mock::given(query_param("page", "3"))
        .respond_with(json_response(404, "not_found.json"))
        .expect(0)
        .mount(&server)
        .await;
    let all = client
        .timesheets_all(&TimesheetQuery::default())
        .await
        .unwrap();
    assert_eq!(all.iter().map(|t| t.id).collect::<Vec<_>>(), [1, 2, 3]);
    // Rates absent per record, present on another; decimals kept exactly.
    assert_eq!(
        (all[0].rate, all[0].internal_rate),
        (
            Some("95.5".parse().unwrap()),
            Some("80.25".parse().unwrap())
        )
    );
    assert_eq!(
        (all[1].rate, all[1].end, all[1].duration),
        (None, None, None)
    );
    assert_eq!(all[1].meta_fields[0].value, "4711");
    assert_eq!(all[2].begin.offset().local_minus_utc(), 13 * 3600);
}

#[tokio::test]
async fn a_404_page_is_an_error_not_an_empty_list() {
    let (server, client) = mock().await;
    Mock::given(path("/api/timesheets"))
        .respond_with(json_response(404, "not_found.json"))
        .mount(&server)
        .await;
    assert!(matches!(
        client
            .timesheets_page(&TimesheetQuery::default(), 3)
            .await
            .unwrap_err(),
        KimaiError::NotFound
    ));
}

#[tokio::test]
async fn page_reads_the_four_headers() {
    let (server, client) = mock().await;
    Mock::given(path("/api/timesheets"))
        .and(query_param("page", "2"))
        .respond_with(page("timesheets_page2.json", 2, 2, 3))
        .mount(&server)
        .await;
    let p = client
        .timesheets_page(&TimesheetQuery::default(), 2)
        .await
        .unwrap();
    assert_eq!(
        (
            p.page,
            p.total_pages,
            p.total_count,
            p.per_page,
            p.items.len()
        ),
        (2, 2, 3, 2, 1)
    );
}

#[tokio::test]
async fn query_sends_array_syntax_and_exact_date_formats() {
    let (server, client) = mock().await;
    Mock::given(path("/api/timesheets"))
        .respond_with(page("timesheets_page2.json", 1, 1, 1))
        .mount(&server)
        .await;
    let q = TimesheetQuery {
        user: Some(UserFilter::All),
        users: vec![4],
        customers: vec![1],
        projects: vec![5, 6],
        activities: vec![7],
        tags: vec!["zammad".into()],
        begin: NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0),
        end: NaiveDate::from_ymd_opt(2026, 3, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59),
        modified_after: Some(Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 5).unwrap()),
        exported: Some(false),
        active: Some(false),
        billable: Some(true),
        term: Some("#4711".into()),
        size: Some(9999),
        ..TimesheetQuery::default()
    };
    client.timesheets_page(&q, 1).await.unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    let query = req.url.query().unwrap().to_string();
    let pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let has = |k: &str, v: &str| pairs.iter().any(|(a, b)| a == k && b == v);
    assert!(has("projects[]", "5") && has("projects[]", "6"), "{query}");
    assert!(
        has("users[]", "4")
            && has("customers[]", "1")
            && has("activities[]", "7")
            && has("tags[]", "zammad")
    );
    assert!(
        !pairs
            .iter()
            .any(|(k, _)| k == "projects" || k == "customers"),
        "{query}"
    );
    assert!(has("begin", "2026-03-01T00:00:00") && has("end", "2026-03-31T23:59:59"));
    assert!(
        has("modified_after", "2026-03-02T08:00:05"),
        "UTC, no offset: {query}"
    );
    assert!(
        has("exported", "0") && has("active", "0") && has("billable", "1") && has("user", "all")
    );
    assert!(has("size", "500") && has("term", "#4711"));
}

#[tokio::test]
async fn catalog_and_status_shapes() {
    let (server, client) = mock().await;
    Mock::given(path("/api/projects"))
        .and(query_param("ignoreDates", "1"))
        .and(query_param("customers[]", "1"))
        .respond_with(json_response(200, "projects.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/activities"))
        .and(query_param("projects[]", "8"))
        .respond_with(json_response(200, "activities.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/customers"))
        .respond_with(json_response(200, "customers.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/version"))
        .respond_with(json_response(200, "version.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/users/me"))
        .respond_with(json_response(200, "me.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/config/timesheet"))
        .respond_with(json_response(200, "config.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/tags/find"))
        .and(query_param("name", "zam"))
        .respond_with(json_response(200, "tags_find.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/tags"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"["zammad","billing"]"#, "application/json"),
        )
        .mount(&server)
        .await;
    let projects = client
        .projects(&ProjectQuery {
            customers: vec![1],
            ignore_dates: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (projects[1].start, projects[1].global_activities),
        (NaiveDate::from_ymd_opt(2026, 1, 1), false)
    );
    let acts = client
        .activities(&ActivityQuery {
            projects: vec![8],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((acts[0].project, acts[1].project), (None, Some(8)));
    assert_eq!(
        client.customers(&CustomerQuery::default()).await.unwrap()[0]
            .currency
            .as_deref(),
        Some("EUR")
    );
    assert_eq!(client.version().await.unwrap().version_id, 26600);
    assert_eq!(client.me().await.unwrap().timezone, "Europe/Berlin");
    assert_eq!(
        client
            .timesheet_config()
            .await
            .unwrap()
            .active_entries_hard_limit,
        1
    );
    assert_eq!(client.find_tags("zam").await.unwrap()[0].id, 5);
    assert_eq!(client.tags().await.unwrap(), ["zammad", "billing"]);
}

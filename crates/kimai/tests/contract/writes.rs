//! Writing: the exact bodies sent (naive times, tags as "a,b", never `duration`) and the
//! export setter that never toggles when the record is already in the wanted state.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{json, Value};
use timebridge_kimai::{KimaiError, NewTimesheet, TimesheetPatch};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::*;

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

async fn body_of(server: &wiremock::MockServer, n: usize) -> Value {
    serde_json::from_slice(&server.received_requests().await.unwrap()[n].body).unwrap()
}

#[tokio::test]
async fn create_sends_naive_times_tags_as_a_comma_string_and_no_duration() {
    let (server, client) = mock().await;
    Mock::given(method("POST"))
        .and(path("/api/timesheets"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    let mut new = NewTimesheet::new(at(9, 0), at(9, 15), 7, 3);
    new.description = Some("Ticket #10042".into());
    new.tags = vec!["zammad".into(), "billing".into()];
    let created = client.create_timesheet(&new).await.unwrap();
    assert_eq!(created.id, 812);
    let body = body_of(&server, 0).await;
    assert_eq!(
        body,
        json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T09:15:00", "project": 7,
        "activity": 3, "description": "Ticket #10042", "tags": "zammad,billing"})
    );
    assert!(body.get("duration").is_none());
}

#[tokio::test]
async fn create_sends_permissioned_fields_only_when_set() {
    let (server, client) = mock().await;
    Mock::given(method("POST"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    let mut new = NewTimesheet::new(at(9, 0), at(10, 0), 7, 3);
    new.fixed_rate = Some("12.50".parse().unwrap());
    new.billable = Some(false);
    client.create_timesheet(&new).await.unwrap();
    let body = body_of(&server, 0).await;
    assert_eq!(
        (body["fixedRate"].as_f64(), body["billable"].as_bool()),
        (Some(12.5), Some(false))
    );
    assert!(
        body.get("exported").is_none() && body.get("user").is_none() && body.get("tags").is_none()
    );
}

#[tokio::test]
async fn update_sends_only_the_patch_and_empty_tags_clear() {
    let (server, client) = mock().await;
    Mock::given(method("PATCH"))
        .and(path("/api/timesheets/812"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    let patch = TimesheetPatch {
        end: Some(at(9, 30)),
        tags: Some(vec![]),
        ..Default::default()
    };
    client.update_timesheet(812, &patch).await.unwrap();
    assert_eq!(
        body_of(&server, 0).await,
        json!({"end": "2026-03-02T09:30:00", "tags": ""})
    );
}

#[tokio::test]
async fn ensure_exported_never_toggles_when_already_in_the_wanted_state() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .and(path("/api/timesheets/812"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/timesheets/812/export"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .expect(0)
        .mount(&server)
        .await;
    let t = client.ensure_exported(812, false).await.unwrap();
    assert!(!t.exported);
}

#[tokio::test]
async fn ensure_exported_toggles_once_and_checks_the_result() {
    let (server, client) = mock().await;
    let exported =
        fixture("timesheet_entity.json").replace("\"exported\":false", "\"exported\":true");
    Mock::given(method("GET"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/timesheets/812/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(exported, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client.ensure_exported(812, true).await.unwrap().exported);
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    // A server that does not flip the flag is reported, not trusted.
    Mock::given(method("PATCH"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    assert!(matches!(
        client.ensure_exported(812, true).await.unwrap_err(),
        KimaiError::Decode { .. }
    ));
}

#[tokio::test]
async fn set_meta_and_create_tag_bodies() {
    let (server, client) = mock().await;
    Mock::given(method("PATCH"))
        .and(path("/api/timesheets/812/meta"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r##"{"id":9,"name":"new","color":null,"color-safe":"#fff","visible":true}"##,
            "application/json",
        ))
        .mount(&server)
        .await;
    client.set_meta(812, "zammad_id", "4711").await.unwrap();
    assert_eq!(client.create_tag("new").await.unwrap().id, 9);
    assert_eq!(
        body_of(&server, 0).await,
        json!({"name": "zammad_id", "value": "4711"})
    );
    assert_eq!(body_of(&server, 1).await, json!({"name": "new"}));
}

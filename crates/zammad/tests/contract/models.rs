//! Parsing the documented shapes: decimal strings, string ticket numbers, millisecond UTC
//! timestamps, nullable ids, the group access map and the signshow config.

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use timebridge_zammad::{TimeAccountingUnit, ZammadError};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client, json_fixture, TOKEN};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn me_sends_the_token_header_and_parses_the_group_map() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/me"))
        .and(header(
            "authorization",
            format!("Token token={TOKEN}").as_str(),
        ))
        .respond_with(json_fixture("user_me.json"))
        .expect(1)
        .mount(&server)
        .await;
    let me = client(&server).me().await.unwrap();
    assert_eq!((me.id, me.login.as_str()), (2, "consultant"));
    assert_eq!(me.full_name(), "Conny Consultant");
    assert_eq!(me.group_ids["2"], vec!["read".to_string()]);
    assert!(me.can_change_group(1) && !me.can_change_group(2));
    assert_eq!(me.organization_id, None);
    assert_eq!(me.role_ids, vec![2]);
}

#[tokio::test]
async fn signshow_gives_the_time_accounting_config() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/signshow"))
        .respond_with(json_fixture("signshow.json"))
        .mount(&server)
        .await;
    let cfg = client(&server).time_accounting_config().await.unwrap();
    assert!(cfg.time_accounting && cfg.time_accounting_types);
    assert_eq!(cfg.time_accounting_unit, TimeAccountingUnit::Minute);
    assert_eq!(cfg.time_accounting_unit_custom, "");
}

#[tokio::test]
async fn ticket_number_is_a_string_and_total_a_decimal() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/tickets/50"))
        .respond_with(json_fixture("ticket.json"))
        .mount(&server)
        .await;
    let t = client(&server).ticket(50).await.unwrap();
    assert_eq!(t.number, "31050");
    assert_eq!(t.time_unit, Some(d("75")));
    assert_eq!(t.organization_id, Some(3));
    let ms =
        Utc.with_ymd_and_hms(2023, 8, 16, 8, 30, 36).unwrap() + chrono::Duration::milliseconds(138);
    assert_eq!(t.updated_at, ms);
}

#[tokio::test]
async fn time_units_are_exact_decimals_including_negative_and_zero() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/tickets/50/time_accountings"))
        .respond_with(json_fixture("time_accountings.json"))
        .mount(&server)
        .await;
    let rows = client(&server).time_accountings(50).await.unwrap();
    let units: Vec<Decimal> = rows.iter().map(|r| r.time_unit).collect();
    assert_eq!(units, vec![d("60"), d("-5"), d("0"), d("0.25"), d("15")]);
    assert_eq!(rows[0].type_id, Some(4));
    assert_eq!(rows[1].type_id, None);
    assert_eq!(rows[1].ticket_article_id, Some(77));
    assert_eq!(rows[0].created_by_id, 3);
    assert_eq!(rows[2].created_at.timestamp_subsec_millis(), 1);
}

#[tokio::test]
async fn types_and_organization_parse() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/time_accounting/types"))
        .respond_with(json_fixture("types.json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/organizations/3"))
        .respond_with(json_fixture("organization.json"))
        .mount(&server)
        .await;
    let c = client(&server);
    let types = c.time_accounting_types().await.unwrap();
    assert_eq!(types[1].name, "On site");
    assert!(!types[1].active);
    assert_eq!(c.organization(3).await.unwrap().name, "Acme GmbH");
}

#[tokio::test]
async fn a_bad_value_is_a_decode_error_naming_the_json_path() {
    let server = MockServer::start().await;
    let body = json!([{"id": 1, "ticket_id": 2, "time_unit": "ten", "created_by_id": 3,
        "created_at": "2023-08-16T08:30:36.138Z", "updated_at": "2023-08-16T08:30:36.138Z"}]);
    Mock::given(path("/api/v1/tickets/2/time_accountings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let err = client(&server).time_accountings(2).await.unwrap_err();
    match err {
        ZammadError::Decode { path, message } => {
            assert_eq!(path, "[0].time_unit");
            assert!(message.contains("ten"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

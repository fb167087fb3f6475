//! Retries: a GET (and an idempotent PATCH) is retried after a 503 or a reset; a POST and the
//! export toggle are never sent twice once they may have reached the server.

use chrono::{NaiveDate, TimeZone, Utc};
use timebridge_http::SendError;
use timebridge_kimai::{KimaiError, NewTimesheet, TimesheetPatch};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::{Clock, Fault, FaultKind};
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

use super::*;

#[tokio::test]
async fn get_is_retried_after_503() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.timesheet(812).await.unwrap().id, 812);
}

#[tokio::test]
async fn post_is_not_repeated_after_503() {
    let (server, client) = mock().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let new = NewTimesheet::new(
        day.and_hms_opt(9, 0, 0).unwrap(),
        day.and_hms_opt(10, 0, 0).unwrap(),
        1,
        1,
    );
    let err = client.create_timesheet(&new).await.unwrap_err();
    assert!(
        matches!(err, KimaiError::Server { status: 503, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn patch_update_is_retried_but_export_toggle_is_not() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/api/timesheets/812/export"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/api/timesheets/812"))
        .and(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/api/timesheets/812"))
        .and(method("PATCH"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .expect(1)
        .mount(&server)
        .await;
    client
        .update_timesheet(812, &TimesheetPatch::default())
        .await
        .unwrap();
    assert!(client.ensure_exported(812, true).await.is_err());
}

#[tokio::test]
async fn reset_after_processing_post_is_not_resent_but_get_is() {
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    let sim = KimaiSim::from_seed(demo_seed(now), Clock::manual(now));
    let server = sim.start().await.unwrap();
    let client = timebridge_kimai::KimaiClient::new(
        timebridge_http::BaseUrl::parse(&server.url(), false).unwrap(),
        timebridge_http::Secret::new("demo-kimai-token"),
        fast_config(),
    )
    .unwrap();
    let before = sim.timesheets().len();
    sim.knobs()
        .add_fault(Fault::always(FaultKind::Reset).on_method("POST").times(1));
    let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    let new = NewTimesheet::new(
        day.and_hms_opt(9, 0, 0).unwrap(),
        day.and_hms_opt(10, 0, 0).unwrap(),
        1,
        1,
    );
    let err = client.create_timesheet(&new).await.unwrap_err();
    assert!(
        matches!(err, KimaiError::Transport(SendError::Broken(_))),
        "{err:?}"
    );
    assert_eq!(
        sim.timesheets().len(),
        before + 1,
        "written once, not twice"
    );
    sim.knobs()
        .add_fault(Fault::always(FaultKind::Reset).on_method("GET").times(1));
    assert_eq!(client.me().await.unwrap().username, "consultant");
    assert_eq!(sim.knobs().counts().get("GET /api/users/me"), Some(&2));
}

#[tokio::test]
async fn a_read_whose_body_arrives_garbled_is_read_again() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"{\"id\": 81".to_vec(), "application/json"),
        )
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, "timesheet_entity.json"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.timesheet(812).await.unwrap().id, 812);
}

#[tokio::test]
async fn a_body_that_never_decodes_is_a_contract_mismatch_with_its_path() {
    let (server, client) = mock().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"{\"id\": \"x\"}".to_vec(), "application/json"),
        )
        .expect(3)
        .mount(&server)
        .await;
    let err = client.timesheet(812).await.unwrap_err();
    assert!(
        matches!(&err, KimaiError::Decode { path, .. } if path == "id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_create_whose_answer_is_garbled_is_not_sent_again() {
    let (server, client) = mock().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"{\"id\": 8".to_vec(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let new = NewTimesheet::new(
        day.and_hms_opt(9, 0, 0).unwrap(),
        day.and_hms_opt(10, 0, 0).unwrap(),
        1,
        1,
    );
    let err = client.create_timesheet(&new).await.unwrap_err();
    assert!(matches!(err, KimaiError::Decode { .. }), "{err:?}");
}

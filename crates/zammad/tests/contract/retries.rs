//! Writes are sent once, reads are retried: a lost answer to a create must never book twice
//! (the transport's guarantee, checked here through the Zammad client).

use rust_decimal::Decimal;
use serde_json::json;
use timebridge_simulators::zammad::ZammadSim;
use timebridge_simulators::{Clock, Fault, FaultKind};
use timebridge_zammad::{NewTimeAccounting, ZammadError};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client, client_for, json_fixture};

fn new_entry(units: &str) -> NewTimeAccounting {
    NewTimeAccounting {
        time_unit: units.parse::<Decimal>().unwrap(),
        type_id: Some(1),
        ticket_article_id: None,
    }
}

#[tokio::test]
async fn create_sends_a_decimal_string_and_reads_the_201() {
    let server = MockServer::start().await;
    let created = json!({"id": 14, "ticket_id": 50, "ticket_article_id": null, "time_unit": "15.5",
        "type_id": 1, "created_by_id": 2,
        "created_at": "2026-03-01T10:00:00.000Z", "updated_at": "2026-03-01T10:00:00.000Z"});
    Mock::given(method("POST"))
        .and(path("/api/v1/tickets/50/time_accountings"))
        .and(body_json(json!({"time_unit": "15.5", "type_id": 1})))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .expect(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .create_time_accounting(50, &new_entry("15.5"))
        .await
        .unwrap();
    assert_eq!((e.id, e.time_unit), (14, "15.5".parse().unwrap()));
}

#[tokio::test]
async fn create_is_not_repeated_after_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .create_time_accounting(50, &new_entry("1"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, ZammadError::Server { status: 503, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn reads_are_retried_after_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/tickets/50"))
        .respond_with(json_fixture("ticket.json"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server).ticket(50).await.unwrap().id, 50);
}

#[tokio::test]
async fn create_is_not_repeated_after_a_reset_but_a_read_is() {
    let (seed, token) = super::against_sim::seed();
    let sim = ZammadSim::from_seed(seed, Clock::system());
    let server = sim.start().await.unwrap();
    let knobs = sim.knobs();
    knobs.add_fault(Fault::always(FaultKind::Reset).on_method("POST").times(1));
    knobs.add_fault(Fault::always(FaultKind::Reset).on_method("GET").times(1));
    let c = client_for(&server.url(), &token, 3);
    let before = sim.time_accountings().len();
    let e = c
        .create_time_accounting(1, &new_entry("7"))
        .await
        .unwrap_err();
    assert!(matches!(e, ZammadError::Transport(_)), "{e:?}");
    let counts = knobs.counts();
    assert_eq!(
        counts["POST /api/v1/tickets/{ticket_id}/time_accountings"],
        1
    );
    assert_eq!(
        sim.time_accountings().len(),
        before + 1,
        "the write happened once"
    );
    let rows = c.time_accountings(1).await.unwrap();
    assert_eq!(rows.len(), before_on_ticket(&sim, 1));
    assert_eq!(
        knobs.counts()["GET /api/v1/tickets/{ticket_id}/time_accountings"],
        2
    );
}

fn before_on_ticket(sim: &ZammadSim, ticket: i64) -> usize {
    sim.time_accountings()
        .iter()
        .filter(|e| e.ticket_id == ticket)
        .count()
}

#[tokio::test]
async fn a_read_whose_body_arrives_garbled_is_read_again_and_a_lasting_mismatch_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/me"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"{\"id\": 2, \"lo".to_vec(), "application/json"),
        )
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/me"))
        .respond_with(json_fixture("user_me.json"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server).me().await.unwrap().id, 2);

    let broken = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "not a number"}])))
        .expect(3)
        .mount(&broken)
        .await;
    let err = client(&broken).time_accounting_types().await.unwrap_err();
    assert!(matches!(err, ZammadError::Decode { .. }), "{err:?}");
}

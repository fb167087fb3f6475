//! Stalls over real HTTP: a request held before processing never happens, one held after
//! processing has happened while its client still waits, and both are set up and released
//! through the `/_sim/` control routes as the standalone binary would be.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::{Clock, Knobs, Stall, StallPoint};

const TOKEN: &str = "demo-kimai-token";

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

/// Creates a timesheet over HTTP in a task of its own; its status when it ends.
fn create(url: &str, hour: u32) -> tokio::task::JoinHandle<u16> {
    let url = format!("{url}api/timesheets");
    tokio::spawn(async move {
        let body = json!({
            "begin": format!("2026-11-26T{hour:02}:00:00"),
            "end": format!("2026-11-26T{hour:02}:30:00"),
            "project": 1, "activity": 1, "description": format!("stall {hour}")
        });
        reqwest::Client::new()
            .post(url)
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

async fn until_reached(knobs: &Knobs, n: u64) {
    let start = Instant::now();
    while knobs.stalls_reached() < n {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no request reached the stall within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn described(sim: &KimaiSim, text: &str) -> usize {
    sim.timesheets()
        .iter()
        .filter(|t| t.description.as_deref() == Some(text))
        .count()
}

#[tokio::test]
async fn held_before_processing_nothing_happens_held_after_the_write_is_done() {
    let sim = KimaiSim::from_seed(demo_seed(now()), Clock::manual(now()));
    let server = sim.start().await.unwrap();
    let url = server.url();
    let knobs = sim.knobs();

    // The second POST is held before processing: the first one goes through.
    knobs.add_stall(
        Stall::new(StallPoint::BeforeProcessing)
            .on_path("/api/timesheets")
            .on_methods(&["POST"])
            .after_skipping(1),
    );
    assert_eq!(create(&url, 8).await.unwrap(), 200);
    let held = create(&url, 9);
    until_reached(&knobs, 1).await;
    assert_eq!(described(&sim, "stall 9"), 0, "held before processing");
    knobs.release_stalls();
    assert_eq!(held.await.unwrap(), 504, "released unprocessed");
    assert_eq!(described(&sim, "stall 9"), 0, "and never processed");
    assert_eq!(described(&sim, "stall 8"), 1);

    // Held after processing: the record exists while the client still waits.
    knobs.add_stall(Stall::new(StallPoint::AfterProcessing).on_methods(&["POST"]));
    let held = create(&url, 10);
    until_reached(&knobs, 2).await;
    assert_eq!(described(&sim, "stall 10"), 1, "processed");
    assert!(!held.is_finished(), "the answer is held back");
    knobs.release_stalls();
    assert_eq!(held.await.unwrap(), 200);
    assert_eq!(knobs.counts()["POST /api/timesheets"], 3);
}

#[tokio::test]
async fn stalls_are_set_and_released_over_the_control_routes() {
    let sim = KimaiSim::from_seed(demo_seed(now()), Clock::manual(now()));
    let server = sim.start().await.unwrap();
    let url = server.url();
    let http = reqwest::Client::new();
    let rule =
        json!({"point": "after_processing", "methods": ["POST"], "path_prefix": "/api/timesheets"});
    let r = http
        .post(format!("{url}_sim/stalls"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let held = create(&url, 11);
    let start = Instant::now();
    loop {
        let v: Value = http
            .get(format!("{url}_sim/stalls"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["reached"] == 1 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "never held: {v}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(described(&sim, "stall 11"), 1);
    let r = http
        .post(format!("{url}_sim/stalls/release"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(held.await.unwrap(), 200);
}

//! The standalone `timebridge-sim` binary: it serves the demo data, takes a seed file, and its
//! knobs answer over `/_sim/`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Sim {
    child: Child,
    urls: Vec<String>,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary and reads the URL of every server from its banner.
fn start(args: &[&str]) -> Sim {
    let mut child = Command::new(env!("CARGO_BIN_EXE_timebridge-sim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut urls = Vec::new();
    let stdout = child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("Simulators running") {
            break;
        }
        let url = line
            .split_whitespace()
            .nth(1)
            .expect("a URL per server line")
            .to_string();
        urls.push(url);
    }
    Sim { child, urls }
}

#[tokio::test]
async fn serves_the_demo_data_with_the_printed_tokens() {
    let sim = start(&[]);
    assert_eq!(
        sim.urls.len(),
        3,
        "kimai plus the acme and globex helpdesks: {:?}",
        sim.urls
    );
    let http = reqwest::Client::new();
    let kimai = http
        .get(format!("{}api/version", sim.urls[0]))
        .bearer_auth("demo-kimai-token")
        .send()
        .await
        .unwrap();
    assert_eq!(kimai.status(), 200);
    let body: serde_json::Value = kimai.json().await.unwrap();
    assert_eq!(body["version"], "2.66.0");
    let zammad = http
        .get(format!("{}api/v1/users/me", sim.urls[1]))
        .header("Authorization", "Token token=demo-zammad-acme-token")
        .send()
        .await
        .unwrap();
    assert_eq!(zammad.status(), 200);
}

#[tokio::test]
async fn takes_a_seed_file_and_its_knobs_count_requests() {
    let printed = Command::new(env!("CARGO_BIN_EXE_timebridge-sim"))
        .arg("--print-demo-seed")
        .output()
        .unwrap();
    assert!(printed.status.success());
    let mut seed: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    // Keep only Kimai: a seed file decides which servers run.
    seed["zammad"] = serde_json::json!({});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.json");
    std::fs::write(&file, serde_json::to_vec(&seed).unwrap()).unwrap();

    let sim = start(&["--seed", file.to_str().unwrap()]);
    assert_eq!(sim.urls.len(), 1);
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let resp = http
            .get(format!("{}api/ping", sim.urls[0]))
            .bearer_auth("demo-kimai-token")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    let counts: serde_json::Value = http
        .get(format!("{}_sim/counts", sim.urls[0]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts["GET /api/ping"], 3, "{counts}");
}

#[test]
fn a_broken_seed_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.json");
    std::fs::write(&file, b"{\"kimai\": [1, 2]}").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_timebridge-sim"))
        .args(["--seed", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("seed file") && err.contains("is not valid"),
        "{err}"
    );
}

#[test]
fn a_fault_rate_outside_0_to_1_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_timebridge-sim"))
        .args(["--fault-rate", "1.5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}

//! `timebridge schedule` with the real binary against the simulators: a schedule of every
//! second runs real syncs one at a time (the second writes nothing), prints one JSON line per
//! run start and end, and stops cleanly on SIGTERM.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::{configured, ok_json as ok, run, spawn, system_sims, BOTH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

#[tokio::test]
async fn every_second_it_syncs_once_then_writes_nothing_and_stops_on_sigterm() {
    let sims = system_sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    let rule = ["mappings", "add-rule", "acme", "--scope", "group", "--id"];
    ok(dir, &[&rule[..], &["1", "--project", "1"]].concat()).await;
    ok(dir, &[&rule[..], &["2", "--project", "1"]].concat()).await;
    for t in ["1", "2", "3"] {
        ok(
            dir,
            &[
                "mappings",
                "set-activity",
                "acme",
                "--type",
                t,
                "--activity",
                "1",
            ],
        )
        .await;
    }
    let before = sims.kimai.timesheets().len();
    // A new helpdesk's first sync waits for the user's word; scheduled runs honour it.
    let went = ok(dir, &["connections", "go-ahead", "acme"]).await;
    assert_eq!(went["went_ahead"], true, "{went}");

    let mut child = spawn(dir, &["schedule", "--cron", "* * * * * *", "--json"]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut finished: Vec<Value> = Vec::new();
    let mut events: Vec<Value> = Vec::new();
    let collect = async {
        while finished.len() < 2 {
            let line = lines.next_line().await.unwrap().expect("still running");
            let event: Value = serde_json::from_str(&line).expect("one JSON object per line");
            if event["event"] == "finished" {
                finished.push(event.clone());
            }
            events.push(event);
        }
    };
    if tokio::time::timeout(Duration::from_secs(60), collect)
        .await
        .is_err()
    {
        let mut err = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut err).await;
        panic!("no two runs within 60 s: {events:?}\nstderr: {err}");
    }

    assert_eq!(events[0]["event"], "scheduled", "{events:?}");
    assert_eq!(events[0]["cron"], "* * * * * *");
    assert!(events[0]["next_run"].is_string(), "{events:?}");
    assert_eq!(events[1]["event"], "started", "{events:?}");
    assert_eq!(events[1]["trigger"], "schedule");
    let (first, second) = (&finished[0], &finished[1]);
    for run in [first, second] {
        assert_eq!(run["outcome"], "succeeded", "{run}");
        assert!(run["run_id"].is_i64(), "{run}");
        assert!(run["next_run"].is_string(), "{run}");
    }
    let created = first["counts"]["created"].as_u64().unwrap();
    assert!(created > 0, "{first}");
    assert_eq!(first["writes"].as_u64().unwrap(), created, "{first}");
    assert_eq!(
        second["writes"], 0,
        "the second run has nothing to do: {second}"
    );
    assert_eq!(second["counts"]["created"], 0, "{second}");
    assert!(second["run_id"].as_i64() > first["run_id"].as_i64());

    // SIGTERM: it stops after any run in progress, exit 0, and says so.
    let pid = child.id().unwrap().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("exits after SIGTERM")
        .unwrap();
    assert_eq!(status.code(), Some(0), "clean exit");
    let mut rest = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        rest.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    let stopped = rest.last().expect("a last line");
    assert_eq!(stopped["event"], "stopped", "{rest:?}");
    assert_eq!(stopped["signal"], "terminate");
    assert!(stopped["runs"].as_u64().unwrap() >= 2, "{stopped}");
    let starts = events
        .iter()
        .chain(&rest)
        .filter(|e| e["event"] == "started")
        .count();
    let ends = events
        .iter()
        .chain(&rest)
        .filter(|e| e["event"] == "finished")
        .count();
    assert_eq!(starts, ends, "every run started was finished: {rest:?}");

    // Exactly one copy of each entry reached Kimai; the history names the scheduler.
    assert_eq!(sims.kimai.timesheets().len(), before + created as usize);
    let runs = ok(dir, &["runs", "list"]).await;
    let runs = runs["runs"].as_array().unwrap();
    assert!(runs.len() >= 2);
    assert!(
        runs.iter()
            .all(|r| r["trigger"] == "schedule" && r["outcome"] == "ok"),
        "{runs:?}"
    );
}

#[tokio::test]
async fn a_bad_cron_or_no_configuration_exits_1_without_scheduling() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &["schedule", "--cron", "*/5 * * * *"],
        &BOTH,
        None,
    )
    .await;
    assert_eq!(out.code, 1, "five fields: {}", out.all());
    assert!(out.stderr.contains("six fields"), "{}", out.stderr);
    let out = run(tmp.path(), &["schedule", "--json"], &BOTH, None).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "not_configured");
}

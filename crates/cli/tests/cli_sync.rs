//! `sync`, `conflicts` and `runs` with the real binary against the simulators. The simulators
//! run on the system clock with the demo data laid out around the real `now`, because the
//! binary syncs as of `Utc::now()` (its horizon is this and last month).

mod support;

use serde_json::Value;
use support::{configured, map_acme, run, sims, Run, BOTH};
use timebridge_simulators::{Fault, FaultKind};

async fn tb(dir: &std::path::Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

/// `sync --json` that must succeed; its document.
async fn sync_ok(dir: &std::path::Path) -> Value {
    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["outcome"], "ok", "{doc}");
    doc
}

fn actions_of<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == kind)
        .collect()
}

#[tokio::test]
async fn preview_sync_rerun_deleted_in_kimai_recreate_and_history() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    let before = sims.kimai.timesheets().len();

    // Preview: the creates are planned, nothing reaches Kimai.
    let out = tb(dir, &["sync", "--preview", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let preview = out.json();
    assert_eq!(preview["preview"], true);
    assert_eq!(preview["outcome"], "ok");
    let planned = actions_of(&preview, "create").len();
    assert!(planned > 0, "creates planned: {preview}");
    assert_eq!(preview["counts"]["created"], 0);
    let first = actions_of(&preview, "create")[0];
    assert_eq!(first["key"]["instance"], "acme");
    assert!(first["desired"]["fields"]["begin"].is_string(), "{first}");
    assert_eq!(
        sims.kimai.timesheets().len(),
        before,
        "a preview writes nothing"
    );

    // The text preview: one line per action.
    let out = tb(dir, &["sync", "--preview"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let creates = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("create acme#"))
        .count();
    assert_eq!(creates, planned, "{}", out.stdout);
    assert!(
        out.stdout.contains(" project 1 activity "),
        "{}",
        out.stdout
    );

    // Sync: exactly the planned creates.
    let first_sync = sync_ok(dir).await;
    assert_eq!(first_sync["preview"], false);
    assert_eq!(first_sync["counts"]["created"], planned as u64);
    assert_eq!(sims.kimai.timesheets().len(), before + planned);

    // Again: nothing to create.
    let again = sync_ok(dir).await;
    assert_eq!(again["counts"]["created"], 0, "{again}");
    assert!(actions_of(&again, "create").is_empty(), "{again}");
    assert_eq!(sims.kimai.timesheets().len(), before + planned);

    // The first sync's audit names each created timesheet.
    let run_id = first_sync["run_id"].as_i64().unwrap().to_string();
    let out = tb(dir, &["runs", "show", &run_id, "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let shown = out.json();
    assert_eq!(shown["run"]["mode"], "sync");
    assert_eq!(shown["run"]["outcome"], "ok");
    let created: Vec<&Value> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "create")
        .collect();
    assert_eq!(created.len(), planned, "{shown}");
    let key = created[0]["key"].as_str().unwrap().to_string();
    let timesheet = created[0]["timesheet_id"].as_u64().unwrap();
    assert!(created[0]["after"]["description"].is_string());

    // Deleted in Kimai → a conflict, listed.
    assert!(sims.kimai.delete_timesheet_as_human(timesheet));
    let after_delete = sync_ok(dir).await;
    assert!(
        after_delete["counts"]["conflicts"].as_u64().unwrap() >= 1,
        "{after_delete}"
    );
    let out = tb(dir, &["conflicts", "list", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let listed = out.json();
    let conflict = listed["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key.as_str())
        .unwrap_or_else(|| panic!("{key} listed: {listed}"))
        .clone();
    assert_eq!(conflict["kind"], "deleted_in_kimai");
    assert_eq!(conflict["timesheet_id"], timesheet);
    assert_eq!(conflict["resolution"], Value::Null);
    assert_eq!(
        conflict["choices"],
        serde_json::json!(["recreate", "accept_deletion", "ignore"])
    );
    let out = tb(
        dir,
        &["conflicts", "resolve", &key, "take-zammad", "--json"],
    )
    .await;
    assert_eq!(out.code, 1, "not for a deleted timesheet: {}", out.all());
    assert_eq!(out.json()["error"]["code"], "not_applicable");
    let text = tb(dir, &["conflicts", "list"]).await;
    assert!(
        text.stdout.contains(&format!("{key} deleted_in_kimai")),
        "{}",
        text.stdout
    );

    // Decide: re-create. Stored at once, applied by the next sync.
    let out = tb(dir, &["conflicts", "resolve", &key, "recreate", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.json()["resolution"], "recreate");
    assert_eq!(out.json()["conflict"], "deleted_in_kimai");
    let listed = tb(dir, &["conflicts", "list", "--json"]).await.json();
    let pending = listed["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key.as_str())
        .unwrap();
    assert_eq!(pending["resolution"], "recreate");
    assert_eq!(sims.kimai.timesheets().len(), before + planned - 1);

    let recreated = sync_ok(dir).await;
    assert_eq!(recreated["counts"]["created"], 1, "{recreated}");
    assert_eq!(sims.kimai.timesheets().len(), before + planned);
    let listed = tb(dir, &["conflicts", "list", "--json"]).await.json();
    assert!(
        listed["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["key"] != key.as_str()),
        "{listed}"
    );

    // The history, newest first: four syncs after one preview.
    let out = tb(dir, &["runs", "list", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let runs = out.json();
    let modes: Vec<&str> = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["mode"].as_str().unwrap())
        .collect();
    assert_eq!(
        modes,
        ["sync", "sync", "sync", "sync", "preview", "preview"]
    );
    assert!(runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "ok" && r["trigger"] == "cli"));
    let out = tb(dir, &["runs", "list", "--limit", "2", "--json"]).await;
    assert_eq!(out.json()["runs"].as_array().unwrap().len(), 2);
    let out = tb(dir, &["runs", "show", "99999"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
}

#[tokio::test]
async fn a_kimai_answering_503_ends_the_run_offline_with_exit_2() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    let before = sims.kimai.timesheets().len();
    sims.kimai
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));

    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["outcome"], "offline", "{doc}");
    assert!(doc["error"].as_str().unwrap().contains("Kimai"), "{doc}");
    assert!(out.stderr.contains("error [offline]"), "{}", out.stderr);
    assert_eq!(sims.kimai.timesheets().len(), before);

    let out = tb(dir, &["sync", "--yes"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    let runs = tb(dir, &["runs", "list", "--json"]).await.json();
    assert_eq!(runs["runs"][0]["outcome"], "offline");
}

#[tokio::test]
async fn not_configured_exits_1_and_a_missing_token_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "not_configured");
    assert!(
        out.stderr.contains("connections add kimai"),
        "{}",
        out.stderr
    );

    // A Kimai added without its check has no billing timezone yet.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let add = [
        "connections",
        "add",
        "kimai",
        "--name",
        "later",
        "--url",
        &url,
        "--no-check",
    ];
    assert_eq!(tb(dir, &add).await.code, 0);
    let out = tb(dir, &["sync", "--preview", "--json"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "no_billing_timezone");

    // Configured, but no token anywhere (no keychain, no variable).
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    configured(tmp.path(), &sims.kimai_url, &sims.zammad_url).await;
    let out = run(tmp.path(), &["sync", "--yes", "--json"], &[], None).await;
    assert_eq!(out.code, 3, "{}", out.all());
    assert!(out.json()["error"]["code"].is_string());

    // Resolving an entry that has no conflict is exit 1; a malformed key too.
    let out = tb(tmp.path(), &["conflicts", "resolve", "acme#1", "ignore"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    let out = tb(tmp.path(), &["conflicts", "resolve", "acme-1", "ignore"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
}

#[tokio::test]
async fn a_new_helpdesks_first_sync_waits_for_the_go_ahead() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    let before = sims.kimai.timesheets().len();

    // A plain `sync` plans the new helpdesk, says what it would do, and writes nothing.
    let out = tb(dir, &["sync"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .contains("First sync of acme waits for your go-ahead: it would create"),
        "{}",
        out.all()
    );
    assert!(
        out.stdout.contains("`timebridge sync --yes`"),
        "{}",
        out.all()
    );
    assert_eq!(sims.kimai.timesheets().len(), before, "nothing written");
    let held = tb(dir, &["sync", "--json"]).await.json();
    let waiting = &held["first_sync"][0];
    assert_eq!(waiting["instance"], "acme", "{held}");
    let creates = waiting["creates"].as_u64().unwrap();
    assert!(creates > 0, "{held}");
    assert_eq!(held["counts"]["created"], 0, "{held}");
    assert_eq!(held["actions"].as_array().unwrap().len(), 0, "{held}");
    let status = tb(dir, &["status", "--json"]).await.json();
    assert_eq!(status["awaiting_go_ahead"][0], "acme", "{status}");
    assert_eq!(
        sims.kimai.timesheets().len(),
        before,
        "still nothing written"
    );

    // `--yes` goes ahead: exactly what was shown is booked.
    let went = tb(dir, &["sync", "--yes", "--json"]).await.json();
    assert_eq!(went["went_ahead"][0], "acme", "{went}");
    assert_eq!(went["counts"]["created"].as_u64(), Some(creates), "{went}");
    assert!(went["first_sync"].as_array().unwrap().is_empty(), "{went}");
    assert_eq!(sims.kimai.timesheets().len(), before + creates as usize);
    let status = tb(dir, &["status", "--json"]).await.json();
    assert!(status["awaiting_go_ahead"].as_array().unwrap().is_empty());
    // `--yes` with nothing waiting is an ordinary sync.
    let again = sync_ok(dir).await;
    assert!(again["went_ahead"].as_array().unwrap().is_empty());
    assert_eq!(again["counts"]["created"], 0, "{again}");
    // A go-ahead for a helpdesk not waiting says so.
    let out = tb(dir, &["connections", "go-ahead", "acme"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("was not waiting"), "{}", out.all());
}

//! `runs undo`, `conflicts held` and `conflicts release` with the real binary against the
//! simulators: a sync's timesheets are reversed, the entries held, and released one by one.

mod support;

use serde_json::Value;
use support::{configured, map_acme, run, sims, Run, BOTH, KIMAI_TOKEN, KIMAI_VAR};
use timebridge_core::sync::entries::Marker;
use timebridge_simulators::{Fault, FaultKind};

async fn tb(dir: &std::path::Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

async fn ok(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = tb(dir, args).await;
    assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    out.json()
}

fn marked(sims: &support::Sims) -> Vec<String> {
    let mut keys: Vec<String> = sims
        .kimai
        .timesheets()
        .into_iter()
        .filter_map(|t| Marker::find(t.description.as_deref().unwrap_or_default()).ok()?)
        .map(|m| format!("{}#{}", m.instance.as_str(), m.time_accounting_id))
        .collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_sync_is_undone_held_and_released_entry_by_entry() {
    let sims = sims().await;
    let dir = tempfile::tempdir().unwrap();
    configured(dir.path(), &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir.path());
    let sync = ok(dir.path(), &["sync", "--yes", "--json"]).await;
    let run_id = sync["run_id"].as_i64().unwrap();
    let created = marked(&sims);
    assert!(created.len() > 3, "{created:?}");

    // Only the Kimai token is needed to undo.
    let out = run(
        dir.path(),
        &["runs", "undo", &run_id.to_string(), "--json"],
        &[(KIMAI_VAR, KIMAI_TOKEN)],
        None,
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.all());
    let undo = out.json();
    assert_eq!(undo["undoes_run"], run_id);
    assert_eq!(undo["outcome"], "ok");
    assert_eq!(undo["not_undone"], serde_json::json!([]));
    let undone = undo["undone"].as_array().unwrap();
    assert_eq!(undone.len(), created.len());
    assert!(undone
        .iter()
        .all(|u| u["undo"]["step"] == "deleted" && u["action"] == "create"));
    assert!(
        marked(&sims).is_empty(),
        "every timesheet of the run is gone"
    );

    let runs = ok(dir.path(), &["runs", "list", "--json"]).await;
    assert_eq!(runs["runs"][0]["mode"], "undo");
    assert_eq!(runs["runs"][0]["undoes_run"], run_id);
    assert_eq!(runs["runs"][0]["counts"]["deleted"], created.len());

    let held = ok(dir.path(), &["conflicts", "held", "--json"]).await;
    let held: Vec<&str> = held["held"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|h| assert_eq!(h["reason"], "undo"))
        .map(|h| h["key"].as_str().unwrap())
        .collect();
    assert_eq!(held.len(), created.len());

    let again = ok(dir.path(), &["sync", "--yes", "--json"]).await;
    assert_eq!(again["counts"]["created"], 0, "held entries are left alone");

    let one = created[0].as_str();
    let released = ok(dir.path(), &["conflicts", "release", one, "--json"]).await;
    assert_eq!(released["released"], true);
    let out = tb(dir.path(), &["conflicts", "release", one]).await;
    assert_eq!(out.code, 1, "not held any more: {}", out.all());
    assert!(out.stderr.contains("not_held"), "{}", out.stderr);
    let after = ok(dir.path(), &["sync", "--yes", "--json"]).await;
    assert_eq!(after["counts"]["created"], 1);
    assert_eq!(marked(&sims), vec![one.to_string()]);

    let text = tb(dir.path(), &["runs", "undo", &run_id.to_string()]).await;
    assert_eq!(text.code, 0, "{}", text.all());
    assert!(
        text.stdout.contains("changed this entry since"),
        "{}",
        text.stdout
    );
}

#[tokio::test]
async fn previews_and_unknown_runs_exit_1_and_an_unreachable_kimai_exits_2() {
    let sims = sims().await;
    let dir = tempfile::tempdir().unwrap();
    configured(dir.path(), &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir.path());
    let preview = ok(dir.path(), &["sync", "--preview", "--json"]).await;
    let id = preview["run_id"].as_i64().unwrap().to_string();
    let out = tb(dir.path(), &["runs", "undo", &id, "--json"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.json()["error"]["code"],
        "not_undoable",
        "{}",
        out.stdout
    );
    let out = tb(dir.path(), &["runs", "undo", "999"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("there is no run 999"), "{}", out.stderr);

    let sync = ok(dir.path(), &["sync", "--yes", "--json"]).await;
    let n = marked(&sims).len();
    sims.kimai
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let id = sync["run_id"].as_i64().unwrap().to_string();
    let out = tb(dir.path(), &["runs", "undo", &id, "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["outcome"], "offline", "{doc}");
    assert!(doc["not_undone"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["reason"] == "not_attempted"));
    sims.kimai.knobs().clear_faults();
    assert_eq!(marked(&sims).len(), n, "nothing was changed");
    let resumed = ok(dir.path(), &["runs", "undo", &id, "--json"]).await;
    assert_eq!(resumed["undone"].as_array().unwrap().len(), n);
}

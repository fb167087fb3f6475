//! `conflicts show` with the real binary against the simulators: one conflict in full, before
//! and after a decision.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::{configured, ok_json as ok, run, system_sims, Run, BOTH};

async fn tb(dir: &Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

#[tokio::test]
async fn conflicts_show_gives_both_sides_the_base_and_the_decision_waiting() {
    let sims = system_sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    ok(
        dir,
        &[
            "mappings",
            "add-rule",
            "acme",
            "--scope",
            "group",
            "--id",
            "1",
            "--project",
            "1",
        ],
    )
    .await;
    ok(
        dir,
        &[
            "mappings",
            "add-rule",
            "acme",
            "--scope",
            "group",
            "--id",
            "2",
            "--project",
            "1",
        ],
    )
    .await;
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
                "2",
            ],
        )
        .await;
    }
    let before: BTreeSet<u64> = sims.kimai.timesheets().iter().map(|t| t.id).collect();
    ok(dir, &["sync", "--yes"]).await;
    let ours = sims
        .kimai
        .timesheets()
        .into_iter()
        .find(|t| !before.contains(&t.id))
        .unwrap();
    assert!(sims.kimai.delete_timesheet_as_human(ours.id));
    let after = ok(dir, &["sync", "--yes"]).await;
    assert_eq!(after["counts"]["conflicts"], 1, "{after}");
    let key = ok(dir, &["conflicts", "list"]).await["conflicts"][0]["key"]
        .as_str()
        .unwrap()
        .to_string();

    let shown = ok(dir, &["conflicts", "show", &key]).await;
    assert_eq!(shown["state"], "conflict");
    assert_eq!(shown["conflict"]["kind"], "deleted_in_kimai");
    assert_eq!(shown["conflict"]["timesheet_id"], ours.id);
    assert_eq!(shown["conflict"]["kimai"], Value::Null);
    assert_eq!(shown["conflict"]["source"]["activity"], 2);
    assert_eq!(shown["conflict"]["base"]["project"], 1);
    assert_eq!(shown["link"]["timesheet_id"], ours.id);
    assert_eq!(shown["resolution"], Value::Null);
    assert_eq!(
        shown["choices"],
        serde_json::json!(["recreate", "accept_deletion", "ignore"])
    );

    ok(dir, &["conflicts", "resolve", &key, "recreate"]).await;
    let shown = ok(dir, &["conflicts", "show", &key]).await;
    assert_eq!(shown["resolution"], "recreate");
    let text = tb(dir, &["conflicts", "show", &key]).await;
    assert_eq!(text.code, 0, "{}", text.all());
    for part in [
        "conflict deleted_in_kimai",
        "zammad:",
        "kimai:  —",
        "base:",
        "decided: recreate",
        "choose recreate|accept-deletion|ignore",
    ] {
        assert!(text.stdout.contains(part), "{part}: {}", text.stdout);
    }
    for bad in ["acme#999999", "acme-1"] {
        assert_eq!(tb(dir, &["conflicts", "show", bad]).await.code, 1, "{bad}");
    }
}

//! `mappings` with the real binary against the simulators: the mapping is configured through
//! the commands only, and what a sync then writes to Kimai shows it was applied; bad values
//! are refused with nothing stored.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::{configured, ok_json as ok, run, system_sims, Run, BOTH};

async fn tb(dir: &Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

/// `mappings list acme --json`, verbatim.
async fn listing(dir: &Path) -> String {
    let out = tb(dir, &["mappings", "list", "acme", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    out.stdout
}

/// The keys of the entries `conflicts list` shows parked as "needs mapping", and how many are
/// parked for another reason (a correction with nothing to reduce).
fn needs_mapping(conflicts: &Value) -> (Vec<String>, usize) {
    let parked = conflicts["parked"].as_array().unwrap();
    let keys: Vec<String> = parked
        .iter()
        .filter(|p| p["reason"]["reason"] == "needs_mapping")
        .map(|p| p["key"].as_str().unwrap().to_string())
        .collect();
    let others = parked.len() - keys.len();
    (keys, others)
}

#[tokio::test]
async fn mappings_set_by_command_decide_what_a_sync_books_and_release_parked_entries() {
    let sims = system_sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;

    // Nothing mapped yet.
    let empty = ok(dir, &["mappings", "list"]).await;
    assert_eq!(empty["instances"][0]["instance"], "acme");
    assert_eq!(empty["instances"][0]["rules"], serde_json::json!([]));

    // Acme GmbH (organization 1) → project 1; the customer comes from Kimai.
    let added = ok(
        dir,
        &[
            "mappings",
            "add-rule",
            "acme",
            "--scope",
            "organization",
            "--id",
            "1",
            "--project",
            "1",
        ],
    )
    .await;
    assert_eq!(added["kimai_check"], "checked", "{added}");
    assert_eq!(
        added["settings"]["rules"],
        serde_json::json!([{"number": 1, "scope": "organization", "id": 1, "customer": 1,
                            "project": 1, "activity": null}])
    );
    for (t, a) in [("1", "1"), ("2", "1"), ("3", "2")] {
        let set = ok(
            dir,
            &[
                "mappings",
                "set-activity",
                "acme",
                "--type",
                t,
                "--activity",
                a,
            ],
        )
        .await;
        assert_eq!(set["kimai_check"], "checked", "{set}");
    }
    let set = ok(
        dir,
        &[
            "mappings",
            "set",
            "acme",
            "--tags",
            "zammad",
            "--template",
            "<title> (#<number>)",
        ],
    )
    .await;
    assert_eq!(set["kimai_check"], "not_needed");

    let listed = ok(dir, &["mappings", "list", "acme"]).await;
    let acme = &listed["instances"][0];
    assert_eq!(acme["tags"], serde_json::json!(["zammad"]));
    assert_eq!(acme["description_template"], "<title> (#<number>)");
    assert_eq!(acme["layout"], "end_at_booking");
    assert_eq!(acme["time_unit"], serde_json::json!({"kind": "minutes"}));
    assert_eq!(
        acme["activity_by_type"],
        serde_json::json!([{"type_id": 1, "activity": 1}, {"type_id": 2, "activity": 1},
                           {"type_id": 3, "activity": 2}])
    );
    let text = tb(dir, &["mappings", "list"]).await;
    assert!(
        text.stdout
            .contains("1. organization 1 → customer 1, project 1, activity by type"),
        "{}",
        text.stdout
    );

    // Sync: Acme GmbH's entries land in project 1 with the mapped activities and tags;
    // Acme Logistics (organization 2) has no rule: its entries are parked.
    let before: BTreeSet<u64> = sims.kimai.timesheets().iter().map(|t| t.id).collect();
    let first = ok(dir, &["sync", "--yes"]).await;
    let created = first["counts"]["created"].as_u64().unwrap();
    assert!(created > 0, "{first}");
    assert!(first["counts"]["parked"].as_u64().unwrap() > 0, "{first}");
    let new: Vec<_> = sims
        .kimai
        .timesheets()
        .into_iter()
        .filter(|t| !before.contains(&t.id))
        .collect();
    assert_eq!(new.len() as u64, created);
    assert!(
        new.iter().all(|t| t.project == 1 && t.tags == ["zammad"]),
        "{new:?}"
    );
    let activities: BTreeSet<u64> = new.iter().map(|t| t.activity).collect();
    assert_eq!(
        activities,
        BTreeSet::from([1, 2]),
        "types 1, 2 → 1 and 3 → 2"
    );
    let description = new[0].description.clone().unwrap();
    assert!(
        description.contains(" (#310"),
        "template applied: {description}"
    );

    let conflicts = ok(dir, &["conflicts", "list"]).await;
    let (parked, others) = needs_mapping(&conflicts);
    assert!(!parked.is_empty(), "{conflicts}");
    assert_eq!(
        first["counts"]["parked"].as_u64().unwrap(),
        (parked.len() + others) as u64
    );
    let reason = &conflicts["parked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == parked[0].as_str())
        .unwrap()["reason"];
    assert!(
        reason["detail"]
            .as_str()
            .unwrap()
            .contains("organization 2"),
        "{reason}"
    );
    let shown = ok(dir, &["conflicts", "show", &parked[0]]).await;
    assert_eq!(shown["state"], "parked");
    assert_eq!(shown["choices"], serde_json::json!(["ignore"]));
    assert_eq!(shown["parked"]["reason"]["reason"], "needs_mapping");
    assert_eq!(shown["conflict"], Value::Null);
    let text = tb(dir, &["conflicts", "show", &parked[0]]).await;
    assert!(text.stdout.contains("needs mapping"), "{}", text.stdout);

    // A rule for organization 2 releases them at the next sync, into its own project.
    let added = ok(
        dir,
        &[
            "mappings",
            "add-rule",
            "acme",
            "--scope",
            "organization",
            "--id",
            "2",
            "--project",
            "3",
            "--customer",
            "2",
        ],
    )
    .await;
    assert_eq!(added["changed"], "added rule 2 (organization 2)");
    let second = ok(dir, &["sync", "--yes"]).await;
    assert_eq!(
        second["counts"]["created"].as_u64().unwrap(),
        parked.len() as u64,
        "{second}"
    );
    assert_eq!(second["counts"]["parked"], others as u64, "{second}");
    let (still, _) = needs_mapping(&ok(dir, &["conflicts", "list"]).await);
    assert!(still.is_empty(), "released: {still:?}");
    let globex: Vec<_> = sims
        .kimai
        .timesheets()
        .into_iter()
        .filter(|t| !before.contains(&t.id) && t.project == 3)
        .collect();
    assert_eq!(globex.len(), parked.len());
    let out = tb(dir, &["conflicts", "show", &parked[0]]).await;
    assert_eq!(out.code, 1, "released: {}", out.all());

    // Nothing left to do; removing the rule parks them again (their timesheets stay).
    let third = ok(dir, &["sync", "--yes"]).await;
    assert_eq!(third["counts"]["created"], 0, "{third}");
    let removed = ok(dir, &["mappings", "remove-rule", "acme", "2"]).await;
    assert_eq!(removed["changed"], "removed rule 2 (organization 2)");
    let fourth = ok(dir, &["sync", "--yes"]).await;
    assert_eq!(
        fourth["counts"]["parked"].as_u64().unwrap(),
        (parked.len() + others) as u64,
        "{fourth}"
    );
    assert_eq!(fourth["counts"]["deleted"], 0, "{fourth}");

    // The rule back: they are in step again, and no longer listed as parked.
    let rule2 = [
        "mappings",
        "add-rule",
        "acme",
        "--scope",
        "organization",
        "--id",
        "2",
    ];
    ok(dir, &[&rule2[..], &["--project", "3"]].concat()).await;
    let fifth = ok(dir, &["sync", "--yes"]).await;
    assert_eq!(fifth["counts"]["created"], 0, "{fifth}");
    assert_eq!(fifth["counts"]["updated"], 0, "{fifth}");
    let (still, _) = needs_mapping(&ok(dir, &["conflicts", "list"]).await);
    assert!(still.is_empty(), "released again: {still:?}");
}

#[tokio::test]
async fn bad_values_exit_1_and_leave_the_settings_as_they_were() {
    let sims = system_sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    let rule = [
        "mappings",
        "add-rule",
        "acme",
        "--scope",
        "organization",
        "--id",
        "1",
    ];
    ok(dir, &[&rule[..], &["--project", "1"]].concat()).await;
    ok(
        dir,
        &[
            "mappings",
            "set",
            "acme",
            "--rounding",
            "up:15",
            "--minimum",
            "15",
        ],
    )
    .await;
    let stored = listing(dir).await;

    let bad: Vec<(Vec<&str>, Option<&str>)> = vec![
        (vec!["mappings", "set", "acme", "--rounding", "up:0"], None),
        (
            vec!["mappings", "set", "acme", "--rounding", "sideways:5"],
            None,
        ),
        (
            vec!["mappings", "set", "acme", "--template", "#<number> <titel>"],
            None,
        ),
        (vec!["mappings", "set", "acme", "--tags", "ok,x"], None),
        (
            vec!["mappings", "set", "acme", "--tags", "zammad,Zammad"],
            None,
        ),
        (
            vec!["mappings", "set", "acme", "--layout", "diagonal"],
            None,
        ),
        (vec!["mappings", "set", "acme", "--unit", "custom:0"], None),
        (vec!["mappings", "set", "acme", "--minimum", "5000"], None),
        (vec!["mappings", "set", "acme"], Some("nothing_to_set")),
        (
            vec!["mappings", "set", "nope", "--tags", "zammad"],
            Some("unknown_instance"),
        ),
        (vec!["mappings", "list", "nope"], Some("unknown_instance")),
        (vec!["mappings", "set", "Acme!", "--tags", "zammad"], None),
        (
            vec!["mappings", "remove-rule", "acme", "2"],
            Some("not_found"),
        ),
        (vec!["mappings", "remove-rule", "acme", "0"], None),
        (
            vec!["mappings", "remove-activity", "acme", "--type", "1"],
            Some("not_found"),
        ),
        (
            vec![
                "mappings",
                "set-activity",
                "acme",
                "--type",
                "x",
                "--activity",
                "1",
            ],
            None,
        ),
        (
            vec![
                "mappings",
                "set-activity",
                "acme",
                "--type",
                "1",
                "--activity",
                "99",
            ],
            Some("unknown_activity"),
        ),
        (
            [&rule[..], &["--scope", "planet", "--project", "1"]].concat(),
            None,
        ),
        ([&rule[..], &["--project", "0"]].concat(), None),
        (
            [&rule[..], &["--project", "99"]].concat(),
            Some("unknown_project"),
        ),
        (
            [&rule[..], &["--project", "1", "--customer", "2"]].concat(),
            Some("customer_mismatch"),
        ),
        // Activity 4 belongs to project 2 only.
        (
            [&rule[..], &["--project", "1", "--activity", "4"]].concat(),
            Some("activity_not_for_project"),
        ),
    ];
    for (args, code) in bad {
        let mut with_json = args.clone();
        with_json.push("--json");
        let out = tb(dir, &with_json).await;
        assert_eq!(out.code, 1, "{args:?}: {}", out.all());
        if let Some(code) = code {
            assert_eq!(out.json()["error"]["code"], code, "{args:?}: {}", out.all());
        }
        assert_eq!(listing(dir).await, stored, "{args:?} changed the settings");
    }
    let out = tb(dir, &["mappings", "set", "nope", "--tags", "zammad"]).await;
    assert!(
        out.stderr
            .contains("no Zammad instance \"nope\" (configured: acme)"),
        "{}",
        out.stderr
    );
}

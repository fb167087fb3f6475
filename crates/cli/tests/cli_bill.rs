//! `timebridge bill …` end to end against the simulators: preview (default month, JSON shape,
//! blockers), apply blocked without a complete sync (exit 1, code `blocked`, the blockers
//! listed) and with `--override` recorded, apply with its own sync first, a second apply
//! that writes nothing, the report files, list, reverse, Kimai unreachable (exit 2), and a
//! sync first that does not end ok (exit 2, nothing billed).

#[path = "bill_world/mod.rs"]
mod bill_world;
mod support;

use bill_world::{previous_month, world};
use timebridge_simulators::kimai::Role;

#[tokio::test]
async fn preview_then_apply_with_a_sync_first_then_nothing_left_then_reverse() {
    let w = world(Role::Admin).await;
    let (month, _) = previous_month();
    let tag = format!("billed:{month}");

    // Never synced: the preview says so, apply refuses with the blockers listed.
    let (p, writes) = w.ok(&["bill", "preview"], "preview").await;
    assert_eq!(writes, 0);
    assert_eq!(
        p["month"],
        month.as_str(),
        "default: the previous month: {p}"
    );
    assert_eq!(p["tag"], tag.as_str());
    assert_eq!(p["to_bill"].as_array().unwrap().len(), 4, "{p}");
    assert_eq!(p["by_customer"].as_array().unwrap().len(), 2, "{p}");
    assert_eq!(p["by_customer"][0]["customer"], "Acme GmbH");
    assert_eq!(p["by_customer"][0]["totals"]["seconds"], 3 * 45 * 60);
    assert_eq!(p["by_customer"][0]["totals"]["hours"], "2.25");
    assert_eq!(p["blockers"][0]["kind"], "never_synced", "{p}");
    assert_eq!(p["closes_month"], true);

    let out = w.cli(&["bill", "apply", "--no-sync", "--json"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["error"]["code"], "blocked", "{doc}");
    assert_eq!(doc["blockers"][0]["kind"], "never_synced", "{doc}");
    let text = w.cli(&["bill", "apply", "--no-sync"]).await;
    assert_eq!(text.code, 1);
    assert!(
        text.stderr.contains("no complete sync has run yet"),
        "{}",
        text.all()
    );
    assert_eq!(w.writes(), 0, "a blocked apply writes nothing");

    // Apply syncs first (fresh picture, no blockers), then bills all four.
    let (doc, writes) = w.ok(&["bill", "apply"], "apply").await;
    assert!(doc["sync_run_id"].is_i64(), "{doc}");
    assert_eq!(doc["state"], "done", "{doc}");
    assert_eq!(doc["billed"].as_array().unwrap().len(), 4, "{doc}");
    assert_eq!(doc["month_closed"], true);
    assert_eq!(
        writes,
        1 + 2 * 4,
        "the tag, then tag and export per timesheet"
    );
    let csv = doc["report"]["csv"].as_str().unwrap();
    let text = std::fs::read_to_string(w.dir().join(csv)).unwrap();
    assert!(
        text.contains("Globex AG") && text.contains("Acme GmbH"),
        "{text}"
    );
    assert!(w
        .dir()
        .join(doc["report"]["html"].as_str().unwrap())
        .is_file());
    let run_id = doc["run_id"].as_i64().unwrap();

    // Again: nothing left, nothing written.
    let (again, writes) = w.ok(&["bill", "apply", "--no-sync"], "again").await;
    assert_eq!(writes, 0, "{again}");
    assert!(again["run_id"].is_null());
    assert_eq!(
        again["preview"]["already_billed"].as_array().unwrap().len(),
        4
    );
    let text = w.cli(&["bill", "apply", "--no-sync"]).await;
    assert!(text.stdout.contains("Nothing to bill"), "{}", text.all());

    let (list, _) = w.ok(&["bill", "list"], "list").await;
    assert_eq!(list["runs"][0]["id"], run_id);
    assert_eq!(list["runs"][0]["state"], "done");

    let (rev, writes) = w
        .ok(&["bill", "reverse", &run_id.to_string()], "reverse")
        .await;
    assert_eq!(rev["state"], "reversed", "{rev}");
    assert_eq!(rev["month_reopened"], true);
    assert_eq!(writes, 2 * 4, "un-export and untag each");
    for id in w.ids.acme.iter().chain([&w.ids.globex]) {
        let t = w.sheet(*id);
        assert!(!t.exported && !t.tags.contains(&tag), "{id}: {t:?}");
    }
    assert_eq!(w.sheet(w.ids.acme[1]).tags, vec!["zammad".to_string()]);
}

#[tokio::test]
async fn override_is_recorded_and_a_customer_scope_bills_only_that_customer() {
    let w = world(Role::Teamlead).await;
    let (doc, _) = w
        .ok(
            &[
                "bill",
                "apply",
                "--no-sync",
                "--customer",
                "2",
                "--override",
                "sync broken, billed by hand",
            ],
            "override",
        )
        .await;
    assert_eq!(doc["override_reason"], "sync broken, billed by hand");
    assert_eq!(doc["billed"], serde_json::json!([w.ids.globex]));
    assert_eq!(doc["month_closed"], false);
    assert!(!w.sheet(w.ids.acme[0]).exported);
    let (list, _) = w.ok(&["bill", "list"], "list").await;
    assert_eq!(
        list["runs"][0]["override_reason"],
        "sync broken, billed by hand"
    );
    assert_eq!(list["runs"][0]["overridden"][0]["kind"], "never_synced");
    assert_eq!(list["runs"][0]["customers"], serde_json::json!([2]));

    let empty = w.cli(&["bill", "apply", "--override", " "]).await;
    assert_eq!(empty.code, 1, "an override needs a reason: {}", empty.all());
    let bad = w.cli(&["bill", "preview", "--month", "2026-13"]).await;
    assert_eq!(bad.code, 1, "{}", bad.all());
    let unknown = w
        .cli(&["bill", "preview", "--customer", "99", "--json"])
        .await;
    assert_eq!(unknown.code, 1);
    assert_eq!(unknown.json()["error"]["code"], "unknown_customer");
}

#[tokio::test]
async fn kimai_unreachable_exits_2() {
    let mut w = world(Role::Teamlead).await;
    w.kimai_server = None;
    let out = w.cli(&["bill", "preview", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "kimai");
    let out = w.cli(&["bill", "apply", "--no-sync", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
}

#[tokio::test]
async fn a_sync_first_that_does_not_end_ok_bills_nothing() {
    let mut w = world(Role::Admin).await;
    w.zammad_server = None;
    let out = w.cli(&["bill", "apply", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    let error = &out.json()["error"];
    assert_eq!(error["code"], "sync_failed", "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("the sync before billing (run ")
            && message.contains("nothing was billed")
            && message.ends_with("or bill with --no-sync"),
        "{message}"
    );
    assert_eq!(w.writes(), 0, "nothing billed: {}", out.all());
    let (list, _) = w.ok(&["bill", "list"], "list").await;
    assert_eq!(list["runs"], serde_json::json!([]), "{list}");
}

//! Writes Kimai refuses, through the real binary: each refused entry is named with its code,
//! Kimai's words and the fix in `sync` (text and JSON) and `conflicts list`; the next sync
//! sends nothing for them; `conflicts retry` lets one go out again.

mod support;

use support::{book_on_acme, configured, map_acme, run, sims, Run, BOTH};

async fn tb(dir: &std::path::Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

/// Timesheet creates that reached the Kimai simulator.
fn posts(sims: &support::Sims) -> u64 {
    sims.kimai
        .knobs()
        .counts()
        .iter()
        .filter(|(k, _)| k.starts_with("POST /api/timesheets"))
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn refused_entries_are_named_held_and_retried_on_request() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    // The mapped project takes no global activities: Kimai refuses every booking on it
    // (whatever the date, so this holds on any day).
    assert!(sims
        .kimai
        .edit_project_as_admin(1, |p| p.global_activities = false));

    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    assert_eq!(doc["outcome"], "ok", "{doc}");
    let refused = doc["refused"].as_array().unwrap();
    assert!(!refused.is_empty(), "{doc}");
    assert_eq!(doc["counts"]["refused"], refused.len() as u64);
    assert_eq!(doc["counts"]["created"], 0);
    for r in refused {
        assert_eq!(r["code"], "activity_not_allowed", "{r}");
        assert!(r["fix"].as_str().unwrap().contains("activity"), "{r}");
        assert_eq!(r["refusal"]["answer"]["status"], 400, "{r}");
        assert!(r["key"].as_str().unwrap().starts_with("acme#"), "{r}");
    }
    let first_key = refused[0]["key"].as_str().unwrap().to_string();
    // The run's history names them too.
    let run_id = doc["run_id"].as_i64().unwrap().to_string();
    let shown = tb(dir, &["runs", "show", &run_id, "--json"]).await.json();
    assert_eq!(
        shown["refused"].as_array().unwrap().len(),
        refused.len(),
        "{shown}"
    );
    assert_eq!(shown["run"]["counts"]["refused"], refused.len() as u64);
    let text = tb(dir, &["runs", "show", &run_id]).await.stdout;
    assert!(
        text.contains(&format!("refused {first_key} refused by Kimai")),
        "{text}"
    );

    // Nothing changed: no create is sent again, and the text says why they wait.
    let before = posts(&sims);
    let out = tb(dir, &["sync", "--yes"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(posts(&sims), before, "refused writes are not sent again");

    let out = tb(dir, &["conflicts", "list"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains(&format!(
            "{first_key} refused by Kimai (activity_not_allowed)"
        )),
        "{}",
        out.stdout
    );
    let out = tb(dir, &["conflicts", "list", "--json"]).await;
    let listed = out.json()["parked"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["reason"]["reason"] == "refused")
        .count();
    assert_eq!(listed, refused.len());

    // Retry one: exactly that one is sent again at the next sync (and refused again).
    let out = tb(dir, &["conflicts", "retry", &first_key]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let out = tb(dir, &["conflicts", "retry", "acme#999999"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("not refused"), "{}", out.all());
    let out = tb(dir, &["sync", "--yes"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(posts(&sims), before + 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("Refused by Kimai 1 (not booked):") && out.stdout.contains(&first_key),
        "{}",
        out.stdout
    );
}

/// The rows of `bill preview --json`'s ledger, each checked to add up.
fn ledger_rows(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    let rows = doc["ledger"].as_array().expect("a ledger").clone();
    for row in &rows {
        let parts: i64 = row["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["millis"].as_i64().unwrap())
            .sum();
        assert_eq!(parts, row["zammad_millis"].as_i64().unwrap(), "{row}");
    }
    rows
}

fn part_millis(row: &serde_json::Value, kind: &str) -> i64 {
    row["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| p["millis"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn the_month_ledger_shows_refused_time_until_the_cause_is_fixed() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    assert!(sims
        .kimai
        .edit_project_as_admin(1, |p| p.global_activities = false));
    let doc = tb(dir, &["sync", "--yes", "--json"]).await.json();
    let refused = doc["refused"].as_array().unwrap().clone();
    assert!(!refused.is_empty(), "{doc}");
    // The month of the first refused entry (billing timezone, as the write had it).
    let month = refused[0]["refusal"]["write"]["begin"].as_str().unwrap()[..7].to_string();
    let of_month = refused
        .iter()
        .filter(|r| {
            r["refusal"]["write"]["begin"]
                .as_str()
                .unwrap()
                .starts_with(&month)
        })
        .count();

    let out = tb(dir, &["bill", "preview", "--month", &month, "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    let rows = ledger_rows(&doc);
    let acme = rows
        .iter()
        .find(|r| r["project_id"] == 1)
        .unwrap_or_else(|| panic!("{doc}"));
    let part = acme["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "refused")
        .unwrap_or_else(|| panic!("{acme}"));
    assert_eq!(part["reason"], "activity_not_allowed", "{part}");
    assert_eq!(
        part["entries"].as_array().unwrap().len(),
        of_month,
        "{part}"
    );
    assert!(
        part["entries"][0]["ticket"]
            .as_str()
            .unwrap()
            .starts_with('#'),
        "{part}"
    );
    assert_eq!(acme["missing_millis"], part["millis"], "{acme}");
    assert_eq!(part_millis(acme, "booked"), 0, "{acme}");
    // The blockers name the cause with its count, and the text shows the same ledger.
    let text = tb(dir, &["bill", "preview", "--month", &month])
        .await
        .stdout;
    assert!(
        text.contains(&format!(
            "{of_month} entr{} refused by Kimai: activity_not_allowed",
            if of_month == 1 { "y" } else { "ies" }
        )),
        "{text}"
    );
    assert!(text.contains("Where Zammad's time of"), "{text}");
    assert!(
        text.contains("refused by Kimai (activity_not_allowed)"),
        "{text}"
    );

    // Fixed in Kimai: the next sync books them and nothing of Acme's time is missing.
    assert!(sims
        .kimai
        .edit_project_as_admin(1, |p| p.global_activities = true));
    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.json()["counts"]["refused"], 0, "{}", out.all());
    let doc = tb(dir, &["bill", "preview", "--month", &month, "--json"])
        .await
        .json();
    let rows = ledger_rows(&doc);
    let acme = rows.iter().find(|r| r["project_id"] == 1).unwrap();
    assert_eq!(acme["missing_millis"], 0, "{acme}");
    assert!(part_millis(acme, "booked") > 0, "{acme}");
}

/// Parked entries of the acme helpdesk with `reason` (`unit_changed`, …), from `conflicts list`.
fn parked_with(doc: &serde_json::Value, reason: &str) -> usize {
    doc["parked"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["reason"]["reason"] == reason)
        .count()
}

#[tokio::test]
async fn a_changed_unit_setting_holds_new_entries_until_confirm_unit() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.json()["outcome"], "ok", "{}", out.all());

    // An admin switches the helpdesk to hours; the consultant books a "2" on an Acme ticket.
    sims.zammad.set_time_accounting_unit("hour", "");
    book_on_acme(&sims, 2);
    let before = posts(&sims);
    let out = tb(dir, &["sync", "--yes"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(posts(&sims), before, "nothing booked with a doubtful unit");
    let listed = tb(dir, &["conflicts", "list", "--json"]).await.json();
    assert_eq!(parked_with(&listed, "unit_changed"), 1, "{listed}");
    let text = tb(dir, &["conflicts", "list"]).await.stdout;
    assert!(text.contains("confirm-unit"), "{text}");

    // Confirming needs the unit the setting names (or an explicit difference).
    let out = tb(
        dir,
        &["connections", "confirm-unit", "acme", "--unit", "minutes"],
    )
    .await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("unit-differs-from-zammad"),
        "{}",
        out.all()
    );
    let out = tb(dir, &["connections", "confirm-unit", "acme", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.json()["unit_setting"], "hour");
    let out = tb(dir, &["sync", "--yes"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        posts(&sims),
        before + 1,
        "booked once confirmed: {}",
        out.stdout
    );
    let two_hours = sims
        .kimai
        .timesheets()
        .into_iter()
        .filter(|t| t.end.is_some_and(|e| (e - t.begin).num_seconds() == 7200))
        .count();
    assert!(two_hours >= 1, "the 2 is two hours");
    let listed = tb(dir, &["conflicts", "list", "--json"]).await.json();
    assert_eq!(parked_with(&listed, "unit_changed"), 0, "{listed}");
}

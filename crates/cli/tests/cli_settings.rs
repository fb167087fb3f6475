//! Offline `mappings` edits (stored, marked unchecked) and `settings timezone` (checked against
//! the Kimai user's timezone, which a sync requires) with the real binary and the simulators.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{configured, ok_json as ok, run, system_sims, Run, BOTH};
use timebridge_simulators::{Fault, FaultKind};

async fn tb(dir: &Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

#[tokio::test]
async fn offline_edits_are_stored_unchecked_and_the_timezone_must_match_kimai() {
    let sims = system_sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;

    // The billing timezone came from the Kimai user.
    let tz = ok(dir, &["settings", "timezone"]).await;
    assert_eq!(tz["billing_timezone"], "Europe/Berlin");
    assert_eq!(tz["kimai_timezone"], "Europe/Berlin");
    assert_eq!(tz["matches"], true);
    let out = tb(dir, &["settings", "timezone", "Mars/Olympus", "--json"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("unknown timezone"), "{}", out.stderr);
    assert_eq!(
        ok(dir, &["settings", "timezone"]).await["billing_timezone"],
        "Europe/Berlin"
    );

    // A different zone is stored, with a warning; the sync then refuses to run.
    let out = tb(dir, &["settings", "timezone", "America/New_York"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .contains("set to America/New_York (was Europe/Berlin)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("Kimai user's timezone is Europe/Berlin"),
        "{}",
        out.stderr
    );
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
            "set-activity",
            "acme",
            "--type",
            "none",
            "--activity",
            "1",
        ],
    )
    .await;
    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.json()["error"].as_str().unwrap().contains("timezone"),
        "{}",
        out.stdout
    );
    let back = ok(dir, &["settings", "timezone", "Europe/Berlin"]).await;
    assert_eq!(
        (back["changed"].clone(), back["matches"].clone()),
        (true.into(), true.into())
    );

    // Kimai unreachable: edits are stored and say they were not checked.
    sims.kimai
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let rule = [
        "mappings",
        "add-rule",
        "acme",
        "--scope",
        "ticket",
        "--id",
        "7",
        "--project",
        "4",
    ];
    let out = tb(dir, &[&rule[..], &["--json"]].concat()).await;
    assert_eq!(
        out.code,
        1,
        "the customer cannot be looked up: {}",
        out.all()
    );
    assert_eq!(out.json()["error"]["code"], "customer_needed");
    let out = tb(dir, &[&rule[..], &["--customer", "3"]].concat()).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains("not checked: offline"),
        "{}",
        out.stdout
    );
    let stored = ok(
        dir,
        &[
            "mappings",
            "set-activity",
            "acme",
            "--type",
            "2",
            "--activity",
            "3",
        ],
    )
    .await;
    assert_eq!(stored["kimai_check"], "offline");
    let listed = ok(dir, &["mappings", "list", "acme"]).await;
    let rules = &listed["instances"][0]["rules"];
    assert_eq!(rules[1]["scope"], "ticket");
    assert_eq!(
        (rules[1]["project"].clone(), rules[1]["customer"].clone()),
        (4.into(), 3.into())
    );
    assert_eq!(listed["instances"][0]["activity_by_type"][0]["activity"], 3);
    assert_eq!(listed["instances"][0]["activity_without_type"], 1);
    let tz = ok(dir, &["settings", "timezone"]).await;
    assert_eq!(
        (tz["kimai_check"].clone(), tz["matches"].clone()),
        ("offline".into(), Value::Null)
    );
}

#[tokio::test]
async fn book_from_defaults_to_the_first_of_last_month_at_set_up_and_can_be_set() {
    let sims = system_sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let unset = ok(dir, &["settings", "book-from"]).await;
    assert_eq!(unset["book_from"], Value::Null, "{unset}");

    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    // The binary and this test read the same clock; set-up uses last month in Berlin. The
    // expected day is computed the same way, so this holds on any date.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive();
    let first = chrono::NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
        1,
    )
    .unwrap();
    let last_month = (first - chrono::Duration::days(1))
        .format("%Y-%m-01")
        .to_string();
    let set_up = ok(dir, &["settings", "book-from"]).await;
    assert_eq!(set_up["book_from"], last_month.as_str(), "{set_up}");
    let status = ok(dir, &["status"]).await;
    assert_eq!(status["book_from"], last_month.as_str(), "{status}");
    assert_eq!(status["oldest_open_month"], &last_month[..7], "{status}");

    let set = ok(dir, &["settings", "book-from", "2026-01-15"]).await;
    assert_eq!(set["book_from"], "2026-01-15");
    let status = ok(dir, &["status"]).await;
    assert_eq!(status["oldest_open_month"], "2026-01", "{status}");
    let bad = tb(dir, &["settings", "book-from", "2026-13-01"]).await;
    assert_eq!(bad.code, 1, "{}", bad.all());
    // A day that has not begun is refused as the desktop refuses it (two days ahead of the
    // clock the binary reads, so on any date).
    let ahead = (chrono::Utc::now().date_naive() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let future = tb(dir, &["settings", "book-from", &ahead]).await;
    assert_eq!(future.code, 1, "{}", future.all());
    assert!(
        future.all().contains("is in the future"),
        "{}",
        future.all()
    );
    assert_eq!(
        ok(dir, &["settings", "book-from"]).await["book_from"],
        "2026-01-15"
    );
}

//! A Kimai that rounds times by a rule of its own (15 minutes here): the run says so (once with
//! the explanation), keeps what Kimai stored without fighting it, and the month's ledger shows
//! the difference as "changed in Kimai".

mod support;

use support::{book_on_acme, configured, map_acme, run, sims, Run, BOTH};

async fn tb(dir: &std::path::Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

#[tokio::test]
async fn kimais_own_rounding_is_told_once_kept_and_shown_in_the_ledger() {
    let sims = sims().await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
    sims.kimai.set_rounding_minutes(Some(15));

    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let doc = out.json();
    let adjusted = doc["kimai_adjusted"].as_array().unwrap().clone();
    assert!(!adjusted.is_empty(), "{doc}");
    assert_eq!(doc["kimai_adjusted_first"], true);
    assert_eq!(doc["counts"]["kimai_adjusted"], adjusted.len() as u64);
    let month = adjusted[0]["stored"][0].as_str().unwrap()[..7].to_string();

    // Nothing changed: no write, no fight with Kimai's times.
    let out = tb(dir, &["sync", "--yes", "--json"]).await;
    let doc = out.json();
    assert_eq!(doc["counts"]["updated"], 0, "{doc}");
    assert!(doc["kimai_adjusted"].as_array().unwrap().is_empty());

    // The ledger of the month shows what Kimai changed.
    let doc = tb(dir, &["bill", "preview", "--month", &month, "--json"])
        .await
        .json();
    let changed: i64 = doc["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["parts"].as_array().unwrap().clone())
        .filter(|p| p["kind"] == "changed_in_kimai")
        .map(|p| p["millis"].as_i64().unwrap())
        .sum();
    assert!(changed < 0, "Kimai holds more than was written: {doc}");

    // A later write Kimai rounds again is reported, without the explanation.
    book_on_acme(&sims, 7);
    let out = tb(dir, &["sync", "--yes"]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .contains("Kimai changed the times of 1 timesheet"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("rounds times by a rule of its own"),
        "{}",
        out.stdout
    );
}

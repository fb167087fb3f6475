//! `rebuild-links` with the real binary against the simulators: a data directory synced, then
//! a fresh one (a new laptop, a lost database) with the same connections rebuilds its links
//! from the markers in Kimai — and the next sync neither creates duplicates nor overwrites
//! anything: equal sides are taken as in step, every difference is a conflict.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use serde_json::Value;
use support::{configured, map_acme, run, Run, BOTH};
use timebridge_core::sync::plan::{Link, SourceKey};
use timebridge_core::{DataDir, Store};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::zammad::{demo::demo_seeds, ZammadSim};
use timebridge_simulators::{Clock, Fault, FaultKind, RunningServer};

/// Both demo simulators on the system clock (the binary syncs as of `Utc::now()`), keeping the
/// Zammad too (`support::Sims` keeps only the Kimai): entries are edited there.
struct Sims {
    kimai: KimaiSim,
    zammad: ZammadSim,
    _servers: (RunningServer, RunningServer),
    kimai_url: String,
    zammad_url: String,
}

async fn sims() -> Sims {
    // The CLI binary syncs as of the system clock, so the data is laid out around the same now:
    // what is asserted holds on any date (scripts/date-proof.sh runs this at hard dates).
    let now = Utc::now();
    let kimai = KimaiSim::from_seed(demo_seed(now), Clock::system());
    let (_, acme) = demo_seeds(now)
        .into_iter()
        .find(|(n, _)| n == "acme")
        .unwrap();
    let zammad = ZammadSim::from_seed(acme, Clock::system());
    let (ks, zs) = (kimai.start().await.unwrap(), zammad.start().await.unwrap());
    Sims {
        kimai,
        zammad,
        kimai_url: ks.url(),
        zammad_url: zs.url(),
        _servers: (ks, zs),
    }
}

/// A data directory with both connections and the acme mapping.
async fn setup(dir: &Path, sims: &Sims) {
    configured(dir, &sims.kimai_url, &sims.zammad_url).await;
    map_acme(dir);
}

fn open(dir: &Path) -> Store {
    Store::open(&DataDir::at(dir).database_file()).unwrap()
}

fn links(dir: &Path) -> BTreeMap<SourceKey, Link> {
    open(dir).all_links().unwrap()
}

async fn tb(dir: &Path, args: &[&str]) -> Run {
    run(dir, args, &BOTH, None).await
}

async fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let out = tb(dir, args).await;
    assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    out.json()
}

fn count(doc: &Value, action: &str) -> usize {
    doc["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == action)
        .count()
}

/// Entry → timesheet of a synced data directory.
fn timesheets_of(dir: &Path) -> BTreeMap<SourceKey, u64> {
    links(dir)
        .into_iter()
        .map(|(k, l)| (k, l.timesheet_id.unwrap() as u64))
        .collect()
}

#[tokio::test]
async fn a_lost_database_is_rebuilt_without_duplicates_and_differences_become_conflicts() {
    let sims = sims().await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    setup(a.path(), &sims).await;
    let first = ok_json(a.path(), &["sync", "--yes", "--json"]).await;
    let synced = timesheets_of(a.path());
    assert!(synced.len() >= 3, "{first}");
    assert_eq!(first["counts"]["created"], synced.len() as u64);
    let total = sims.kimai.timesheets().len();

    // While the database is lost: the user edits one timesheet in Kimai, and one entry
    // changes in Zammad.
    let mut it = synced.iter();
    let (kimai_edited, &kimai_ts) = it.next().unwrap();
    let (zammad_edited, &zammad_ts) = it.next().unwrap();
    assert!(sims.kimai.edit_timesheet_as_human(kimai_ts, |t| {
        let text = t.description.clone().unwrap_or_default();
        t.description = Some(format!("checked with the customer {text}"));
    }));
    let edited_record = sims.kimai.timesheet(kimai_ts).unwrap();
    let before_zammad_edit = sims.kimai.timesheet(zammad_ts).unwrap();
    assert!(sims.zammad.update_time_accounting_as_admin(
        zammad_edited.time_accounting_id,
        Some(serde_json::from_value(serde_json::json!("97")).unwrap()),
        None,
    ));

    // The new laptop: same connections, same instance key, no links.
    setup(b.path(), &sims).await;
    let out = tb(b.path(), &["rebuild-links", "--since", "2026-13-01"]).await;
    assert_eq!(out.code, 1, "not a day: {}", out.all());
    let none = ok_json(
        b.path(),
        &["rebuild-links", "--since", "2999-01-01", "--json"],
    )
    .await;
    assert_eq!(none["read"], 0, "{none}");
    assert_eq!(none["since"], "2999-01-01");
    assert!(links(b.path()).is_empty());

    let rebuilt = ok_json(b.path(), &["rebuild-links", "--json"]).await;
    assert_eq!(rebuilt["since"], Value::Null);
    assert_eq!(rebuilt["already_linked"], 0);
    assert_eq!(rebuilt["duplicates"], serde_json::json!([]), "{rebuilt}");
    assert_eq!(rebuilt["ambiguous"], serde_json::json!([]));
    assert_eq!(rebuilt["unknown_instances"], serde_json::json!({}));
    assert_eq!(
        rebuilt["linked"].as_array().unwrap().len(),
        synced.len(),
        "{rebuilt}"
    );
    let rebuilt_links = links(b.path());
    assert_eq!(
        rebuilt_links
            .iter()
            .map(|(k, l)| (k.clone(), l.timesheet_id.unwrap() as u64))
            .collect::<BTreeMap<_, _>>(),
        synced,
        "every timesheet linked to its own entry"
    );
    assert!(rebuilt_links
        .values()
        .all(|l| l.base_source.is_unknown() && l.base_kimai.is_unknown()));
    let linked_json = &rebuilt["linked"][0];
    assert_eq!(linked_json["instance"], "acme");
    assert!(linked_json["key"].as_str().unwrap().starts_with("acme#"));

    // Again: everything is linked already.
    let again = tb(b.path(), &["rebuild-links"]).await;
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(
        again.stdout.contains(&format!(
            "0 link(s) rebuilt, {} already linked",
            synced.len()
        )),
        "{}",
        again.stdout
    );

    // The next sync: no create (no duplicate), no update, no delete. Equal sides rebase; the
    // two edited ones are conflicts, and the user's edit in Kimai is not overwritten.
    let sync = ok_json(b.path(), &["sync", "--yes", "--json"]).await;
    for n in ["created", "updated", "deleted"] {
        assert_eq!(sync["counts"][n], 0, "{n}: {sync}");
    }
    assert_eq!(count(&sync, "create"), 0, "{sync}");
    assert_eq!(count(&sync, "rebase"), synced.len() - 2, "{sync}");
    assert_eq!(sync["counts"]["conflicts"], 2, "{sync}");
    assert_eq!(sims.kimai.timesheets().len(), total, "no duplicate");
    assert_eq!(sims.kimai.timesheet(kimai_ts).unwrap(), edited_record);
    assert_eq!(sims.kimai.timesheet(zammad_ts).unwrap(), before_zammad_edit);

    let listed = ok_json(b.path(), &["conflicts", "list", "--json"]).await;
    let mut conflicts: Vec<(String, String)> = listed["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["base"]["project"], 0, "the unknown base: {c}");
            (
                c["key"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    conflicts.sort();
    let key = |k: &SourceKey| format!("acme#{}", k.time_accounting_id);
    let mut expected = vec![
        (key(kimai_edited), "both_changed".to_string()),
        (key(zammad_edited), "both_changed".to_string()),
    ];
    expected.sort();
    assert_eq!(conflicts, expected);
    let text = tb(b.path(), &["conflicts", "list"]).await;
    assert!(
        text.stdout
            .contains("    base:   unknown (link rebuilt from Kimai)"),
        "{}",
        text.stdout
    );

    // The rebased links now hold a real base: a further sync is quiet apart from the
    // undecided conflicts.
    let quiet = ok_json(b.path(), &["sync", "--yes", "--json"]).await;
    assert_eq!(quiet["counts"]["created"], 0);
    assert_eq!(quiet["counts"]["updated"], 0);
    assert_eq!(count(&quiet, "rebase"), 0, "{quiet}");
    assert_eq!(quiet["counts"]["conflicts"], 2, "{quiet}");
    assert_eq!(sims.kimai.timesheet(kimai_ts).unwrap(), edited_record);
}

#[tokio::test]
async fn duplicated_ambiguous_and_foreign_markers_are_reported_never_deleted() {
    let sims = sims().await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    setup(a.path(), &sims).await;
    ok_json(a.path(), &["sync", "--yes", "--json"]).await;
    let synced = timesheets_of(a.path());
    let (dup_key, &original) = synced.iter().next().unwrap();

    // A copy of a synced timesheet (same marker), one merged from two, one of another helpdesk.
    let template = sims.kimai.timesheet(original).unwrap();
    let copy = sims.kimai.add_timesheet_as_human(template.clone());
    let marker = format!("[tb:acme:{}]", dup_key.time_accounting_id);
    let merged = sims
        .kimai
        .add_timesheet_as_human(timebridge_simulators::kimai::SimTimesheet {
            description: Some(format!("merged {marker} [tb:acme:999999]")),
            ..template.clone()
        });
    for id in [1, 2] {
        sims.kimai
            .add_timesheet_as_human(timebridge_simulators::kimai::SimTimesheet {
                description: Some(format!("#7 Other helpdesk [tb:beta:{id}]")),
                ..template.clone()
            });
    }
    let total = sims.kimai.timesheets().len();
    assert!(copy > original);

    setup(b.path(), &sims).await;
    let doc = ok_json(b.path(), &["rebuild-links", "--json"]).await;
    let dup = format!("acme#{}", dup_key.time_accounting_id);
    assert_eq!(
        doc["duplicates"],
        serde_json::json!([{"key": dup, "linked": original, "others": [copy]}]),
        "{doc}"
    );
    assert_eq!(doc["ambiguous"], serde_json::json!([merged]));
    assert_eq!(doc["unknown_instances"], serde_json::json!({"beta": 2}));
    assert_eq!(doc["linked"].as_array().unwrap().len(), synced.len());
    assert_eq!(
        links(b.path()).get(dup_key).and_then(|l| l.timesheet_id),
        Some(original as i64),
        "the lowest id is linked"
    );

    let text = tb(b.path(), &["rebuild-links"]).await;
    assert_eq!(text.code, 0, "{}", text.all());
    assert!(
        text.stdout
            .contains(&format!("{dup}: linked {original}; also carried by {copy}")),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("key beta first"), "{}", text.stdout);
    assert!(
        text.stdout.contains(&format!("timesheet(s) {merged}")),
        "{}",
        text.stdout
    );

    // The sync after it deletes nothing and creates nothing.
    let sync = ok_json(b.path(), &["sync", "--yes", "--json"]).await;
    assert_eq!(sync["counts"]["deleted"], 0, "{sync}");
    assert_eq!(sync["counts"]["created"], 0, "{sync}");
    assert_eq!(sims.kimai.timesheets().len(), total);
    assert!(sims.kimai.timesheet(copy).is_some());
}

#[tokio::test]
async fn an_unreachable_kimai_or_a_running_sync_writes_no_link() {
    let sims = sims().await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    setup(a.path(), &sims).await;
    ok_json(a.path(), &["sync", "--yes", "--json"]).await;
    setup(b.path(), &sims).await;

    // A sync holds the data directory: refused (exit 2), nothing read or written.
    let lock_path = DataDir::at(b.path())
        .database_file()
        .with_extension("sync.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.try_lock().unwrap();
    let out = tb(b.path(), &["rebuild-links", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "busy");
    drop(lock);

    // Kimai answers 503 to everything: exit 2, no link.
    sims.kimai
        .knobs()
        .add_fault(Fault::always(FaultKind::Status { status: 503 }));
    let out = tb(b.path(), &["rebuild-links", "--json"]).await;
    assert_eq!(out.code, 2, "{}", out.all());
    let err = out.json();
    assert_eq!(err["error"]["code"], "offline", "{err}");
    assert_eq!(err["error"]["exit_code"], 2);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nothing was written"),
        "{err}"
    );
    assert!(links(b.path()).is_empty());

    // Not configured: exit 1.
    let empty = tempfile::tempdir().unwrap();
    let out = tb(empty.path(), &["rebuild-links", "--json"]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.json()["error"]["code"], "not_configured");
}

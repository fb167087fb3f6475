//! The reads and small writes both front ends share, on a real SQLite file: which new
//! connections clash with stored ones, removing one with its token, the run list's cap and an
//! unknown run, and the billing dates.

use chrono::{NaiveDate, TimeZone, Utc};

use super::{Clash, OpError, Workspace, MAX_RUNS_LISTED};
use crate::secrets::{MemoryStore, SecretStore};
use crate::setup::zammad_account;
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::InstanceSettings;
use crate::sync::time::{Month, TimeUnit};
use crate::{Actor, ConnectionKind, RunMode, RunTrigger, Store};
use timebridge_http::Secret;

fn fresh() -> (tempfile::TempDir, Store, MemoryStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("timebridge.db")).unwrap();
    (dir, store, MemoryStore::default())
}

/// Kimai "ledger" at kimai.example and helpdesk "Acme" (key `acme`) at acme.example.
fn with_two(store: &Store) -> i64 {
    store
        .add_kimai_connection("ledger", "https://kimai.example", false, None)
        .unwrap()
        .unwrap();
    store
        .add_zammad_connection(
            "Acme",
            "https://acme.example",
            false,
            &InstanceKey::new("acme").unwrap(),
            &InstanceSettings::new(TimeUnit::Minutes),
        )
        .unwrap()
}

fn clash_of(
    ws: &Workspace<'_>,
    kind: ConnectionKind,
    name: &str,
    url: &str,
    key: Option<&str>,
) -> Option<Clash> {
    let key = key.map(|k| InstanceKey::new(k).unwrap());
    match ws.check_new_connection(kind, name, url, key.as_ref()) {
        Ok(()) => None,
        Err(OpError::Clash(c)) => Some(c),
        Err(e) => panic!("not a clash: {e}"),
    }
}

#[test]
fn a_new_connection_may_share_no_name_key_or_address_and_there_is_one_kimai() {
    let (dir, store, secrets) = fresh();
    with_two(&store);
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    let zammad = ConnectionKind::Zammad;

    assert!(matches!(
        clash_of(&ws, ConnectionKind::Kimai, "Other", "https://k2.example", None),
        Some(Clash::SecondKimai { name, .. }) if name == "ledger"
    ));
    // The key is another connection's key, or its name.
    assert!(matches!(
        clash_of(&ws, zammad, "Beta", "https://beta.example", Some("acme")),
        Some(Clash::KeyInUse { by, .. }) if by == "Acme"
    ));
    assert!(matches!(
        clash_of(&ws, zammad, "Beta", "https://beta.example", Some("ledger")),
        Some(Clash::KeyInUse { by, .. }) if by == "ledger"
    ));
    // The name is another connection's name (compared trimmed) or key.
    assert!(matches!(
        clash_of(&ws, zammad, "  Acme ", "https://beta.example", Some("beta")),
        Some(Clash::NameInUse { by, kind: "zammad", .. }) if by == "Acme"
    ));
    assert!(matches!(
        clash_of(&ws, zammad, "acme", "https://beta.example", Some("beta")),
        Some(Clash::NameInUse { .. })
    ));
    assert_eq!(
        clash_of(&ws, zammad, " ", "https://beta.example", Some("beta")),
        Some(Clash::EmptyName)
    );
    // Two keys over one helpdesk would book every entry twice.
    assert!(matches!(
        clash_of(&ws, zammad, "Beta", " https://acme.example ", Some("beta")),
        Some(Clash::UrlInUse { by, .. }) if by == "Acme"
    ));
    assert_eq!(
        clash_of(&ws, zammad, "Beta", "https://beta.example", Some("beta")),
        None
    );
}

#[test]
fn removing_a_connection_takes_its_token_and_an_unknown_id_is_refused() {
    let (dir, store, secrets) = fresh();
    let acme = with_two(&store);
    let account = zammad_account("acme");
    secrets.set(&account, &Secret::new("t")).unwrap();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);

    let removed = ws.remove_connection(acme).unwrap();

    assert_eq!(removed.name, "Acme");
    assert!(secrets.get(&account).unwrap().is_none());
    let names: Vec<String> = ws
        .connections()
        .unwrap()
        .into_iter()
        .map(|l| l.connection.name)
        .collect();
    assert_eq!(names, ["ledger"]);
    assert!(matches!(
        ws.remove_connection(acme),
        Err(OpError::NoSuchConnection(id)) if id == acme
    ));
}

#[test]
fn the_run_list_is_capped_and_an_unknown_run_is_an_error_not_an_empty_run() {
    let (dir, store, secrets) = fresh();
    for _ in 0..(MAX_RUNS_LISTED + 2) {
        store.start_run(RunTrigger::Cli, RunMode::Sync).unwrap();
    }
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::Cli);

    let listed = ws.runs(u32::MAX).unwrap();
    assert_eq!(listed.len(), MAX_RUNS_LISTED as usize);
    assert_eq!(listed[0].id, i64::from(MAX_RUNS_LISTED) + 2, "newest first");
    assert_eq!(ws.runs(0).unwrap().len(), 1, "at least one");

    let detail = ws.run_detail(1).unwrap();
    assert_eq!(detail.run.id, 1);
    assert!(detail.events.is_empty() && detail.refused.is_empty());
    assert!(matches!(ws.run_detail(9999), Err(OpError::NoSuchRun(9999))));
}

#[test]
fn the_billing_dates_follow_book_from_and_the_closed_months() {
    let (dir, store, secrets) = fresh();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap();

    let none = ws.billing_dates(now).unwrap();
    assert_eq!(
        (none.timezone, none.book_from, none.oldest_open_month),
        (None, None, None)
    );

    // 23:30 UTC on the 30th is December 1st in Berlin: last month there is November.
    ws.set_billing_timezone(chrono_tz::Europe::Berlin).unwrap();
    let dates = ws.billing_dates(now).unwrap();
    assert_eq!(dates.oldest_open_month, Some(Month::new(2026, 11).unwrap()));

    ws.set_book_from(NaiveDate::from_ymd_opt(2026, 8, 15).unwrap(), now)
        .unwrap();
    store
        .close_month(Month::new(2026, 8).unwrap(), None)
        .unwrap();
    let dates = ws.billing_dates(now).unwrap();
    assert_eq!(dates.timezone, Some(chrono_tz::Europe::Berlin));
    assert_eq!(dates.book_from, NaiveDate::from_ymd_opt(2026, 8, 15));
    assert_eq!(dates.oldest_open_month, Some(Month::new(2026, 9).unwrap()));
}

#[test]
fn billing_runs_give_their_reports_full_paths_and_an_unknown_run_is_an_error() {
    let (dir, store, secrets) = fresh();
    let month = Month::new(2026, 10).unwrap();
    let id = store
        .write(|w| {
            let id = w.start_billing_run(month, &[1], "billed:2026-10", None, &[])?;
            w.set_billing_report(
                id,
                "reports/billing-2026-10-1.csv",
                "reports/billing-2026-10-1.html",
            )?;
            Ok(id)
        })
        .unwrap();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::Cli);

    let runs = ws.billing_runs().unwrap();
    let csv = dir.path().join("reports/billing-2026-10-1.csv");
    assert_eq!(
        runs[0].report_csv.as_deref(),
        Some(&*csv.display().to_string())
    );
    let one = ws.billing_run(id).unwrap();
    let html = dir.path().join("reports/billing-2026-10-1.html");
    assert_eq!(
        one.report_html.as_deref(),
        Some(&*html.display().to_string())
    );
    assert!(matches!(
        ws.billing_run(id + 1),
        Err(OpError::Billing(crate::billing::BillingError::NoSuchRun(_)))
    ));
}

#[test]
fn an_unknown_helpdesk_key_is_an_error_and_the_owner_of_previous_timesheets_is_one() {
    let (dir, store, secrets) = fresh();
    with_two(&store);
    let beta = InstanceKey::new("beta").unwrap();
    store
        .add_zammad_connection(
            "Beta",
            "https://beta.example",
            false,
            &beta,
            &InstanceSettings::new(TimeUnit::Minutes),
        )
        .unwrap();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::Cli);
    let acme = InstanceKey::new("acme").unwrap();
    let nope = InstanceKey::new("nope").unwrap();

    assert_eq!(ws.helpdesk_connection(&acme).unwrap().name, "Acme");
    assert!(matches!(ws.helpdesk(&nope), Err(OpError::NoSuchHelpdesk(k)) if k == nope));
    assert!(matches!(
        ws.own_previous_timesheets(&nope),
        Err(OpError::NoSuchHelpdesk(_))
    ));

    ws.own_previous_timesheets(&acme).unwrap();
    ws.own_previous_timesheets(&beta).unwrap();
    let owners: Vec<String> = ws
        .helpdesk_settings()
        .unwrap()
        .into_iter()
        .filter(|i| i.settings.owns_previous_ambiguous)
        .map(|i| i.key.as_str().to_string())
        .collect();
    assert_eq!(owners, ["beta"]);
}

#[test]
fn a_stored_token_is_found_and_a_missing_one_is_named() {
    let (dir, store, secrets) = fresh();
    let acme = with_two(&store);
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    let connection = ws.connection(acme).unwrap();

    assert!(matches!(
        ws.stored_token(&connection),
        Err(OpError::Setup(crate::setup::SetupError::TokenMissing { account, .. }))
            if account == "zammad-acme"
    ));
    secrets
        .set(&zammad_account("acme"), &Secret::new("t"))
        .unwrap();
    assert_eq!(ws.stored_token(&connection).unwrap().expose(), "t");
    assert!(matches!(
        ws.connection(acme + 99),
        Err(OpError::NoSuchConnection(_))
    ));
}

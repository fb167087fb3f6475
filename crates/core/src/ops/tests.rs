//! Adding connections and saving a helpdesk's settings through the workspace, on a real
//! SQLite file: the settings a new helpdesk starts with, a key with history refused, one
//! Kimai only, no two mapping rules for one scope.

use chrono::{TimeZone, Utc};

use super::connections::duplicate_scope;
use super::{HelpdeskFound, NewHelpdesk, OpError, Workspace};
use crate::secrets::MemoryStore;
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::{MappingRule, Scope};
use crate::sync::plan::{Link, SourceKey, TimesheetFields};
use crate::sync::time::TimeUnit;
use crate::{Actor, Store};

/// A data directory with a new database file and an empty secret store.
fn fresh() -> (tempfile::TempDir, Store, MemoryStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("timebridge.db")).unwrap();
    (dir, store, MemoryStore::default())
}

fn helpdesk<'a>(key: &'a InstanceKey, found: Option<HelpdeskFound>) -> NewHelpdesk<'a> {
    NewHelpdesk {
        name: "Acme",
        url: "https://acme.example",
        allow_insecure_http: false,
        key,
        unit: TimeUnit::Minutes,
        found,
    }
}

#[test]
fn a_new_helpdesk_starts_held_for_the_go_ahead_with_its_user_pinned() {
    let (dir, store, secrets) = fresh();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::Cli);
    let key = InstanceKey::new("acme").unwrap();
    let found = HelpdeskFound {
        user_id: 7,
        unit_setting: "minute".into(),
    };

    ws.add_helpdesk(&helpdesk(&key, Some(found))).unwrap();

    let settings = store.instance(&key).unwrap().expect("stored").settings;
    assert!(settings.awaiting_go_ahead);
    assert!(settings.exact_day_totals);
    assert_eq!(settings.zammad_user_id, Some(7));
    assert_eq!(settings.zammad_unit_setting.as_deref(), Some("minute"));
    assert_eq!(settings.time_unit, TimeUnit::Minutes);
}

#[test]
fn a_key_with_linked_timesheets_is_refused_and_nothing_is_stored() {
    let (dir, store, secrets) = fresh();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    let key = InstanceKey::new("acme").unwrap();
    let entry = SourceKey {
        instance: "acme".into(),
        time_accounting_id: 1,
    };
    let link = Link {
        timesheet_id: Some(11),
        base_source: TimesheetFields::unknown(),
        base_kimai: TimesheetFields::unknown(),
    };
    store.write(|w| w.upsert_link(&entry, &link, None)).unwrap();

    let err = ws.add_helpdesk(&helpdesk(&key, None)).unwrap_err();

    assert!(
        matches!(&err, OpError::KeyHasHistory(k) if *k == key),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("\"acme\" was used before"),
        "{err}"
    );
    assert!(store.instance(&key).unwrap().is_none());
    assert!(store.connections().unwrap().is_empty());
}

#[test]
fn a_second_kimai_is_refused_and_book_from_is_set_once() {
    let (dir, store, secrets) = fresh();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    let now = Utc.with_ymd_and_hms(2026, 3, 15, 12, 0, 0).unwrap();

    ws.add_kimai(
        "Kimai",
        "https://kimai.example",
        false,
        Some(chrono_tz::Europe::Berlin),
        now,
    )
    .unwrap();
    let err = ws
        .add_kimai("Other", "https://other.example", false, None, now)
        .unwrap_err();

    assert!(matches!(err, OpError::KimaiExists), "{err:?}");
    assert_eq!(store.connections().unwrap().len(), 1);
    assert_eq!(
        store.book_from().unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 2, 1),
        "the first day of last month in the billing timezone"
    );
}

fn rule(scope: Scope, project: i64) -> MappingRule {
    MappingRule {
        scope,
        customer: 1,
        project,
        activity: None,
    }
}

#[test]
fn two_rules_for_one_scope_are_refused_but_the_same_id_of_another_kind_is_not() {
    let ok = [rule(Scope::Organization(5), 1), rule(Scope::Ticket(5), 2)];
    assert_eq!(duplicate_scope(&ok), None);
    let twice = [
        rule(Scope::Organization(5), 1),
        rule(Scope::Group(1), 1),
        rule(Scope::Organization(5), 2),
    ];
    assert_eq!(duplicate_scope(&twice), Some(Scope::Organization(5)));
}

#[test]
fn settings_with_two_rules_for_one_scope_are_not_stored() {
    let (dir, store, secrets) = fresh();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    let key = InstanceKey::new("acme").unwrap();
    ws.add_helpdesk(&helpdesk(&key, None)).unwrap();
    let mut instance = store.instance(&key).unwrap().unwrap();
    instance.settings.rules = vec![
        rule(Scope::Organization(5), 1),
        rule(Scope::Organization(5), 2),
    ];

    let err = ws.save_helpdesk(&instance).unwrap_err();

    assert_eq!(
        err.to_string(),
        "two rules for organization 5: only the first would ever apply; remove one"
    );
    assert!(store
        .instance(&key)
        .unwrap()
        .unwrap()
        .settings
        .rules
        .is_empty());
    instance.settings.rules.pop();
    ws.save_helpdesk(&instance).unwrap();
    assert_eq!(
        store.instance(&key).unwrap().unwrap().settings.rules.len(),
        1
    );
}

//! The connections repository on real database files: what is stored, what one transaction
//! covers, and that removal leaves links alone.

use chrono_tz::Tz;

use super::*;
use crate::store::sync_fixtures::{count, key, link, TestDb};
use crate::sync::time::TimeUnit;

fn acme() -> InstanceKey {
    InstanceKey::new("acme").unwrap()
}

#[test]
fn a_kimai_connection_is_stored_with_its_opt_in_and_sets_an_unset_billing_timezone() {
    let db = TestDb::new();
    let store = db.open();
    let id = store
        .add_kimai_connection("Mine", "http://k.lan", true, Some(Tz::Europe__Berlin))
        .unwrap()
        .expect("the first Kimai is added");
    let store = db.open();
    let all = store.connections().unwrap();
    assert_eq!(all.len(), 1);
    let c = &all[0];
    assert_eq!(
        (c.id, c.kind, c.name.as_str(), c.base_url.as_str()),
        (id, ConnectionKind::Kimai, "Mine", "http://k.lan")
    );
    assert!(c.allow_insecure_http);
    assert_eq!(c.instance, None);
    assert_eq!(store.billing_timezone().unwrap(), Some(Tz::Europe__Berlin));
    assert_eq!(store.connection(id).unwrap().as_ref(), Some(c));
}

#[test]
fn a_second_kimai_is_refused_and_a_chosen_billing_timezone_is_kept() {
    let db = TestDb::new();
    let store = db.open();
    store
        .set_billing_timezone(Some(Tz::America__New_York))
        .unwrap();
    store
        .add_kimai_connection("A", "https://a.example", false, Some(Tz::Europe__Berlin))
        .unwrap()
        .unwrap();
    let second = store
        .add_kimai_connection("B", "https://b.example", false, None)
        .unwrap();
    assert_eq!(second, None);
    assert_eq!(store.connection_count().unwrap(), 1);
    assert_eq!(
        store.billing_timezone().unwrap(),
        Some(Tz::America__New_York),
        "the user's choice wins over the Kimai user's timezone"
    );
    assert!(!store.connections().unwrap()[0].allow_insecure_http);
}

#[test]
fn a_zammad_connection_comes_with_its_instance_row() {
    let db = TestDb::new();
    let store = db.open();
    let settings = InstanceSettings::new(TimeUnit::QuarterHours);
    let id = store
        .add_zammad_connection("Acme", "https://acme.example", false, &acme(), &settings)
        .unwrap();
    let store = db.open();
    let instance = store.instance(&acme()).unwrap().expect("instance row");
    assert_eq!(instance.connection_id, id);
    assert_eq!(instance.settings, settings);
    let c = store.connection(id).unwrap().unwrap();
    assert_eq!(c.kind, ConnectionKind::Zammad);
    assert_eq!(c.instance, Some(acme()));
}

#[test]
fn a_used_key_or_url_leaves_nothing_behind() {
    let db = TestDb::new();
    let store = db.open();
    let settings = InstanceSettings::new(TimeUnit::Minutes);
    store
        .add_zammad_connection("Acme", "https://acme.example", true, &acme(), &settings)
        .unwrap();
    // Same key, other URL: the instance insert fails after the connection insert.
    assert!(store
        .add_zammad_connection("Other", "https://other.example", true, &acme(), &settings)
        .is_err());
    // Same URL, other key: the connection insert fails.
    let globex = InstanceKey::new("globex").unwrap();
    assert!(store
        .add_zammad_connection("Again", "https://acme.example", false, &globex, &settings)
        .is_err());
    assert_eq!(count(&store, "connections"), 1);
    assert_eq!(count(&store, "zammad_instances"), 1);
    assert_eq!(count(&store, "settings"), 1, "only the first opt-in");
}

#[test]
fn removal_deletes_the_connection_its_instance_and_opt_in_but_keeps_links() {
    let db = TestDb::new();
    let store = db.open();
    let settings = InstanceSettings::new(TimeUnit::Minutes);
    let id = store
        .add_zammad_connection("Acme", "http://acme.lan", true, &acme(), &settings)
        .unwrap();
    store
        .write(|txn| txn.upsert_link(&key("acme", 1), &link(Some(5), 1), None))
        .unwrap();
    assert!(store.remove_connection(id).unwrap());
    assert!(!store.remove_connection(id).unwrap(), "already gone");
    assert_eq!(count(&store, "connections"), 0);
    assert_eq!(count(&store, "zammad_instances"), 0);
    assert_eq!(count(&store, "settings"), 0);
    assert_eq!(count(&store, "links"), 1, "links outlive connections");
    // The key can be used again, e.g. after re-adding the same helpdesk.
    store
        .add_zammad_connection("Acme", "http://acme.lan", false, &acme(), &settings)
        .unwrap();
}

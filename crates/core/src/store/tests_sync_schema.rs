//! Schema v2 tests: a fresh file and a v1 file both end at the latest version with the sync
//! tables, v1 data survives the upgrade, and instance configuration round-trips.

use rusqlite::Connection;

use super::instances::ZammadInstance;
use super::sync_fixtures::{add_connection, count, TestDb};
use super::*;
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::{InstanceSettings, MappingRule, Scope};
use crate::sync::time::TimeUnit;

const SYNC_TABLES: [&str; 14] = [
    "zammad_instances",
    "kimai_settings",
    "links",
    "sync_runs",
    "outbox",
    "audit_events",
    "conflicts",
    "resolutions",
    "ignored",
    "parked",
    "cursors",
    "entry_facts",
    "unreadable_tickets",
    "run_refusals",
];

fn has_table(conn: &Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_fresh_file_migrates_to_the_latest_version_with_every_sync_table() {
    let db = TestDb::new();
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), 6);
    assert_eq!(latest_schema_version(), 6);
    let conn = store.conn.lock();
    for table in SYNC_TABLES.iter().chain(&["closed_months"]) {
        assert!(has_table(&conn, table), "missing table {table}");
    }
}

#[test]
fn a_version_1_file_upgrades_and_keeps_its_connections() {
    let db = TestDb::new();
    {
        // What the previous build left: only V1 applied, one connection configured.
        let mut conn = Connection::open(&db.path).unwrap();
        migrations::runner()
            .set_target(refinery::Target::Version(1))
            .run(&mut conn)
            .unwrap();
        assert!(!has_table(&conn, "links"), "the v1 file has no sync tables");
        conn.execute(
            "INSERT INTO connections (kind, name, base_url) VALUES ('zammad', 'Acme', 'https://z.acme')",
            [],
        )
        .unwrap();
    }
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), 6);
    assert_eq!(store.connection_count().unwrap(), 1);
    let name: String = store
        .conn
        .lock()
        .query_row("SELECT name FROM connections", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Acme");
    for table in SYNC_TABLES {
        assert!(
            has_table(&store.conn.lock(), table),
            "missing table {table}"
        );
    }
    assert_eq!(count(&store, "refinery_schema_history"), 6);
    assert_eq!(store.billing_timezone().unwrap(), None);
}

#[test]
fn a_version_2_file_upgrades_and_its_ignored_entries_count_as_the_users() {
    let db = TestDb::new();
    {
        let mut conn = Connection::open(&db.path).unwrap();
        migrations::runner()
            .set_target(refinery::Target::Version(2))
            .run(&mut conn)
            .unwrap();
        conn.execute(
            "INSERT INTO ignored (instance, time_accounting_id) VALUES ('acme', 7)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO parked (instance, time_accounting_id, reason_json) \
             VALUES ('acme', 8, '{\"reason\":\"ambiguous_marker\"}')",
            [],
        )
        .unwrap();
    }
    let store = db.open();
    assert_eq!(store.schema_version().unwrap(), 6);
    let held = store.held().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].key.time_accounting_id, 7);
    assert_eq!(held[0].reason, super::holds::HoldReason::User);
    assert_eq!(store.parked().unwrap().len(), 1, "parked rows survive");
}

fn settings() -> InstanceSettings {
    let mut s = InstanceSettings::new(TimeUnit::QuarterHours);
    s.tags = vec!["zammad".into()];
    s.rules.push(MappingRule {
        scope: Scope::Organization(42),
        customer: 3,
        project: 9,
        activity: Some(5),
    });
    s
}

#[test]
fn instances_round_trip_and_are_replaced_by_key() {
    let db = TestDb::new();
    let acme = {
        let store = db.open();
        let conn_id = add_connection(&store, "zammad", "https://z.acme");
        let other = add_connection(&store, "zammad", "https://z.other");
        let acme = ZammadInstance {
            key: InstanceKey::new("acme").unwrap(),
            connection_id: conn_id,
            settings: InstanceSettings::new(TimeUnit::Minutes),
        };
        store.save_instance(&acme).unwrap();
        store
            .save_instance(&ZammadInstance {
                key: InstanceKey::new("beta2").unwrap(),
                connection_id: other,
                settings: InstanceSettings::new(TimeUnit::Hours),
            })
            .unwrap();
        // Saving the same key again replaces its settings.
        let acme = ZammadInstance {
            settings: settings(),
            ..acme
        };
        store.save_instance(&acme).unwrap();
        acme
    };
    let store = db.open();
    let all = store.instances().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], acme);
    assert_eq!(all[1].key.as_str(), "beta2");
    assert_eq!(all[1].settings.time_unit, TimeUnit::Hours);
    assert_eq!(store.instance(&acme.key).unwrap(), Some(acme));
    assert_eq!(
        store.instance(&InstanceKey::new("nope").unwrap()).unwrap(),
        None
    );
}

#[test]
fn an_instance_needs_a_zammad_connection() {
    let db = TestDb::new();
    let store = db.open();
    let kimai = add_connection(&store, "kimai", "https://k");
    let on_kimai = ZammadInstance {
        key: InstanceKey::new("acme").unwrap(),
        connection_id: kimai,
        settings: settings(),
    };
    let err = store.save_instance(&on_kimai).unwrap_err();
    assert!(err.to_string().contains("zammad connection"), "{err}");
    let missing = ZammadInstance {
        connection_id: 999,
        ..on_kimai
    };
    assert!(store.save_instance(&missing).is_err(), "unknown connection");
    assert_eq!(count(&store, "zammad_instances"), 0);
}

#[test]
fn the_billing_timezone_is_unset_until_set_and_persists() {
    let db = TestDb::new();
    {
        let store = db.open();
        assert_eq!(store.billing_timezone().unwrap(), None);
        store
            .set_billing_timezone(Some(chrono_tz::America::New_York))
            .unwrap();
    }
    let store = db.open();
    assert_eq!(
        store.billing_timezone().unwrap(),
        Some(chrono_tz::America::New_York)
    );
    store.set_billing_timezone(None).unwrap();
    assert_eq!(store.billing_timezone().unwrap(), None);
    assert_eq!(count(&store, "kimai_settings"), 1, "always exactly one row");
}

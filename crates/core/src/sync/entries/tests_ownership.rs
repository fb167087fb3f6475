//! Tests for selecting the connected user's own entries.

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;

use super::{select_own, SourceEntry};

fn entry(id: i64, created_by_id: i64, time_unit: i64) -> SourceEntry {
    SourceEntry {
        id,
        ticket_id: 812,
        type_id: Some(3),
        created_by_id,
        created_at: Utc
            .with_ymd_and_hms(2026, 11, 2, 9, 0, 0)
            .single()
            .expect("valid time"),
        time_unit: Decimal::from(time_unit),
    }
}

fn ids(selected: &[&SourceEntry]) -> Vec<i64> {
    selected.iter().map(|e| e.id).collect()
}

#[test]
fn only_the_connected_users_entries_count() {
    let entries = [
        entry(5, 7, 30),
        entry(3, 9, 45),
        entry(4, 7, -10),
        entry(6, 2, 15),
        entry(1, 7, 0),
    ];
    assert_eq!(ids(&select_own(&entries, 7)), [5, 4, 1]);
    assert_eq!(ids(&select_own(&entries, 9)), [3]);
    assert!(select_own(&entries, 42).is_empty());
    assert!(select_own(&[], 7).is_empty());
}

#[test]
fn exact_duplicates_from_overlapping_pages_appear_once() {
    let entries = [entry(5, 7, 30), entry(6, 7, 15), entry(5, 7, 30)];
    assert_eq!(ids(&select_own(&entries, 7)), [5, 6]);
}

#[test]
fn conflicting_copies_of_one_id_are_both_kept() {
    let entries = [entry(5, 7, 30), entry(5, 7, 45)];
    let own = select_own(&entries, 7);
    assert_eq!(ids(&own), [5, 5]);
    assert_eq!(own[1].time_unit, Decimal::from(45));
}

#[test]
fn deserializes_zammad_rest_json() {
    let json = r#"[
        {"id": 11, "ticket_id": 812, "ticket_article_id": 90, "time_unit": "15.5",
         "type_id": null, "created_by_id": 7, "created_at": "2026-11-02T09:00:00.000Z",
         "updated_at": "2026-11-02T09:00:00.000Z"},
        {"id": 12, "ticket_id": 812, "ticket_article_id": null, "time_unit": "-5.0",
         "type_id": 3, "created_by_id": 8, "created_at": "2026-11-02T10:00:00.000Z",
         "updated_at": "2026-11-02T10:00:00.000Z"}
    ]"#;
    let entries: Vec<SourceEntry> = serde_json::from_str(json).expect("zammad json");
    assert_eq!(entries[0].time_unit, Decimal::new(155, 1));
    assert_eq!(entries[0].type_id, None);
    assert_eq!(entries[1].time_unit, Decimal::new(-50, 1));
    assert_eq!(entries[1].type_id, Some(3));
    assert_eq!(ids(&select_own(&entries, 7)), [11]);
}

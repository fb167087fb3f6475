//! Twin finding on hand-made examples: what counts as the same work, and what never does.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};

use super::*;

fn wall(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn fields(begin: &str, minutes: i64, project: i64, description: &str) -> TimesheetFields {
    TimesheetFields {
        begin: wall(begin),
        end: wall(begin) + Duration::minutes(minutes),
        project,
        activity: 1,
        description: description.into(),
        tags: vec![],
    }
}

fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

/// Projects 1 and 2 belong to customer 10, project 3 to customer 20.
fn customer_of(p: i64) -> Option<i64> {
    match p {
        1 | 2 => Some(10),
        3 => Some(20),
        _ => None,
    }
}

#[test]
fn a_hand_made_booking_of_the_same_work_is_found_with_its_evidence() {
    let wanted = fields(
        "2026-11-10 09:00",
        30,
        1,
        "#31004 Printer offline [tb:acme:1]",
    );
    let k = key(1);
    let entries = [NewEntry {
        key: &k,
        fields: &wanted,
        ticket_number: "31004",
        ticket_title: "Printer offline",
    }];
    let unmarked = BTreeMap::from([
        (
            7,
            fields("2026-11-10 14:00", 35, 1, "Printer offline at Acme (31004)"),
        ),
        (8, fields("2026-11-11 09:00", 30, 1, "Printer offline")),
    ]);
    let twins = find_twins(&entries, &unmarked, customer_of);
    let twin = &twins[&k];
    assert_eq!(twin.timesheet_id, 7);
    assert!(twin.evidence.contains(&Evidence::SameProject));
    assert!(twin.evidence.contains(&Evidence::TicketNumber));
    assert!(twin.evidence.contains(&Evidence::Title));
    assert!(twin.evidence.contains(&Evidence::Duration {
        entry: 1800,
        timesheet: 2100
    }));
}

#[test]
fn another_day_customer_or_duration_is_not_a_twin() {
    let wanted = fields("2026-11-10 09:00", 60, 1, "x");
    let k = key(1);
    let entries = [NewEntry {
        key: &k,
        fields: &wanted,
        ticket_number: "31004",
        ticket_title: "Printer offline",
    }];
    for sheet in [
        fields("2026-11-09 09:00", 60, 1, "31004"),
        fields("2026-11-10 09:00", 60, 3, "31004"),
        fields("2026-11-10 09:00", 30, 1, "31004"),
    ] {
        let twins = find_twins(&entries, &BTreeMap::from([(7, sheet.clone())]), customer_of);
        assert!(twins.is_empty(), "{sheet:?}");
    }
    // Day, project and duration alike, but nothing names the ticket: a coincidence.
    let unnamed = BTreeMap::from([(7, fields("2026-11-10 13:00", 60, 1, "support"))]);
    assert!(find_twins(&entries, &unnamed, customer_of).is_empty());
    // The same customer's other project, within the tolerance: a twin, weaker evidence.
    let sibling = BTreeMap::from([(7, fields("2026-11-10 13:00", 70, 2, "Printer offline"))]);
    let twins = find_twins(&entries, &sibling, customer_of);
    assert_eq!(twins[&k].evidence[1], Evidence::SameCustomer);
}

#[test]
fn a_timesheet_is_offered_to_one_entry_only_the_best_match() {
    let a = fields("2026-11-10 09:00", 30, 1, "x");
    let b = fields("2026-11-10 11:00", 30, 1, "y");
    let (ka, kb) = (key(1), key(2));
    let entries = [
        NewEntry {
            key: &ka,
            fields: &a,
            ticket_number: "31001",
            ticket_title: "Alpha work",
        },
        NewEntry {
            key: &kb,
            fields: &b,
            ticket_number: "31002",
            ticket_title: "Beta work",
        },
    ];
    let unmarked = BTreeMap::from([(
        7,
        fields(
            "2026-11-10 16:00",
            30,
            1,
            "Alpha work and Beta work (31002)",
        ),
    )]);
    let twins = find_twins(&entries, &unmarked, customer_of);
    assert_eq!(twins.len(), 1, "{twins:?}");
    // Both name it; the stronger match (title and number) wins; each timesheet is offered once.
    assert!(twins.contains_key(&kb));
}

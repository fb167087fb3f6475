//! The builder end to end on small hand-made reads (Europe/Berlin).

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;

use super::*;
use crate::sync::mapping::{MappingRule, Scope};
use crate::sync::time::{RoundingMode, RoundingRule, TimeUnit};

const ME: i64 = 2;
const COLLEAGUE: i64 = 3;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn entry(id: i64, ticket: i64, by: i64, created: &str, units: &str) -> SourceEntry {
    SourceEntry {
        id,
        ticket_id: ticket,
        type_id: Some(1),
        created_by_id: by,
        created_at: at(created),
        time_unit: Decimal::from_str(units).unwrap(),
    }
}

fn tickets() -> BTreeMap<i64, TicketInfo> {
    let mut t = BTreeMap::new();
    for (id, org) in [(10, Some(5)), (11, Some(6))] {
        t.insert(
            id,
            TicketInfo {
                facts: TicketFacts {
                    number: format!("100{id}"),
                    title: "Printer broken".into(),
                    organization: Some("Acme GmbH".into()),
                    type_name: None,
                    ticket_id: id,
                },
                scope: TicketScope {
                    ticket_id: id,
                    organization_id: org,
                    customer_id: None,
                    group_id: Some(1),
                },
            },
        );
    }
    t
}

fn settings() -> InstanceSettings {
    let mut s = InstanceSettings::new(TimeUnit::Minutes);
    s.rules = vec![MappingRule {
        scope: Scope::Organization(5),
        customer: 1,
        project: 7,
        activity: None,
    }];
    s.activity_by_type.insert(1, 3);
    s.tags = vec!["zammad".into()];
    s
}

fn run(settings: &InstanceSettings, entries: &[SourceEntry]) -> BTreeMap<i64, SourceSide> {
    let instance = InstanceKey::new("acme").unwrap();
    let tickets = tickets();
    let types = BTreeMap::from([(1, "Remote".to_string())]);
    let read = InstanceRead {
        instance: &instance,
        settings,
        user_id: ME,
        entries,
        tickets: &tickets,
        type_names: &types,
        tz: chrono_tz::Europe::Berlin,
    };
    build(&read)
        .into_iter()
        .map(|(k, v)| {
            assert_eq!(k.instance, "acme");
            (k.time_accounting_id, v)
        })
        .collect()
}

fn wanted(side: &SourceSide) -> &Desired {
    match side {
        SourceSide::Wanted(d) => d,
        other => panic!("expected a wanted timesheet, got {other:?}"),
    }
}

#[test]
fn an_own_entry_becomes_a_timesheet_ending_when_it_was_booked() {
    let out = run(
        &settings(),
        &[entry(1, 10, ME, "2026-03-02T10:30:00Z", "30.0")],
    );
    let d = wanted(&out[&1]);
    assert_eq!(d.fields.begin, local("2026-03-02 11:00"));
    assert_eq!(d.fields.end, local("2026-03-02 11:30"));
    assert_eq!((d.fields.project, d.fields.activity), (7, 3));
    assert_eq!(d.fields.description, "#10010 Printer broken [tb:acme:1]");
    assert_eq!(d.fields.tags, vec!["zammad".to_string()]);
    assert_eq!(d.month.to_string(), "2026-03");
}

#[test]
fn colleagues_entries_are_not_ours() {
    let out = run(
        &settings(),
        &[entry(1, 10, COLLEAGUE, "2026-03-02T10:30:00Z", "30.0")],
    );
    assert!(out.is_empty(), "{out:?}");
}

#[test]
fn a_correction_reduces_the_entry_it_corrects_and_has_no_timesheet_itself() {
    let out = run(
        &settings(),
        &[
            entry(1, 10, ME, "2026-03-02T10:30:00Z", "90.0"),
            entry(2, 10, ME, "2026-03-02T12:00:00Z", "-30.0"),
        ],
    );
    let d = wanted(&out[&1]);
    assert_eq!(d.fields.end - d.fields.begin, chrono::Duration::minutes(60));
    assert_eq!(out[&2], SourceSide::Gone);
}

#[test]
fn zero_cancelled_and_unapplied_entries_are_accounted_for() {
    let out = run(
        &settings(),
        &[
            entry(1, 10, ME, "2026-03-02T10:30:00Z", "0.0"),
            entry(2, 10, ME, "2026-03-02T11:00:00Z", "20.0"),
            entry(3, 10, ME, "2026-03-02T11:30:00Z", "-20.0"),
            entry(4, 11, ME, "2026-03-02T11:30:00Z", "-5.0"),
        ],
    );
    assert_eq!(out[&1], SourceSide::Gone, "zero: nothing to book");
    assert_eq!(out[&2], SourceSide::Gone, "cancelled by #3");
    assert_eq!(out[&3], SourceSide::Gone);
    assert_eq!(
        out[&4],
        SourceSide::Parked(ParkReason::UnappliedCorrection {
            secs_left: 300,
            month: Some("2026-03".parse().unwrap())
        }),
        "nothing to reduce on ticket 11: parked for the user"
    );
}

#[test]
fn an_unmapped_organization_is_parked_and_an_unread_ticket_is_unread() {
    let out = run(
        &settings(),
        &[
            entry(1, 11, ME, "2026-03-02T10:30:00Z", "30.0"),
            entry(2, 99, ME, "2026-03-02T10:30:00Z", "30.0"),
        ],
    );
    assert!(
        matches!(&out[&1], SourceSide::Parked(ParkReason::NeedsMapping { detail }) if detail.contains("organization 6"))
    );
    assert_eq!(
        out[&2],
        SourceSide::Unread,
        "ticket 99 was not read: decide nothing"
    );
}

#[test]
fn rounding_applies_after_corrections() {
    let mut s = settings();
    s.rounding = RoundingRule {
        mode: RoundingMode::Up,
        step_minutes: 15,
        minimum_minutes: 0,
    };
    let out = run(&s, &[entry(1, 10, ME, "2026-03-02T10:30:00Z", "20.0")]);
    let d = wanted(&out[&1]);
    assert_eq!(d.fields.end - d.fields.begin, chrono::Duration::minutes(30));
}

#[test]
fn the_month_is_the_local_month_in_the_billing_timezone() {
    // 22:30 UTC on March 31st is 00:30 on April 1st in Berlin (CEST).
    let out = run(
        &settings(),
        &[entry(1, 10, ME, "2026-03-31T22:30:00Z", "15.0")],
    );
    let d = wanted(&out[&1]);
    assert_eq!(d.month.to_string(), "2026-04");
    assert_eq!(d.fields.begin, local("2026-04-01 00:15"));
}

#[test]
fn hours_units_and_the_no_overlap_layout() {
    let mut s = settings();
    s.time_unit = TimeUnit::Hours;
    s.layout = Layout::NoOverlaps;
    let out = run(
        &s,
        &[
            entry(1, 10, ME, "2026-03-02T10:00:00Z", "1.0"),
            entry(2, 10, ME, "2026-03-02T10:00:00Z", "0.5"),
        ],
    );
    let (a, b) = (wanted(&out[&1]), wanted(&out[&2]));
    assert_eq!(a.fields.end - a.fields.begin, chrono::Duration::minutes(60));
    assert_eq!(b.fields.end - b.fields.begin, chrono::Duration::minutes(30));
    assert!(
        a.fields.end <= b.fields.begin || b.fields.end <= a.fields.begin,
        "no overlap: {a:?} {b:?}"
    );
}

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::sync::plan::{Desired, KimaiRecord, Link, Resolution};

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, d)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

fn fields(begin: NaiveDateTime, minutes: i64, text: &str) -> TimesheetFields {
    TimesheetFields {
        begin,
        end: begin + Duration::minutes(minutes),
        project: 1,
        activity: 1,
        description: text.into(),
        tags: Vec::new(),
    }
}

const SERVICE: &str = "ZAM:T1|TA:7\nTicket-31001\nZammad URL: https://z.example/#ticket/zoom/1";
const OURS: &str = "Printer offline\n[tb:acme#7]";

fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

/// Entry 7 wants `zammad`; timesheet 100 (adopted, unknown base) holds `kimai`.
fn input(zammad: TimesheetFields, kimai: TimesheetFields, exported: bool) -> PlanInput {
    PlanInput {
        source: BTreeMap::from([(
            key(7),
            SourceSide::Wanted(Desired {
                month: zammad.month(),
                fields: zammad,
                edited_from: None,
            }),
        )]),
        links: BTreeMap::from([(
            key(7),
            Link {
                timesheet_id: Some(100),
                base_source: TimesheetFields::unknown(),
                base_kimai: TimesheetFields::unknown(),
            },
        )]),
        kimai: BTreeMap::from([(
            100,
            KimaiSide::Present(KimaiRecord {
                fields: kimai,
                exported,
            }),
        )]),
        ..PlanInput::default()
    }
}

#[test]
fn a_service_timesheet_on_its_utc_day_is_rewritten_and_moved() {
    // Booked 00:30 Berlin on the 10th; the service placed it at 23:30 on the 9th.
    let zammad = fields(at(10, 0, 30), 30, OURS);
    let kimai = fields(at(9, 23, 30), 30, SERVICE);
    let found = rewritable(&input(zammad, kimai, false), None);
    assert_eq!(
        found[&key(7)],
        Rewrite {
            timesheet_id: 100,
            description: true,
            moves_day: true
        }
    );
}

#[test]
fn kimais_rounding_of_the_services_seconds_still_counts_as_the_same_length() {
    let zammad = fields(at(10, 9, 0), 30, OURS);
    let kimai = fields(at(10, 8, 0), 31, SERVICE);
    let found = rewritable(&input(zammad, kimai, false), None);
    assert!(!found[&key(7)].moves_day, "same day, an hour apart");
}

#[test]
fn anything_else_that_differs_stays_the_users_decision() {
    let zammad = fields(at(10, 9, 0), 30, OURS);
    let longer = fields(at(10, 8, 0), 45, SERVICE);
    assert!(rewritable(&input(zammad.clone(), longer, false), None).is_empty());
    let other_project = TimesheetFields {
        project: 2,
        ..fields(at(10, 8, 0), 30, SERVICE)
    };
    assert!(rewritable(&input(zammad.clone(), other_project, false), None).is_empty());
    let far = fields(at(11, 8, 0), 30, SERVICE);
    assert!(rewritable(&input(zammad.clone(), far, false), None).is_empty());
    let by_hand = fields(at(10, 8, 0), 30, "Printer offline");
    assert!(
        rewritable(&input(zammad, by_hand, false), None).is_empty(),
        "only the service's own timesheets"
    );
}

#[test]
fn exported_billed_decided_or_other_helpdesks_are_left_alone() {
    let zammad = fields(at(10, 9, 0), 30, OURS);
    let kimai = fields(at(10, 8, 0), 30, SERVICE);
    assert!(rewritable(&input(zammad.clone(), kimai.clone(), true), None).is_empty());
    let mut closed = input(zammad.clone(), kimai.clone(), false);
    closed.closed_months = BTreeSet::from(["2026-11".parse().unwrap()]);
    assert!(rewritable(&closed, None).is_empty());
    let mut decided = input(zammad.clone(), kimai.clone(), false);
    decided.resolutions.insert(key(7), Resolution::KeepKimai);
    assert!(rewritable(&decided, None).is_empty());
    let only_globex = BTreeSet::from(["globex".to_string()]);
    let open = input(zammad, kimai, false);
    assert!(rewritable(&open, Some(&only_globex)).is_empty());
    assert_eq!(rewritable(&open, None).len(), 1);
}

#[test]
fn a_link_with_a_known_base_is_not_an_adoption() {
    let zammad = fields(at(10, 9, 0), 30, OURS);
    let kimai = fields(at(10, 8, 0), 30, SERVICE);
    let mut known = input(zammad.clone(), kimai, false);
    known.links.get_mut(&key(7)).unwrap().base_kimai = zammad;
    assert!(rewritable(&known, None).is_empty());
}

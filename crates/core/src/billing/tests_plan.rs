//! The billing planner without servers: totals (exact decimals), the customer scope, what is
//! billed or left, blockers, and the Zammad-vs-Kimai reconciliation.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;

use super::plan::{plan, BillingInput, Catalog, LocalState};
use super::{Blocker, Difference, Sheet};
use crate::store::decisions::{ConflictRecord, ParkedEntry};
use crate::sync::plan::{ConflictKind, Link, ParkReason, SourceKey, TimesheetFields};

fn wall(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Projects 1, 2 of customer 1 (Acme), project 3 of customer 2 (Globex).
fn catalog() -> Catalog {
    Catalog {
        customers: BTreeMap::from([(1, "Acme".into()), (2, "Globex".into())]),
        projects: BTreeMap::from([
            (1, ("Support".into(), 1)),
            (2, ("Rollout".into(), 1)),
            (3, ("Helpdesk".into(), 2)),
        ]),
        activities: BTreeMap::from([(1, "Support".into()), (2, "Travel".into())]),
    }
}

fn sheet(id: i64, begin: &str, minutes: i64, project: i64, activity: i64) -> Sheet {
    let begin = wall(begin);
    Sheet {
        id,
        begin,
        end: Some(begin + Duration::minutes(minutes)),
        seconds: minutes * 60,
        project,
        activity,
        description: format!("work {id}"),
        tags: vec!["zammad".into()],
        exported: false,
        billable: true,
        rate: None,
    }
}

fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

fn fields(begin: &str, minutes: i64, project: i64) -> TimesheetFields {
    let begin = wall(begin);
    TimesheetFields {
        begin,
        end: begin + Duration::minutes(minutes),
        project,
        activity: 1,
        description: "x".into(),
        tags: vec![],
    }
}

fn input(sheets: Vec<Sheet>) -> BillingInput {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    BillingInput {
        month: "2026-10".parse().unwrap(),
        customers: BTreeSet::new(),
        sheets,
        catalog: catalog(),
        links: BTreeMap::new(),
        ledger: Default::default(),
        local: LocalState {
            last_full_sync: Some(now - Duration::minutes(5)),
            ..LocalState::default()
        },
        now,
        stale_after: Duration::hours(1),
    }
}

#[test]
fn totals_per_customer_project_and_activity_are_exact_decimals() {
    // 20 + 20 + 20 minutes = exactly 1 hour; three times 0.33… h would not add up.
    let mut a = sheet(1, "2026-10-01 09:00", 20, 1, 1);
    a.rate = Some(dec("31.67"));
    let mut b = sheet(2, "2026-10-02 09:00", 20, 1, 1);
    b.rate = Some(dec("31.66"));
    let mut c = sheet(3, "2026-10-03 09:00", 20, 1, 2);
    c.rate = Some(dec("31.67"));
    c.billable = false;
    let d = sheet(4, "2026-10-04 09:00", 90, 3, 1);
    let p = plan(&input(vec![a, b, c, d]));
    assert_eq!(p.by_customer.len(), 2);
    let acme = &p.by_customer[0];
    assert_eq!((acme.customer_id, acme.customer.as_str()), (1, "Acme"));
    assert_eq!(acme.totals.seconds, 3600);
    assert_eq!(acme.totals.hours, dec("1.00"));
    assert_eq!(acme.totals.billable_hours, dec("0.67"));
    assert_eq!(acme.totals.amount, Some(dec("95.00")));
    let support = &acme.projects[0];
    assert_eq!(support.activities.len(), 2);
    assert_eq!(support.activities[0].totals.seconds, 2400);
    assert_eq!(support.activities[1].activity, "Travel");
    // Globex: no rate visible → no amount, not a wrong zero.
    assert_eq!(p.by_customer[1].totals.amount, None);
    assert_eq!(p.by_customer[1].totals.hours, dec("1.50"));
    assert_eq!(p.total.seconds, 3600 + 5400);
    assert_eq!(p.total.amount, None);
    assert_eq!(p.tag, "billed:2026-10");
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);
}

#[test]
fn the_customer_scope_bills_only_its_customers_and_the_month_stays_open() {
    let sheets = vec![
        sheet(1, "2026-10-01 09:00", 30, 1, 1),
        sheet(2, "2026-10-02 09:00", 30, 3, 1),
    ];
    let mut i = input(sheets);
    i.customers = BTreeSet::from([2]);
    let p = plan(&i);
    let ids: Vec<i64> = p.to_bill.iter().map(|b| b.timesheet_id).collect();
    assert_eq!(ids, vec![2]);
    assert_eq!(p.by_customer.len(), 1);
    assert!(!p.closes_month, "Acme's timesheet stays unbilled");
    i.customers = BTreeSet::new();
    let all = plan(&i);
    assert_eq!(all.to_bill.len(), 2);
    assert!(all.closes_month);
}

#[test]
fn billed_and_foreign_exported_records_are_left_and_reported() {
    let mut billed = sheet(1, "2026-10-01 09:00", 30, 1, 1);
    billed.exported = true;
    billed.tags.push("billed:2026-10".into());
    let mut foreign = sheet(2, "2026-10-02 09:00", 30, 1, 1);
    foreign.exported = true;
    let mut tagged = sheet(3, "2026-10-03 09:00", 30, 1, 1);
    tagged.tags.push("billed:2026-10".into());
    let p = plan(&input(vec![
        billed,
        foreign,
        tagged,
        sheet(4, "2026-10-04 09:00", 30, 1, 1),
    ]));
    assert_eq!(p.already_billed, vec![1]);
    assert_eq!(p.already_exported, vec![2]);
    let to_bill: Vec<(i64, bool)> = p
        .to_bill
        .iter()
        .map(|b| (b.timesheet_id, b.needs_tag))
        .collect();
    assert_eq!(to_bill, vec![(3, false), (4, true)]);
    assert!(p.closes_month);
}

#[test]
fn blockers_are_this_months_open_business_in_scope() {
    let mut i = input(vec![sheet(1, "2026-10-01 09:00", 30, 1, 1)]);
    let mut running = sheet(2, "2026-10-05 09:00", 0, 1, 1);
    running.end = None;
    i.sheets.push(running);
    i.sheets.push(sheet(3, "2026-10-06 09:00", 30, 99, 1));
    let conflict = |id, begin, project| ConflictRecord {
        key: key(id),
        kind: ConflictKind::BothChanged,
        timesheet_id: Some(id),
        source: Some(fields(begin, 30, project)),
        kimai: None,
        base: None,
    };
    i.local.conflicts = vec![
        conflict(10, "2026-10-10 09:00", 1),
        conflict(11, "2026-11-01 09:00", 1), // other month
        conflict(12, "2026-10-10 09:00", 3), // Globex
    ];
    i.local.parked = vec![ParkedEntry {
        key: key(20),
        reason: ParkReason::NeedsMapping {
            detail: "no rule".into(),
        },
        detected_at: i.now,
    }];
    i.local.held = vec![key(30), key(31)];
    i.local.link_months = BTreeMap::from([
        (key(30), Some("2026-10".parse().unwrap())),
        (key(31), Some("2026-09".parse().unwrap())),
    ]);
    i.customers = BTreeSet::from([1]);
    let p = plan(&i);
    let kinds: Vec<String> = p
        .blockers
        .iter()
        .map(|b| match b {
            Blocker::RunningTimesheet { timesheet_id } => format!("running {timesheet_id}"),
            Blocker::UnknownProject { timesheet_id, .. } => format!("unknown {timesheet_id}"),
            Blocker::Conflict { entry, .. } => format!("conflict {entry}"),
            Blocker::Parked { entry, month, .. } => format!("parked {entry} {month:?}"),
            Blocker::Held { entry, .. } => format!("held {entry}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            "running 2",
            "unknown 3",
            "conflict acme#10",
            "parked acme#20 None",
            "held acme#30",
        ]
    );
    assert_eq!(p.to_bill.len(), 1, "the running one is not billed");
}

#[test]
fn a_helpdesk_waiting_for_its_go_ahead_blocks_every_month() {
    let mut i = input(vec![sheet(1, "2026-10-01 09:00", 30, 1, 1)]);
    i.local.awaiting_go_ahead = vec!["globex".into()];
    let blockers = plan(&i).blockers;
    assert_eq!(
        blockers,
        vec![Blocker::AwaitingGoAhead {
            instance: "globex".into()
        }]
    );
    assert!(blockers[0].describe().contains("`timebridge sync --yes`"));
}

#[test]
fn a_stale_or_missing_full_sync_blocks() {
    let mut i = input(vec![sheet(1, "2026-10-01 09:00", 30, 1, 1)]);
    i.local.last_full_sync = Some(i.now - Duration::minutes(61));
    assert!(matches!(
        plan(&i).blockers.as_slice(),
        [Blocker::StaleSync { .. }]
    ));
    i.local.last_full_sync = None;
    assert_eq!(plan(&i).blockers, vec![Blocker::NeverSynced]);
    i.stale_after = Duration::hours(24);
    i.local.last_full_sync = Some(i.now - Duration::hours(23));
    assert!(plan(&i).blockers.is_empty());
}

#[test]
fn reconciliation_lists_every_difference_per_customer() {
    let mut i = input(vec![
        sheet(1, "2026-10-01 09:00", 30, 1, 1), // in step with entry 1
        sheet(2, "2026-10-02 09:00", 45, 1, 1), // user lengthened entry 2 (30 min)
        sheet(5, "2026-10-05 09:00", 60, 1, 1), // booked in Kimai directly
        sheet(6, "2026-10-06 09:00", 20, 3, 1), // Globex, in step with entry 6
    ]);
    let link = |ts: Option<i64>, f: TimesheetFields| Link {
        timesheet_id: ts,
        base_source: f.clone(),
        base_kimai: f,
    };
    i.links = BTreeMap::from([
        (key(1), link(Some(1), fields("2026-10-01 09:00", 30, 1))),
        (key(2), link(Some(2), fields("2026-10-02 09:00", 30, 1))),
        (key(3), link(Some(3), fields("2026-10-03 09:00", 15, 1))), // deleted in Kimai
        (key(4), link(None, fields("2026-10-04 09:00", 10, 1))),
        (key(6), link(Some(6), fields("2026-10-06 09:00", 20, 3))),
    ]);
    let p = plan(&i);
    let acme = &p.reconciliation[0];
    assert_eq!(acme.customer, "Acme");
    assert_eq!(acme.zammad_seconds, (30 + 30 + 15) * 60);
    assert_eq!(acme.kimai_linked_seconds, (30 + 45) * 60);
    assert_eq!(acme.kimai_other_seconds, 60 * 60);
    assert_eq!(acme.zammad_hours, dec("1.25"));
    assert_eq!(
        acme.differences,
        vec![
            Difference::Differs {
                entry: "acme#2".into(),
                timesheet_id: 2,
                fields: vec!["end".into()],
                zammad_seconds: 1800,
                kimai_seconds: 2700,
            },
            Difference::MissingInKimai {
                entry: "acme#3".into(),
                timesheet_id: 3,
                zammad_seconds: 900,
            },
            Difference::AcceptedDeletion {
                entry: "acme#4".into()
            },
        ]
    );
    let globex = &p.reconciliation[1];
    assert!(globex.differences.is_empty());
    assert_eq!(globex.zammad_seconds, globex.kimai_linked_seconds);
    // Scoped to Globex, Acme's differences are not shown.
    i.customers = BTreeSet::from([2]);
    assert_eq!(plan(&i).reconciliation.len(), 1);
}

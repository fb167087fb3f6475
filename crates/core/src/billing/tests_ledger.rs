//! The ledger adds up: a hand-made month with every state, and the identity as a property over
//! random months (every row's parts sum to its Zammad time, every entry is in exactly one
//! state, booked time is Kimai's, missing time is exactly what is not in Kimai).
//!
//! Cases: 256 by default; `PROPTEST_CASES` raises it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::ledger::{clock, ledger, LedgerInput, LedgerRow, PartKind};
use super::plan::{BillingInput, Catalog, LocalState};
use super::Sheet;
use crate::store::decisions::{ConflictRecord, ParkedEntry};
use crate::sync::facts::{EntryFacts, Outcome};
use crate::sync::plan::{ConflictKind, Link, ParkReason, SourceKey, TimesheetFields};
use crate::sync::refusal::{KimaiAnswer, Refusal, RefusalCode};

fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn begin(d: u32) -> NaiveDateTime {
    day(d).and_hms_opt(9, 0, 0).unwrap()
}

fn facts(id: i64, ticket: i64, millis: i64, outcome: Outcome) -> EntryFacts {
    EntryFacts {
        key: key(id),
        ticket_id: ticket,
        ticket_number: format!("{}", 31000 + ticket),
        ticket_title: format!("Ticket {ticket}"),
        organization: None,
        booked_at: Utc.with_ymd_and_hms(2026, 11, 3, 10, 0, 0).unwrap(),
        day: day(3),
        time_unit: Decimal::from(millis) / Decimal::from(60_000),
        zammad_millis: Some(millis),
        outcome,
    }
}

fn fields(secs: i64, project: i64) -> TimesheetFields {
    TimesheetFields {
        begin: begin(3),
        end: begin(3) + Duration::seconds(secs),
        project,
        activity: 1,
        description: "x".into(),
        tags: vec![],
    }
}

fn sheet(id: i64, secs: i64, project: i64) -> Sheet {
    Sheet {
        id,
        begin: begin(3),
        end: Some(begin(3) + Duration::seconds(secs)),
        seconds: secs,
        project,
        activity: 1,
        description: String::new(),
        tags: vec![],
        exported: false,
        billable: true,
        rate: None,
    }
}

fn catalog() -> Catalog {
    Catalog {
        customers: BTreeMap::from([(1, "Acme".into()), (2, "Globex".into())]),
        projects: BTreeMap::from([(7, ("Support".into(), 1)), (8, ("Rollout".into(), 2))]),
        activities: BTreeMap::from([(1, "Support".into())]),
    }
}

fn input(sheets: Vec<Sheet>, local: LocalState) -> BillingInput {
    BillingInput {
        month: "2026-11".parse().unwrap(),
        customers: BTreeSet::new(),
        sheets,
        catalog: catalog(),
        links: BTreeMap::new(),
        local,
        ledger: LedgerInput::default(),
        now: Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap(),
        stale_after: Duration::hours(24),
    }
}

fn refused(project: i64, secs: i64) -> ParkReason {
    ParkReason::Refused {
        refusal: Box::new(Refusal {
            code: RefusalCode::ProjectEnded,
            answer: KimaiAnswer {
                status: 400,
                fields: vec!["begin".into()],
                messages: vec!["Das Projekt ist beendet.".into()],
            },
            write: fields(secs, project),
            project: None,
            refused_at: Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        }),
    }
}

fn part(row: &LedgerRow, kind: PartKind) -> i64 {
    row.parts
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.millis)
        .sum()
}

#[test]
fn a_month_with_every_state_adds_up_per_project() {
    let wanted = |seconds| Outcome::Wanted {
        seconds,
        project: 7,
    };
    let mut l = LedgerInput::default();
    // 1: booked, 25.5 min in Zammad → 26 min written, Kimai rounded it to 30.
    l.facts
        .insert(key(1), facts(1, 10, 1_530_000, wanted(1560)));
    l.links.insert(
        key(1),
        Link {
            timesheet_id: Some(101),
            base_source: fields(1560, 7),
            base_kimai: fields(1560, 7),
        },
    );
    // 2: a correction of -0.5 min netted into 1's ticket: rounding of project 7.
    l.facts.insert(key(2), facts(2, 10, -30_000, Outcome::Gone));
    // 3: new, waiting for the next sync.
    l.facts.insert(key(3), facts(3, 11, 600_000, wanted(600)));
    // 4: refused (project ended), 15 min.
    l.facts
        .insert(key(4), facts(4, 12, 900_000, Outcome::Parked));
    // 5: no mapping, 20 min.
    l.facts
        .insert(key(5), facts(5, 13, 1_200_000, Outcome::Parked));
    // 6: ignored by the user, 5 min.
    l.facts.insert(key(6), facts(6, 14, 300_000, wanted(300)));
    l.held.insert(key(6));
    l.linked_timesheets.insert(101);
    let local = LocalState {
        parked: vec![
            ParkedEntry {
                key: key(4),
                reason: refused(7, 900),
                detected_at: Utc::now(),
            },
            ParkedEntry {
                key: key(5),
                reason: ParkReason::NeedsMapping {
                    detail: "organization 6".into(),
                },
                detected_at: Utc::now(),
            },
        ],
        ..LocalState::default()
    };
    // 201: booked in Kimai directly (Kimai-only).
    let mut i = input(vec![sheet(101, 1800, 7), sheet(201, 3600, 7)], local);
    i.ledger = l;
    let rows = ledger(&i, &i.ledger);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let unmapped = rows.iter().find(|r| r.project_id.is_none()).unwrap();
    assert_eq!(unmapped.zammad_millis, 1_200_000);
    assert_eq!(part(unmapped, PartKind::Parked), 1_200_000);
    assert_eq!(unmapped.parts[0].reason.as_deref(), Some("needs_mapping"));
    let support = rows.iter().find(|r| r.project_id == Some(7)).unwrap();
    assert_eq!(support.customer.as_deref(), Some("Acme"));
    assert_eq!(
        support.zammad_millis,
        1_530_000 - 30_000 + 600_000 + 900_000 + 300_000
    );
    assert_eq!(support.parts_millis(), support.zammad_millis);
    assert_eq!(part(support, PartKind::Booked), 1_800_000);
    assert_eq!(
        part(support, PartKind::ChangedInKimai),
        1_560_000 - 1_800_000
    );
    assert_eq!(part(support, PartKind::Waiting), 600_000);
    assert_eq!(part(support, PartKind::Refused), 900_000);
    assert_eq!(part(support, PartKind::Held), 300_000);
    // 25.5 - 26 - 0.5 min.
    assert_eq!(part(support, PartKind::Rounding), -60_000);
    assert_eq!(support.missing_millis, 600_000 + 900_000 + 300_000);
    let refused = support
        .parts
        .iter()
        .find(|p| p.kind == PartKind::Refused)
        .unwrap();
    assert_eq!(refused.reason.as_deref(), Some("project_ended"));
    assert_eq!(refused.entries[0].entry, "acme#4");
    assert_eq!(refused.entries[0].ticket, "#31012 Ticket 12");
    assert_eq!(support.kimai_only, vec![201]);
    assert_eq!(support.kimai_only_millis, 3_600_000);
}

/// One generated entry: its raw time, what the sync made of it, and its state.
#[derive(Clone, Debug)]
struct Gen {
    millis: i64,
    outcome: u8,
    state: u8,
    project: i64,
    kimai_secs: i64,
}

fn gen_entry() -> impl Strategy<Value = Gen> {
    (-600_000i64..7_200_000, 0u8..3, 0u8..8, 7i64..9, 60i64..7200).prop_map(
        |(millis, outcome, state, project, kimai_secs)| Gen {
            millis,
            outcome,
            state,
            project,
            kimai_secs,
        },
    )
}

fn world(entries: &[Gen]) -> BillingInput {
    let mut l = LedgerInput::default();
    let mut local = LocalState::default();
    let mut sheets = Vec::new();
    for (i, g) in entries.iter().enumerate() {
        let id = i as i64 + 1;
        let wanted_secs = (g.millis.max(60_000) / 60_000) * 60;
        let outcome = match g.outcome {
            0 => Outcome::Wanted {
                seconds: wanted_secs,
                project: g.project,
            },
            1 => Outcome::Parked,
            _ => Outcome::Gone,
        };
        l.facts
            .insert(key(id), facts(id, id % 5, g.millis, outcome));
        let ts = 1000 + id;
        let link = |base_secs| Link {
            timesheet_id: Some(ts),
            base_source: fields(base_secs, g.project),
            base_kimai: fields(base_secs, g.project),
        };
        match g.state {
            // Linked and present in the month (maybe with another duration).
            0 | 1 => {
                l.links.insert(key(id), link(wanted_secs));
                l.linked_timesheets.insert(ts);
                sheets.push(sheet(ts, g.kimai_secs, g.project));
            }
            // Linked, not in the month's Kimai.
            2 => {
                l.links.insert(key(id), link(g.kimai_secs));
                l.linked_timesheets.insert(ts);
            }
            3 => local.parked.push(ParkedEntry {
                key: key(id),
                reason: refused(g.project, wanted_secs),
                detected_at: Utc::now(),
            }),
            4 => local.parked.push(ParkedEntry {
                key: key(id),
                reason: ParkReason::Invalid { detail: "x".into() },
                detected_at: Utc::now(),
            }),
            5 => {
                l.held.insert(key(id));
            }
            6 => local.conflicts.push(ConflictRecord {
                key: key(id),
                kind: ConflictKind::BothChanged,
                timesheet_id: None,
                source: Some(fields(wanted_secs, g.project)),
                kimai: None,
                base: None,
            }),
            // Not linked: waiting (or Kimai-only time beside it).
            _ => sheets.push(sheet(ts, g.kimai_secs, g.project)),
        }
    }
    let mut i = input(sheets, local);
    i.ledger = l;
    i
}

proptest! {
    #[test]
    fn the_identity_holds_for_random_months(entries in prop::collection::vec(gen_entry(), 0..40)) {
        let input = world(&entries);
        let rows = ledger(&input, &input.ledger);
        let raw: i64 = entries.iter().map(|g| g.millis).sum();
        prop_assert_eq!(rows.iter().map(|r| r.zammad_millis).sum::<i64>(), raw);
        let mut states: BTreeMap<String, u32> = BTreeMap::new();
        for row in &rows {
            prop_assert_eq!(row.parts_millis(), row.zammad_millis, "{:#?}", row);
            for p in &row.parts {
                prop_assert_eq!(p.entries.iter().map(|e| e.millis).sum::<i64>(), p.millis);
                let whole = matches!(
                    p.kind,
                    PartKind::Refused | PartKind::Parked | PartKind::Held | PartKind::Conflict
                );
                if whole {
                    for e in &p.entries {
                        *states.entry(e.entry.clone()).or_default() += 1;
                    }
                }
            }
            let missing: i64 = row.parts.iter().filter(|p| p.kind.is_missing()).map(|p| p.millis).sum();
            prop_assert_eq!(row.missing_millis, missing);
            prop_assert_eq!(row.missing_millis + part(row, PartKind::Booked)
                + part(row, PartKind::ChangedInKimai) + part(row, PartKind::Rounding),
                row.zammad_millis);
        }
        // No entry is in two states.
        prop_assert!(states.values().all(|n| *n == 1), "{:?}", states);
        // Booked is exactly the linked timesheets present in the month.
        let booked: i64 = rows.iter().map(|r| part(r, PartKind::Booked)).sum();
        let expected: i64 = entries
            .iter()
            .filter(|g| g.outcome == 0 && g.state <= 1)
            .map(|g| g.kimai_secs * 1000)
            .sum();
        prop_assert_eq!(booked, expected);
        // Kimai-only is exactly the unlinked timesheets.
        let only: i64 = rows.iter().map(|r| r.kimai_only_millis).sum();
        let expected: i64 = entries.iter().filter(|g| g.state == 7).map(|g| g.kimai_secs * 1000).sum();
        prop_assert_eq!(only, expected);
    }
}

#[test]
fn durations_are_shown_to_the_millisecond_that_remains() {
    assert_eq!(clock(0), "0:00:00");
    assert_eq!(clock(3_723_000), "1:02:03");
    assert_eq!(clock(-60_000), "-0:01:00");
    assert_eq!(clock(1_198_800), "0:19:58.8");
    assert_eq!(clock(1_005), "0:00:01.005");
}

//! The facts kept per entry: exact time, the billing-timezone day, and the sync's outcome.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::*;
use crate::sync::desired::{build, TicketInfo};
use crate::sync::entries::{InstanceKey, SourceEntry, TicketFacts};
use crate::sync::mapping::{InstanceSettings, MappingRule, Scope, TicketScope};
use crate::sync::time::TimeUnit;

const ME: i64 = 2;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn entry(id: i64, ticket: i64, by: i64, created: &str, units: &str) -> SourceEntry {
    SourceEntry {
        id,
        ticket_id: ticket,
        type_id: None,
        created_by_id: by,
        created_at: at(created),
        time_unit: Decimal::from_str(units).unwrap(),
    }
}

fn ticket(id: i64, org: i64) -> TicketInfo {
    TicketInfo {
        facts: TicketFacts {
            number: format!("{}", 31000 + id),
            title: format!("Ticket {id}"),
            organization: Some(format!("Org {org}")),
            type_name: None,
            ticket_id: id,
        },
        scope: TicketScope {
            ticket_id: id,
            organization_id: Some(org),
            customer_id: None,
            group_id: Some(1),
        },
    }
}

fn facts_of(unit: TimeUnit, entries: &[SourceEntry]) -> BTreeMap<i64, EntryFacts> {
    let mut settings = InstanceSettings::new(unit);
    settings.rules = vec![MappingRule {
        scope: Scope::Organization(5),
        customer: 1,
        project: 7,
        activity: Some(3),
    }];
    let instance = InstanceKey::new("acme").unwrap();
    let tickets = BTreeMap::from([(10, ticket(10, 5)), (11, ticket(11, 6))]);
    let types = BTreeMap::new();
    let read = InstanceRead {
        instance: &instance,
        settings: &settings,
        user_id: ME,
        entries,
        tickets: &tickets,
        type_names: &types,
        tz: chrono_tz::Europe::Berlin,
    };
    let source = build(&read);
    collect(&read, &source)
        .into_iter()
        .map(|f| (f.key.time_accounting_id, f))
        .collect()
}

#[test]
fn exact_time_outcome_and_the_billing_day_of_every_own_entry() {
    let facts = facts_of(
        TimeUnit::Hours,
        &[
            // 0.333 h = 1,198.8 s: whole seconds would already round it.
            entry(1, 10, ME, "2026-03-31T22:30:00Z", "0.333"),
            // A colleague's entry is not ours.
            entry(2, 10, 9, "2026-03-10T10:00:00Z", "1"),
            // Unmapped organization: parked, but its facts are kept.
            entry(3, 11, ME, "2026-03-10T10:00:00Z", "0.5"),
            // A ticket not read: no facts (nothing is known).
            entry(4, 99, ME, "2026-03-10T10:00:00Z", "1"),
        ],
    );
    assert_eq!(facts.len(), 2, "{facts:?}");
    let first = &facts[&1];
    assert_eq!(first.zammad_millis, Some(1_198_800));
    // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin: April's entry.
    assert_eq!(first.day, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
    assert_eq!(first.month().to_string(), "2026-04");
    assert_eq!(
        first.outcome,
        Outcome::Wanted {
            seconds: 1200,
            project: 7
        }
    );
    assert_eq!(first.ticket_label(), "#31010 Ticket 10");
    let parked = &facts[&3];
    assert_eq!(parked.outcome, Outcome::Parked);
    assert_eq!(parked.organization.as_deref(), Some("Org 6"));
    assert_eq!(parked.zammad_millis, Some(1_800_000));
}

#[test]
fn a_netted_correction_is_gone_and_keeps_its_negative_time() {
    let facts = facts_of(
        TimeUnit::Minutes,
        &[
            entry(1, 10, ME, "2026-03-10T10:00:00Z", "30"),
            entry(2, 10, ME, "2026-03-10T11:00:00Z", "-10.5"),
        ],
    );
    assert_eq!(facts[&2].outcome, Outcome::Gone);
    assert_eq!(facts[&2].zammad_millis, Some(-630_000));
    // 19.5 min netted → whole minutes (the rounding the reconciliation shows).
    let Outcome::Wanted { seconds, .. } = facts[&1].outcome else {
        panic!("{:?}", facts[&1]);
    };
    assert!(seconds == 1140 || seconds == 1200, "{seconds}");
}

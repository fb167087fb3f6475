//! Scheduled runs read incrementally (Zammad tickets updated since a cursor, Kimai timesheets
//! modified since one) and reconcile the whole horizon every six hours; manual runs always
//! read everything. What an incremental run does not read, it never decides from.

mod support;

use chrono::Duration;
use support::{berlin, default_settings, key, scheduled, world, World};
use timebridge_core::engine::Mode;
use timebridge_core::sync::mapping::Layout;
use timebridge_core::sync::plan::{Action, ConflictKind};
use timebridge_core::RunTrigger;

/// Per-ticket entry reads that reached Zammad.
fn ticket_reads(w: &World) -> u64 {
    w.zammad_sim
        .knobs()
        .counts()
        .iter()
        .filter(|(k, _)| k.contains("/tickets/") && k.contains("time_accountings"))
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn scheduled_runs_read_what_changed_and_reconcile_everything_every_six_hours() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 1, 45, Some(1), berlin("2026-11-11 11:00")),
        (3, 2, 60, Some(1), berlin("2026-11-12 12:00")),
    ])
    .await;
    let t0 = w.now;
    w.zammad_sim.knobs().reset_counts();
    let first = scheduled(&w, t0).await;
    assert!(first.full, "no cursor yet: the first run reads everything");
    assert_eq!(first.counts.created, 3);
    let full_reads = ticket_reads(&w);
    assert!(full_reads >= 2, "every ticket of the horizon: {full_reads}");

    w.zammad_sim.knobs().reset_counts();
    let quiet = scheduled(&w, t0 + Duration::minutes(15)).await;
    assert!(!quiet.full);
    assert!(quiet.actions.is_empty(), "{:#?}", quiet.actions);
    assert!(
        ticket_reads(&w) < full_reads,
        "only tickets updated within the cursor's overlap are read again: {} of {full_reads}",
        ticket_reads(&w)
    );

    // A new entry moves its ticket's updated_at: the next incremental run books it.
    let new = w.book(2, 20, Some(1), t0 + Duration::minutes(20));
    let picked = scheduled(&w, t0 + Duration::minutes(30)).await;
    assert!(!picked.full);
    assert_eq!(picked.counts.created, 1, "{:#?}", picked.actions);
    assert!(w.marked().contains_key(&new));

    // What an incremental read cannot see: a timesheet deleted in Kimai, and a Zammad edit that
    // keeps the ticket total (a type change, docs/api-notes.md §24). Nothing is decided from it…
    let deleted_ts = w.timesheet_of(1).id;
    assert!(w.kimai_sim.delete_timesheet_as_human(deleted_ts));
    w.clock.set(t0 + Duration::minutes(40));
    assert!(w
        .zammad_sim
        .update_time_accounting_as_admin(2, None, Some(Some(2))));
    let blind = scheduled(&w, t0 + Duration::minutes(45)).await;
    assert!(!blind.full);
    assert!(blind.actions.is_empty(), "{:#?}", blind.actions);
    assert!(w.store.conflicts().unwrap().is_empty());
    assert_eq!(w.timesheet_of(2).activity, 1, "not yet seen");

    // …until the next full reconcile, six hours after the last one.
    let full = scheduled(&w, t0 + Duration::hours(6)).await;
    assert!(full.full);
    assert!(full.actions.iter().any(|a| matches!(a,
        Action::Conflict { kind: ConflictKind::DeletedInKimai, key: k, .. } if *k == key(1))));
    assert_eq!(full.counts.updated, 1, "{:#?}", full.actions);
    assert_eq!(w.timesheet_of(2).activity, 2, "the type change arrived");

    // A manual run always reads everything.
    let manual = w
        .engine()
        .run(t0 + Duration::hours(6), Mode::Apply, RunTrigger::Cli)
        .await
        .unwrap();
    assert!(manual.full);
}

#[tokio::test]
async fn a_no_overlap_layout_reads_its_instance_fully_every_time() {
    let mut w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    let mut settings = default_settings();
    settings.layout = Layout::NoOverlaps;
    w.instances = vec![w.instance_conn(settings)];
    assert!(scheduled(&w, w.now).await.full);
    w.zammad_sim.knobs().reset_counts();
    let next = scheduled(&w, w.now + Duration::minutes(15)).await;
    assert!(!next.full, "Kimai is read incrementally");
    assert!(
        ticket_reads(&w) > 0,
        "a day's layout needs all of the day's entries: the instance is read fully"
    );
}

#[tokio::test]
async fn a_new_billing_month_starts_with_a_full_reconcile() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    let before = berlin("2026-11-30 23:50");
    assert!(scheduled(&w, before).await.full);
    assert!(!scheduled(&w, before + Duration::minutes(5)).await.full);
    // 00:30 on 1 December in Berlin is still November in UTC: the billing month decides.
    assert!(scheduled(&w, berlin("2026-12-01 00:30")).await.full);
}

#[tokio::test]
async fn a_mapping_edit_makes_the_next_scheduled_run_book_parked_entries() {
    let mut w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (
            2,
            support::UNMAPPED_TICKET,
            40,
            Some(1),
            berlin("2026-11-11 10:00"),
        ),
    ])
    .await;
    let t0 = w.now;
    assert_eq!(scheduled(&w, t0).await.counts.parked, 1);
    let quiet = scheduled(&w, t0 + Duration::minutes(15)).await;
    assert!(!quiet.full);
    assert_eq!(quiet.counts.created, 0, "{:#?}", quiet.actions);

    let mut settings = default_settings();
    settings
        .rules
        .push(timebridge_core::sync::mapping::MappingRule {
            scope: timebridge_core::sync::mapping::Scope::Organization(support::UNMAPPED_ORG),
            customer: 1,
            project: 2,
            activity: None,
        });
    w.instances = vec![w.instance_conn(settings)];
    let mapped = scheduled(&w, t0 + Duration::minutes(30)).await;
    assert_eq!(mapped.counts.created, 1, "{:#?}", mapped.actions);
    assert!(w.store.parked().unwrap().is_empty());
    assert!(!scheduled(&w, t0 + Duration::minutes(45)).await.full);
}

//! Writes Kimai refuses: the entry is parked with Kimai's answer and a code (classified from
//! the answer's structure and the project as Kimai lists it), reported by the run, not sent
//! again while nothing changed, and booked once the cause is fixed.

mod support;

use std::collections::BTreeSet;
use std::str::FromStr;

use chrono::Duration;
use support::{berlin, key, manual_at, world, World};
use timebridge_core::billing::{Billing, Blocker, DEFAULT_STALE_AFTER};
use timebridge_core::engine::retry_refused;
use timebridge_core::sync::plan::ParkReason;
use timebridge_core::sync::refusal::{Refusal, RefusalCode};
use timebridge_core::sync::time::Month;

/// The stored refusal of each parked entry that has one.
fn refusals(w: &World) -> Vec<(i64, Refusal)> {
    w.store
        .parked()
        .unwrap()
        .into_iter()
        .filter_map(|p| match p.reason {
            ParkReason::Refused { refusal } => Some((p.key.time_accounting_id, *refusal)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn entries_after_a_projects_end_are_refused_held_and_booked_once_it_is_extended() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-10-20 10:00")),
        (2, 1, 45, Some(1), berlin("2026-10-22 11:00")),
        (3, 2, 60, Some(1), berlin("2026-10-23 12:00")),
    ])
    .await;
    assert!(w.kimai_sim.edit_project_as_admin(1, |p| {
        p.end = Some(support::date("2026-10-21"));
    }));

    let first = manual_at(&w, w.now).await;
    assert_eq!(
        (first.counts.created, first.counts.refused),
        (1, 2),
        "{first:?}"
    );
    assert_eq!(
        w.kimai_requests("GET /api/projects"),
        1,
        "the project list is read once for the run's refusals"
    );
    assert_eq!(
        first.counts.failed, 0,
        "a refusal is settled, not a failure"
    );
    let keys: Vec<_> = first.refused.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(keys, vec![key(2), key(3)]);
    for (_, r) in &first.refused {
        assert_eq!(r.code, RefusalCode::ProjectEnded, "{r:?}");
        assert_eq!(r.answer.status, 400);
        assert!(!r.answer.messages.is_empty(), "Kimai's words are kept");
        assert!(r.summary().contains("project_ended"));
    }
    assert_eq!(refusals(&w).len(), 2, "parked with the refusal");

    // Billing October names them, in their month, with the cause.
    let billing = Billing {
        store: &w.store,
        kimai: &w.kimai,
        tz: w.tz,
        data_dir: w.store.path().parent().unwrap().to_path_buf(),
        stale_after: DEFAULT_STALE_AFTER,
    };
    let october = Month::from_str("2026-10").unwrap();
    let preview = billing
        .preview(october, &BTreeSet::new(), w.now)
        .await
        .unwrap();
    let refused: Vec<_> = preview
        .blockers
        .iter()
        .filter_map(|b| match b {
            Blocker::Parked {
                entry,
                month,
                reason: ParkReason::Refused { .. },
            } => Some((entry.clone(), *month)),
            _ => None,
        })
        .collect();
    assert_eq!(refused.len(), 2, "{:?}", preview.blockers);
    assert!(refused
        .iter()
        .all(|(_, m)| m.map(|m| m.to_string()).as_deref() == Some("2026-10")));
    assert!(preview
        .blockers
        .iter()
        .any(|b| b.describe().contains("refused by Kimai (project_ended)")));

    // Nothing changed: the next (full) run sends no write and reports no new refusal.
    let writes = w.kimai_writes();
    let again = manual_at(&w, w.now + Duration::hours(1)).await;
    assert_eq!(
        w.kimai_writes(),
        writes,
        "refused writes are not sent again"
    );
    assert_eq!(
        (again.counts.refused, again.counts.parked),
        (0, 2),
        "{again:?}"
    );
    assert_eq!(refusals(&w).len(), 2, "still shown");

    // The project is extended in Kimai: the next run sees it and books both.
    assert!(w.kimai_sim.edit_project_as_admin(1, |p| {
        p.end = Some(support::date("2026-12-31"));
    }));
    let fixed = manual_at(&w, w.now + Duration::hours(2)).await;
    assert_eq!(fixed.counts.created, 2, "{fixed:?}");
    assert!(refusals(&w).is_empty());
    assert_eq!(w.marked().len(), 3);
}

#[tokio::test]
async fn a_locked_period_refuses_new_records_and_they_are_tried_again_a_day_later_or_on_retry() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-10-22 11:00"))]).await;
    w.kimai_sim.set_lockdown(Some((
        berlin("2026-10-01 00:00"),
        berlin("2026-10-31 23:59"),
    )));
    let first = manual_at(&w, w.now).await;
    assert_eq!(first.refused.len(), 1);
    assert_eq!(first.refused[0].1.code, RefusalCode::LockedPeriod);

    let writes = w.kimai_writes();
    manual_at(&w, w.now + Duration::hours(23)).await;
    assert_eq!(w.kimai_writes(), writes, "held for a day");
    let next_day = manual_at(&w, w.now + Duration::hours(25)).await;
    assert_eq!(w.kimai_writes(), writes + 1, "tried once more after a day");
    assert_eq!(next_day.counts.refused, 1, "and refused again");

    assert!(retry_refused(&w.store, &key(1)).unwrap());
    assert!(!retry_refused(&w.store, &key(2)).unwrap(), "not refused");
    w.kimai_sim.set_lockdown(None);
    let retried = manual_at(&w, w.now + Duration::hours(26)).await;
    assert_eq!(retried.counts.created, 1, "{retried:?}");
    assert!(refusals(&w).is_empty());
}

#[tokio::test]
async fn an_activity_the_project_does_not_allow_is_refused_as_such() {
    let w = world(&[(1, 1, 30, Some(2), berlin("2026-11-10 11:00"))]).await;
    assert!(w.kimai_sim.edit_project_as_admin(1, |p| {
        p.global_activities = false;
    }));
    let first = manual_at(&w, w.now).await;
    assert_eq!(first.refused.len(), 1, "{first:?}");
    assert_eq!(first.refused[0].1.code, RefusalCode::ActivityNotAllowed);
    assert_eq!(
        first.refused[0].1.answer.fields,
        vec!["activity".to_string()]
    );
}

#[tokio::test]
async fn allowing_the_activity_on_the_project_lets_the_refused_entry_go_out() {
    let w = world(&[(1, 1, 30, Some(2), berlin("2026-11-10 11:00"))]).await;
    w.kimai_sim
        .edit_project_as_admin(1, |p| p.global_activities = false);
    assert_eq!(manual_at(&w, w.now).await.counts.refused, 1);
    w.kimai_sim
        .edit_project_as_admin(1, |p| p.global_activities = true);
    let next = manual_at(&w, w.now + Duration::hours(1)).await;
    assert_eq!(next.counts.created, 1, "the project changed: {next:?}");
}

#[tokio::test]
async fn a_hidden_project_is_refused_as_disabled_and_booked_once_shown_again() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 11:00"))]).await;
    assert!(w.kimai_sim.edit_project_as_admin(1, |p| p.visible = false));
    let first = manual_at(&w, w.now).await;
    assert_eq!(first.refused.len(), 1, "{first:?}");
    assert_eq!(first.refused[0].1.code, RefusalCode::Disabled);
    let writes = w.kimai_writes();
    assert_eq!(
        manual_at(&w, w.now + Duration::hours(1))
            .await
            .counts
            .refused,
        0
    );
    assert_eq!(w.kimai_writes(), writes, "held while nothing changed");
    assert!(w.kimai_sim.edit_project_as_admin(1, |p| p.visible = true));
    let next = manual_at(&w, w.now + Duration::hours(2)).await;
    assert_eq!(next.counts.created, 1, "shown again: {next:?}");
}

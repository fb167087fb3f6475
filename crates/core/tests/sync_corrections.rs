//! Correction entries end to end (simulators over real HTTP, a real SQLite file): Zammad's
//! zero and negative entries net against earlier positive ones of the same ticket, type and
//! month (docs/sync-model.md, "Corrections"), and what Kimai ends up holding follows.

mod support;

use chrono::{DateTime, Utc};
use timebridge_core::sync::plan::ParkReason;
use timebridge_core::RunOutcome;

use support::{key, local, wall, world};

fn berlin(s: &str) -> DateTime<Utc> {
    local(chrono_tz::Europe::Berlin, s)
}

fn span(from: &str, to: &str) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    (wall(from), wall(to))
}

#[tokio::test]
async fn a_correction_reduces_the_latest_earlier_entry_of_its_ticket_type_and_month_only() {
    let w = world(&[
        (1, 1, 60, Some(1), berlin("2026-11-10 09:00")),
        (2, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (3, 1, 45, Some(2), berlin("2026-11-10 10:30")), // other type
        (4, 4, 20, Some(1), berlin("2026-11-10 10:45")), // other ticket
        (5, 1, -40, Some(1), berlin("2026-11-10 11:00")), // cancels #2, takes 10 from #1
        (6, 1, 25, Some(1), berlin("2026-11-10 12:00")), // later: untouched
    ])
    .await;
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    let marked = w.marked();
    assert_eq!(
        marked.keys().copied().collect::<Vec<_>>(),
        vec![1, 3, 4, 6],
        "#2 is cancelled, the correction #5 has no timesheet of its own"
    );
    let spans: Vec<_> = marked.values().map(|t| w.wall_span(t)).collect();
    assert_eq!(
        spans,
        vec![
            span("2026-11-10 08:10", "2026-11-10 09:00"), // 60 − 10
            span("2026-11-10 09:45", "2026-11-10 10:30"),
            span("2026-11-10 10:25", "2026-11-10 10:45"),
            span("2026-11-10 11:35", "2026-11-10 12:00"),
        ]
    );
    assert_eq!(marked[&1].duration(), Some(50 * 60));
    assert!(w.store.parked().unwrap().is_empty());
    assert!(w.preview().await.actions.is_empty(), "converged");
}

#[tokio::test]
async fn a_later_correction_updates_then_deletes_the_timesheet_it_reduces() {
    let w = world(&[
        (1, 1, 60, Some(1), berlin("2026-11-10 09:00")),
        (2, 1, 25, Some(1), berlin("2026-11-10 12:00")),
    ])
    .await;
    w.sync().await;
    let (first, latest) = (w.timesheet_of(1), w.timesheet_of(2));

    // −20 reduces the latest entry only: 25 → 5 minutes.
    w.book(1, -20, Some(1), berlin("2026-11-10 14:00"));
    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.updated, 1, "{:#?}", run.actions);
    assert_eq!(w.kimai_writes(), 1);
    let reduced = w.timesheet_of(2);
    assert_eq!(reduced.id, latest.id, "the same timesheet, updated");
    assert_eq!(
        w.wall_span(&reduced),
        span("2026-11-10 11:55", "2026-11-10 12:00")
    );
    assert_eq!(w.kimai_sim.timesheet(first.id).unwrap(), first, "untouched");

    // −15 cancels what is left of #2 (5) and takes 10 from #1.
    w.book(1, -15, Some(1), berlin("2026-11-10 15:00"));
    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!((run.counts.updated, run.counts.deleted), (1, 1));
    assert!(w.kimai_sim.timesheet(latest.id).is_none(), "reduced to 0");
    assert_eq!(
        w.wall_span(&w.timesheet_of(1)),
        span("2026-11-10 08:10", "2026-11-10 09:00")
    );
    assert_eq!(w.marked().len(), 1);
    assert!(w.store.parked().unwrap().is_empty());
    w.kimai_sim.knobs().reset_counts();
    assert!(w.sync().await.actions.is_empty());
    assert_eq!(w.kimai_writes(), 0);
}

#[tokio::test]
async fn a_zero_entry_creates_nothing() {
    let w = world(&[
        (1, 1, 0, Some(1), berlin("2026-11-10 09:00")),
        (2, 2, 30, Some(1), berlin("2026-11-10 10:00")),
        (3, 2, 0, Some(1), berlin("2026-11-10 11:00")),
    ])
    .await;
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(run.counts.created, 1, "{:#?}", run.actions);
    assert_eq!(w.marked().keys().copied().collect::<Vec<_>>(), vec![2]);
    assert_eq!(w.timesheet_of(2).duration(), Some(30 * 60), "not reduced");
    assert!(
        w.store.parked().unwrap().is_empty(),
        "nothing to show either"
    );
}

#[tokio::test]
async fn a_correction_with_nothing_to_reduce_is_parked_not_dropped() {
    let w = world(&[
        // Nothing earlier on ticket 2.
        (1, 2, -15, Some(1), berlin("2026-11-10 13:00")),
        // October's entry is out of reach of a November correction.
        (2, 4, 30, Some(2), berlin("2026-10-20 10:00")),
        (3, 4, -30, Some(2), berlin("2026-11-11 09:00")),
        // More correction than there is to reduce: the remainder is parked.
        (4, 1, 10, Some(1), berlin("2026-11-12 09:00")),
        (5, 1, -25, Some(1), berlin("2026-11-12 10:00")),
    ])
    .await;
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(w.marked().keys().copied().collect::<Vec<_>>(), vec![2]);
    assert_eq!(w.timesheet_of(2).duration(), Some(30 * 60), "October kept");
    let parked: Vec<_> = w
        .store
        .parked()
        .unwrap()
        .into_iter()
        .map(|p| (p.key, p.reason))
        .collect();
    // Each keeps its month, so billing names it as a blocker of that month.
    let unapplied = |secs_left| ParkReason::UnappliedCorrection {
        secs_left,
        month: Some("2026-11".parse().unwrap()),
    };
    assert_eq!(
        parked,
        vec![
            (key(1), unapplied(15 * 60)),
            (key(3), unapplied(30 * 60)),
            (key(5), unapplied(15 * 60)),
        ]
    );
    assert_eq!(run.counts.parked, 3);
}

//! Exact day totals: a day's entries of one project and activity are rounded by their running
//! sum, so the day's total in Kimai is within half a minute of Zammad's; each timesheet stays
//! whole minutes, and an edit changes only that entry and later ones of the day.

mod support;

use chrono::Duration;
use rust_decimal::Decimal;
use support::{berlin, default_settings, manual_at, world};

/// Twelve entries of 10.49 minutes (629.4 s) on one day.
fn seed() -> Vec<support::SeedEntry> {
    (1..=12)
        .map(|i| {
            (
                i,
                1,
                10,
                Some(1),
                berlin("2026-11-18 08:00") + Duration::minutes(20 * i),
            )
        })
        .collect()
}

fn booked_minutes(w: &support::World) -> Vec<i64> {
    w.marked()
        .values()
        .map(|t| (t.end.unwrap() - t.begin).num_minutes())
        .collect()
}

#[tokio::test]
async fn a_days_total_stays_within_half_a_minute_and_an_edit_moves_only_later_entries() {
    let mut w = world(&seed()).await;
    for id in 1..=12 {
        assert!(w.zammad_sim.update_time_accounting_as_admin(
            id,
            Some(Decimal::new(1049, 2)),
            None
        ));
    }
    let mut settings = default_settings();
    settings.exact_day_totals = true;
    w.instances = vec![w.instance_conn(settings)];
    let run = manual_at(&w, w.now).await;
    assert_eq!(run.counts.created, 12, "{run:?}");
    let minutes = booked_minutes(&w);
    // Exact: 12 × 629.4 s = 125.88 min; each entry alone would give 12 × 10 = 120 min.
    assert_eq!(minutes.iter().sum::<i64>(), 126, "{minutes:?}");
    assert!(minutes.iter().all(|m| *m == 10 || *m == 11), "{minutes:?}");

    // The 6th entry grows to 20.49 minutes: entries 1–5 keep their timesheets.
    let before = w.marked();
    w.clock.set(w.now);
    assert!(w
        .zammad_sim
        .update_time_accounting_as_admin(6, Some(Decimal::new(2049, 2)), None));
    let run = manual_at(&w, w.now).await;
    assert!(run.counts.updated >= 1, "{run:?}");
    let after = w.marked();
    for id in 1..=5 {
        assert_eq!(before[&id].end, after[&id].end, "entry {id} unchanged");
        assert_eq!(before[&id].begin, after[&id].begin, "entry {id} unchanged");
    }
    assert_eq!(booked_minutes(&w).iter().sum::<i64>(), 136);
}

#[tokio::test]
async fn without_it_each_entry_is_rounded_on_its_own() {
    let w = world(&seed()).await;
    for id in 1..=12 {
        assert!(w.zammad_sim.update_time_accounting_as_admin(
            id,
            Some(Decimal::new(1049, 2)),
            None
        ));
    }
    manual_at(&w, w.now).await;
    assert_eq!(booked_minutes(&w).iter().sum::<i64>(), 120);
}

//! "Book time from": a month the app was not run in is still booked. Full runs cover every
//! month from that day on that no billing run has closed, not only this and last month.

mod support;

use support::{berlin, date, manual_at, world_in};

#[tokio::test]
async fn entries_of_a_month_the_app_was_not_run_in_are_booked_two_months_later() {
    let first_run = berlin("2026-09-20 12:00");
    let mut w = world_in(
        chrono_tz::Europe::Berlin,
        first_run,
        &[(1, 1, 30, Some(1), berlin("2026-09-10 10:00"))],
    )
    .await;
    w.store.set_book_from(date("2026-08-01")).unwrap();
    assert_eq!(manual_at(&w, first_run).await.counts.created, 1);

    // The laptop stays closed; the consultant books in Zammad from the browser.
    w.book(1, 45, Some(1), berlin("2026-09-25 16:00"));
    w.book(2, 60, Some(1), berlin("2026-10-14 09:00"));
    // Two months after the last run: September is older than "last month" now.
    w.now = berlin("2026-11-20 12:00");
    let later = manual_at(&w, w.now).await;
    assert_eq!(later.counts.created, 2, "{later:?}");
    let months: Vec<_> = w
        .marked()
        .keys()
        .map(|id| w.link_month(*id).unwrap_or_default())
        .collect();
    assert!(months.contains(&"2026-09".to_string()), "{months:?}");

    // Billing closed September: it is no longer read (and never written).
    w.store
        .close_month("2026-08".parse().unwrap(), None)
        .unwrap();
    w.store
        .close_month("2026-09".parse().unwrap(), None)
        .unwrap();
    let writes = w.kimai_writes();
    let after = manual_at(&w, w.now).await;
    assert_eq!(w.kimai_writes(), writes, "{after:?}");
}

//! Settled months: with many months open, a full run reads completely only the months not yet
//! settled (and always this and last month); an edit or deletion in a settled month still
//! flows (its ticket's `updated_at` moves), and what only a complete read sees — a timesheet
//! deleted in Kimai — is found by the deep run a week later.

mod support;

use chrono::Duration;
use support::{berlin, date, key, manual_at, world_in};
use timebridge_core::sync::plan::ConflictKind;

#[tokio::test]
async fn settled_months_are_not_listed_again_but_their_changes_still_flow() {
    // One entry in each month from January 2025 to November 2026: until August 2026 on ticket
    // 4 (not touched since), then on tickets 1 and 2.
    let mut seed = Vec::new();
    let mut month_start = date("2025-01-01");
    let mut id = 1;
    while month_start <= date("2026-11-01") {
        let at = berlin(&format!("{} 10:00", month_start + Duration::days(9)));
        let ticket = if month_start < date("2026-09-01") {
            4
        } else {
            1 + id % 2
        };
        seed.push((id, ticket, 30 + id, Some(1), at));
        id += 1;
        month_start = month_start
            .checked_add_months(chrono::Months::new(1))
            .unwrap();
    }
    let first_run = berlin("2026-11-20 12:00");
    let mut w = world_in(chrono_tz::Europe::Berlin, first_run, &seed).await;
    w.store.set_book_from(date("2025-01-01")).unwrap();

    // The first (deep) run books all 23 months.
    let first = manual_at(&w, first_run).await;
    assert_eq!(first.counts.created as usize, seed.len(), "{first:?}");
    let zammad = || w.zammad_sim.knobs().total_requests();
    let deep = zammad();

    // An hour later, nothing changed: ticket 4, all of whose entries are in settled months, is
    // not read again.
    w.now = first_run + Duration::hours(1);
    let before = zammad();
    let writes = w.kimai_writes();
    let quiet = manual_at(&w, w.now).await;
    assert_eq!(w.kimai_writes(), writes, "{quiet:?}");
    let settled_run = zammad() - before;
    assert!(
        settled_run < deep,
        "a settled run reads less: {settled_run} vs {deep} requests"
    );

    // An entry of March 2025 is corrected in Zammad, one of May 2025 deleted: both flow.
    w.now = first_run + Duration::hours(2);
    w.clock.set(w.now);
    let march = 3; // ids follow the months: 1 = January 2025
    let may = 5;
    w.change_minutes(march, 99);
    assert!(w.zammad_sim.delete_time_accounting_as_admin(may));
    let run = manual_at(&w, w.now).await;
    assert_eq!((run.counts.updated, run.counts.deleted), (1, 1), "{run:?}");
    let march_sheet = w.timesheet_of(march);
    assert_eq!(
        (march_sheet.end.unwrap() - march_sheet.begin).num_minutes(),
        99
    );
    assert!(!w.marked().contains_key(&may));

    // The user deletes the June 2025 timesheet in Kimai: a settled run does not see it...
    let june = 6;
    assert!(w
        .kimai_sim
        .delete_timesheet_as_human(w.timesheet_of(june).id));
    w.now = first_run + Duration::hours(3);
    manual_at(&w, w.now).await;
    assert!(w.store.conflicts().unwrap().is_empty());
    // ...the deep run a week after the last one does, and asks the user.
    w.now = first_run + Duration::days(8);
    manual_at(&w, w.now).await;
    let conflicts = w.store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].record.key, key(june));
    assert_eq!(conflicts[0].record.kind, ConflictKind::DeletedInKimai);
}

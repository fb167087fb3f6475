//! An incremental run looks up (`GET timesheets/{id}`) only the linked timesheets
//! it needs — those of entries Zammad changed — not those of every entry on a ticket it read
//! again. A user's edit in Kimai since the cursor is still seen (the `modified_after` listing
//! holds it); a deletion in Kimai of an unchanged entry waits for the next full reconcile, as
//! every deletion does in an incremental run.

mod support;

use chrono::Duration;
use support::{berlin, key, scheduled, world, World};
use timebridge_core::engine::Mode;
use timebridge_core::sync::plan::{Action, ConflictKind};
use timebridge_core::RunTrigger;

/// Single-timesheet reads that reached Kimai.
fn lookups(w: &World) -> u64 {
    w.kimai_sim
        .knobs()
        .counts()
        .iter()
        .filter(|(k, _)| k.as_str() == "GET /api/timesheets/{id}")
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn an_incremental_run_looks_up_only_the_timesheets_of_changed_entries() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 1, 45, Some(1), berlin("2026-11-11 11:00")),
        (3, 1, 60, Some(1), berlin("2026-11-12 12:00")),
        (4, 1, 15, Some(1), berlin("2026-11-13 13:00")),
    ])
    .await;
    let t0 = w.now;
    assert_eq!(scheduled(&w, t0).await.counts.created, 4);
    // The first incremental run re-lists what the full one wrote; the second is quiet.
    scheduled(&w, t0 + Duration::hours(1)).await;
    scheduled(&w, t0 + Duration::hours(2)).await;

    // Entry 2 edited in Zammad (its ticket is read again, with entries 1, 3 and 4 unchanged);
    // in Kimai, entry 3's timesheet edited by the user, entry 4's deleted.
    w.clock.set(t0 + Duration::hours(2) + Duration::minutes(20));
    assert!(w
        .zammad_sim
        .update_time_accounting_as_admin(2, Some("50".parse().unwrap()), None));
    let edited = w.timesheet_of(3).id;
    assert!(w.kimai_sim.edit_timesheet_as_human(edited, |t| {
        t.description = Some(format!(
            "{} (checked)",
            t.description.clone().unwrap_or_default()
        ));
    }));
    let deleted = w.timesheet_of(4).id;
    assert!(w.kimai_sim.delete_timesheet_as_human(deleted));
    w.kimai_sim.knobs().reset_counts();
    let run = scheduled(&w, t0 + Duration::hours(2) + Duration::minutes(30)).await;
    assert!(!run.full);
    assert_eq!(
        lookups(&w),
        1,
        "only entry 2's timesheet: {:#?}",
        run.actions
    );
    assert_eq!(run.counts.updated, 1, "{:#?}", run.actions);
    assert_eq!(
        run.counts.kept_user_edits, 1,
        "the listing held the user's edit"
    );
    assert!(
        run.actions
            .iter()
            .all(|a| a.key() != &key(4) && a.key() != &key(1)),
        "nothing decided about entries 1 and 4: {:#?}",
        run.actions
    );
    assert!(w.store.conflicts().unwrap().is_empty());

    // The next full reconcile sees the deletion.
    let full = w
        .engine()
        .run(t0 + Duration::hours(3), Mode::Apply, RunTrigger::Cli)
        .await
        .unwrap();
    assert!(full.full);
    assert!(full.actions.iter().any(|a| matches!(a,
        Action::Conflict { kind: ConflictKind::DeletedInKimai, key: k, .. } if *k == key(4))));
}

/// Organization names come with the expanded ticket search: a run asks for none on its own
/// (the no-change budget counts every request).
#[tokio::test]
async fn organization_names_come_with_the_search_not_from_lookups() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    w.zammad_sim.knobs().reset_counts();
    assert_eq!(scheduled(&w, w.now).await.counts.created, 1);
    let counts = w.zammad_sim.knobs().counts();
    let lookups: u64 = counts
        .iter()
        .filter(|(k, _)| k.contains("organizations"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(lookups, 0, "{counts:?}");
    assert!(
        counts.keys().any(|k| k.contains("tickets/search")),
        "{counts:?}"
    );
}

//! "Edit, then apply" against the simulators (real HTTP, a real SQLite file): both sides
//! change, the user edits Zammad's version and stores that decision, a sync writes the edit to
//! Kimai — and a second sync writes nothing: Zammad's unchanged version is the link's source
//! base, the edit its Kimai base, so neither a new conflict nor Zammad's version overwrites it.

mod support;

use timebridge_core::sync::plan::{ConflictKind, Resolution};
use timebridge_core::RunOutcome;

use support::{key, local, wall, world};

fn berlin(s: &str) -> chrono::DateTime<chrono::Utc> {
    local(chrono_tz::Europe::Berlin, s)
}

#[tokio::test]
async fn an_edited_conflict_is_written_once_and_then_left_alone() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    assert_eq!(w.sync().await.counts.created, 1);
    let ts = w.timesheet_of(1);
    w.change_minutes(1, 45);
    assert!(w.kimai_sim.edit_timesheet_as_human(ts.id, |t| {
        t.description = Some("edited by hand".into());
    }));
    let run = w.sync().await;
    assert_eq!(run.counts.conflicts, 1, "{:#?}", run.actions);
    let conflict = w.store.conflicts().unwrap().remove(0).record;
    assert_eq!(conflict.kind, ConflictKind::BothChanged);
    let zammad = conflict.source.clone().expect("Zammad's version");

    // The user starts from Zammad's version: 09:00–10:00 and their own words, marker kept.
    let mut edit = zammad.clone();
    edit.begin = wall("2026-11-10 09:00");
    edit.end = wall("2026-11-10 10:00");
    edit.description = format!("Printer fixed on site {}", "[tb:acme:1]");
    w.store
        .resolve(&key(1), Resolution::Edit(edit.clone()))
        .unwrap();
    assert_eq!(
        w.store.resolutions().unwrap()[&key(1)],
        Resolution::Edit(edit.clone()),
        "the edit is stored with the decision"
    );

    w.kimai_sim.knobs().reset_counts();
    let run = w.sync().await;
    assert_eq!(run.outcome, RunOutcome::Ok, "{:?}", run.error);
    assert_eq!(
        (run.counts.updated, run.counts.conflicts),
        (1, 0),
        "{:#?}",
        run.actions
    );
    assert_eq!(w.kimai_writes(), 1);
    let now = w.kimai_sim.timesheet(ts.id).unwrap();
    assert_eq!(
        now.description.as_deref(),
        Some("Printer fixed on site [tb:acme:1]")
    );
    assert_eq!(
        w.wall_span(&now),
        (wall("2026-11-10 09:00"), wall("2026-11-10 10:00"))
    );
    let link = w.store.link(&key(1)).unwrap().unwrap();
    assert_eq!(
        link.base_source, zammad,
        "Zammad's version is the source base"
    );
    assert_eq!(link.base_kimai.description, edit.description);
    assert!(w.store.conflicts().unwrap().is_empty());
    assert!(
        w.store.resolutions().unwrap().is_empty(),
        "the decision is applied"
    );

    // The next sync: nothing to write, no new conflict, the edit stays.
    w.kimai_sim.knobs().reset_counts();
    let again = w.sync().await;
    assert_eq!(again.outcome, RunOutcome::Ok, "{:?}", again.error);
    assert_eq!(w.kimai_writes(), 0, "{:#?}", again.actions);
    assert_eq!(again.counts.conflicts, 0);
    assert!(again.actions.is_empty(), "{:#?}", again.actions);
    assert_eq!(w.kimai_sim.timesheet(ts.id).unwrap(), now);
}

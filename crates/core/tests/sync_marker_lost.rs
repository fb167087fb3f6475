//! A linked timesheet that lost its entry's marker is not the entry's any more: Kimai on MySQL
//! before 8 hands the id of a deleted record to the next new one, and that record must never
//! stand for the entry (nor be written to). A record whose marker the user removed but which is
//! recognisably the one synced (same project and begin) stays a kept edit.

mod support;

use chrono::{DateTime, Duration, Utc};
use support::{berlin, key, manual_at, world};
use timebridge_core::sync::plan::{Action, ConflictKind};
use timebridge_simulators::kimai::SimTimesheet;

fn by_hand(begin: DateTime<Utc>, minutes: i64, description: &str) -> SimTimesheet {
    SimTimesheet {
        id: 0,
        user: 2,
        project: 2,
        activity: 1,
        begin,
        end: Some(begin + Duration::minutes(minutes)),
        timezone: String::new(),
        description: Some(description.into()),
        tags: Vec::new(),
        exported: false,
        billable: true,
        fixed_rate: None,
        hourly_rate: None,
        meta: Default::default(),
        modified_at: None,
    }
}

#[tokio::test]
async fn a_reused_id_is_never_taken_for_the_entry_and_never_written() {
    let w = world(&[
        (1, 1, 30, Some(1), berlin("2026-11-10 10:00")),
        (2, 1, 10, Some(1), berlin("2026-11-11 11:00")),
    ])
    .await;
    manual_at(&w, w.now).await;
    let ts2 = w
        .store
        .link(&key(2))
        .unwrap()
        .unwrap()
        .timesheet_id
        .unwrap() as u64;
    let highest = w.kimai_sim.timesheets().iter().map(|t| t.id).max().unwrap();
    assert_eq!(ts2, highest, "entry 2's timesheet is the newest");

    // The user deletes it, the database restarts, and their own two-hour meeting gets its id.
    assert!(w.kimai_sim.delete_timesheet_as_human(ts2));
    w.kimai_sim.restart_database();
    let meeting = by_hand(berlin("2026-11-12 09:00"), 120, "Internal meeting");
    assert_eq!(w.kimai_sim.add_timesheet_as_human(meeting.clone()), ts2);

    let writes = w.kimai_writes();
    let r = manual_at(&w, w.now + Duration::hours(1)).await;
    assert_eq!(
        w.kimai_writes(),
        writes,
        "nothing written to the user's record"
    );
    assert_eq!(r.counts.kept_user_edits, 0, "{r:?}");
    let conflict = r
        .actions
        .iter()
        .find(|a| a.key() == &key(2))
        .expect("an action about entry 2");
    assert!(
        matches!(
            conflict,
            Action::Conflict {
                kind: ConflictKind::DeletedInKimai,
                ..
            }
        ),
        "{conflict:?}"
    );
    let still = w.kimai_sim.timesheet(ts2).unwrap();
    assert_eq!(still.description.as_deref(), Some("Internal meeting"));
    assert_eq!(still.end, meeting.end);
}

#[tokio::test]
async fn a_marker_the_user_removed_from_the_same_record_is_a_kept_edit() {
    let w = world(&[(1, 1, 30, Some(1), berlin("2026-11-10 10:00"))]).await;
    manual_at(&w, w.now).await;
    let ts = w
        .store
        .link(&key(1))
        .unwrap()
        .unwrap()
        .timesheet_id
        .unwrap() as u64;
    assert!(w
        .kimai_sim
        .edit_timesheet_as_human(ts, |t| t.description = Some("billed as a flat fee".into())));
    let writes = w.kimai_writes();
    let r = manual_at(&w, w.now + Duration::hours(1)).await;
    assert_eq!(w.kimai_writes(), writes);
    assert_eq!(r.counts.kept_user_edits, 1, "{r:?}");
    assert_eq!(r.counts.conflicts, 0, "{r:?}");
}

//! The per-record steps: apply decides from Kimai's current state (so a step that landed
//! before a crash is never repeated or flipped back), reverse refuses records changed since,
//! and the journal only moves forward.

use chrono::{Duration, NaiveDateTime};

use super::plan::{next_step, reverse_step, Restore, Step};
use super::{JournalRow, JournalState, Sheet};
use crate::Store;

const TAG: &str = "billed:2026-10";

fn sheet() -> Sheet {
    let begin = NaiveDateTime::parse_from_str("2026-10-01 09:00", "%Y-%m-%d %H:%M").unwrap();
    Sheet {
        id: 7,
        begin,
        end: Some(begin + Duration::minutes(30)),
        seconds: 1800,
        project: 1,
        activity: 1,
        description: "work".into(),
        tags: vec!["zammad".into()],
        exported: false,
        billable: true,
        rate: None,
    }
}

fn billed(mut s: Sheet) -> Sheet {
    s.tags = vec![TAG.into(), "zammad".into()];
    s.exported = true;
    s
}

fn row(state: JournalState) -> JournalRow {
    JournalRow {
        run_id: 1,
        timesheet_id: 7,
        customer_id: 1,
        state,
        before: sheet(),
        after: Some(billed(sheet())),
        error: None,
    }
}

#[test]
fn apply_tags_first_keeping_other_tags_then_exports_then_nothing() {
    let s = sheet();
    assert_eq!(
        next_step(&s, TAG),
        Step::Tag(vec![TAG.to_string(), "zammad".to_string()])
    );
    let mut tagged = s.clone();
    tagged.tags = vec![TAG.into(), "zammad".into()];
    assert_eq!(next_step(&tagged, TAG), Step::Export);
    assert_eq!(next_step(&billed(s), TAG), Step::Nothing);
}

#[test]
fn reverse_restores_from_any_point_of_the_run_or_of_its_own_reversal() {
    let r = row(JournalState::Done);
    assert_eq!(
        reverse_step(&r, &billed(sheet()), TAG),
        Ok(Restore {
            unexport: true,
            tags: Some(vec!["zammad".into()])
        })
    );
    // Un-exported already (a reverse interrupted half way): only the tags remain.
    let mut half = billed(sheet());
    half.exported = false;
    assert_eq!(
        reverse_step(&r, &half, TAG),
        Ok(Restore {
            unexport: false,
            tags: Some(vec!["zammad".into()])
        })
    );
    assert_eq!(
        reverse_step(&r, &sheet(), TAG),
        Ok(Restore {
            unexport: false,
            tags: None
        })
    );
}

#[test]
fn reverse_refuses_a_record_changed_since_and_names_what_changed() {
    let r = row(JournalState::Done);
    let mut edited = billed(sheet());
    edited.description = "edited by an admin".into();
    edited.seconds = 3600;
    assert_eq!(
        reverse_step(&r, &edited, TAG),
        Err(vec!["description".to_string(), "duration".to_string()])
    );
    let mut retagged = billed(sheet());
    retagged.tags.push("invoice-42".into());
    assert_eq!(
        reverse_step(&r, &retagged, TAG),
        Err(vec!["tags".to_string()])
    );
}

#[test]
fn the_journal_only_moves_forward() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let id = store
        .write(|w| {
            let id = w.start_billing_run("2026-10".parse().unwrap(), &[], TAG, None, &[])?;
            w.plan_billing_row(id, 1, &sheet())?;
            Ok(id)
        })
        .unwrap();
    let set =
        |state| store.write(|w| w.set_billing_row(id, 7, state, Some(&billed(sheet())), None));
    set(JournalState::Tagged).unwrap();
    set(JournalState::Exported).unwrap();
    assert!(set(JournalState::Planned).is_err(), "never back to planned");
    assert!(set(JournalState::Tagged).is_err(), "never back to tagged");
    set(JournalState::Done).unwrap();
    let rows = store.billing_journal(id).unwrap();
    assert_eq!(rows[0].state, JournalState::Done);
    assert_eq!(rows[0].before, sheet());
    assert_eq!(rows[0].after, Some(billed(sheet())));
    let run = store.billing_run(id).unwrap().unwrap();
    assert_eq!(run.tag, TAG);
    assert!(run.customers.is_empty());
}

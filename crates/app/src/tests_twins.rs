//! An entry waiting as a possible twin, answered: until the next sync acts on the answer, the
//! entry says what the user decided and what that sync will do, never "the next sync books it"
//! after a "same work" answer (that would read as a second booking of the same hours).

use std::sync::Arc;

use chrono::NaiveDate;
use timebridge_types::entries::{EntryQuery, EntryState, TwinAnswer};
use timebridge_types::EntryKey;

use super::App;
use timebridge_core::secrets::MemoryStore;
use timebridge_core::sync::plan::{Link, ParkReason, SourceKey, TimesheetFields};
use timebridge_core::sync::twins::{Evidence, Twin};
use timebridge_core::{Core, DataDir};

const HAND_MADE: i64 = 77;

fn app(tmp: &tempfile::TempDir) -> App {
    let core = Core::open(DataDir::at(tmp.path()), None).unwrap();
    App::new(Arc::new(core), Arc::new(MemoryStore::default())).unwrap()
}

/// Entry `id` of helpdesk "acme", parked as a possible twin of timesheet 77.
fn park_twin(app: &App, id: i64) -> EntryKey {
    let key = SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    };
    let reason = ParkReason::PossibleTwin {
        twin: Twin {
            timesheet_id: HAND_MADE,
            evidence: vec![Evidence::SameDay, Evidence::Title],
        },
    };
    app.store()
        .write(|tx| tx.set_parked(&key, &reason, Some(2)))
        .unwrap();
    EntryKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

fn answer(app: &App, key: &EntryKey, same: bool) -> bool {
    app.decide_twin(&TwinAnswer {
        key: key.clone(),
        same,
    })
    .unwrap()
}

#[test]
fn a_same_work_answer_says_the_next_sync_links_and_books_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    let key = park_twin(&app, 3);
    let before = app.entry_detail(&key).unwrap();
    assert_eq!(before.reason_code.as_deref(), Some("possible_twin"));

    assert!(answer(&app, &key, true));
    let after = app.entry_detail(&key).unwrap();
    assert_eq!(after.state, EntryState::Pending);
    assert_eq!(after.reason_code, None, "no longer asks the question");
    let note = after.note.unwrap_or_default();
    assert!(
        note.contains("same work as timesheet 77") && note.contains("nothing new is booked"),
        "{note}"
    );
    // The list row says the same.
    let page = app
        .list_entries(&EntryQuery {
            limit: 10,
            ..EntryQuery::default()
        })
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].state, EntryState::Pending);
    // Answered once: asking again changes nothing.
    assert!(!answer(&app, &key, false));
}

#[test]
fn a_different_work_answer_says_the_next_sync_books_it() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    let key = park_twin(&app, 4);
    assert!(answer(&app, &key, false));
    let note = app.entry_detail(&key).unwrap().note.unwrap_or_default();
    assert!(
        note.contains("different work from timesheet 77") && note.contains("books it"),
        "{note}"
    );
}

#[test]
fn once_linked_the_answer_no_longer_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    let key = park_twin(&app, 5);
    assert!(answer(&app, &key, true));
    // The next sync links the entry to the hand-made timesheet.
    let begin = NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let fields = TimesheetFields {
        begin,
        end: begin + chrono::Duration::minutes(60),
        project: 1,
        activity: 1,
        description: "VPN drops every hour: remote session".into(),
        tags: Vec::new(),
    };
    let link = Link {
        timesheet_id: Some(HAND_MADE),
        base_source: fields.clone(),
        base_kimai: fields,
    };
    let source = SourceKey {
        instance: key.instance.clone(),
        time_accounting_id: key.time_accounting_id,
    };
    app.store()
        .write(|tx| tx.upsert_link(&source, &link, None))
        .unwrap();
    let detail = app.entry_detail(&key).unwrap();
    assert_eq!(detail.state, EntryState::Synced);
    assert_eq!(detail.timesheet_id, Some(HAND_MADE));
    assert_eq!(detail.note, None);
}

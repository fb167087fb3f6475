//! An entry waiting as a possible twin, answered: until the next sync acts on the answer, the
//! entry says what the user decided and what that sync will do, never "the next sync books it"
//! after a "same work" answer (that would read as a second booking of the same hours). Answers
//! are kept for good; an entry deleted in Zammad, or whose Kimai timesheet the user let go, is
//! not shown as waiting for them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use timebridge_types::entries::{EntryQuery, EntryState, TwinAnswer};
use timebridge_types::EntryKey;

use super::App;
use timebridge_core::secrets::MemoryStore;
use timebridge_core::sync::facts::{EntryFacts, Outcome};
use timebridge_core::sync::plan::{Link, ParkReason, SourceKey, TimesheetFields};
use timebridge_core::sync::twins::{Evidence, Twin};
use timebridge_core::{Core, DataDir, FactsRead};

const HAND_MADE: i64 = 77;

fn app(tmp: &tempfile::TempDir) -> App {
    let core = Core::open(DataDir::at(tmp.path()), None).unwrap();
    App::new(Arc::new(core), Arc::new(MemoryStore::default())).unwrap()
}

/// Records that Zammad's ticket 2 holds exactly the entries `ids` of helpdesk "acme", each
/// parked (an entry of the ticket not among them is forgotten: deleted in Zammad).
fn read_ticket(app: &App, ids: &[i64]) {
    let booked_at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let facts: Vec<EntryFacts> = ids
        .iter()
        .map(|&id| EntryFacts {
            key: key_of(id),
            ticket_id: 2,
            ticket_number: "31002".into(),
            ticket_title: "VPN drops every hour".into(),
            organization: Some("Acme GmbH".into()),
            booked_at,
            day: booked_at.date_naive(),
            time_unit: rust_decimal::Decimal::from(60),
            zammad_millis: Some(3_600_000),
            outcome: Outcome::Parked,
        })
        .collect();
    let tickets = BTreeMap::from([(2, ids.iter().copied().collect::<BTreeSet<i64>>())]);
    let none = BTreeSet::new();
    app.store()
        .write(|tx| {
            tx.record_facts(&FactsRead {
                instance: "acme",
                facts: &facts,
                tickets: &tickets,
                unreadable: &none,
                deleted: &none,
                now: booked_at,
            })
        })
        .unwrap();
}

fn key_of(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

/// Entry `id` of helpdesk "acme", read from Zammad and parked as a possible twin of
/// timesheet 77.
fn park_twin(app: &App, id: i64) -> EntryKey {
    read_ticket(app, &[id]);
    let key = key_of(id);
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

/// The link the next sync makes after a "same work" answer: the entry stands for the
/// hand-made timesheet.
fn hand_made_link() -> Link {
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
    Link {
        timesheet_id: Some(HAND_MADE),
        base_source: fields.clone(),
        base_kimai: fields,
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
fn a_same_work_answer_says_the_next_sync_links_them() {
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
        note.contains("same work as timesheet 77: the next sync links them"),
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
    app.store()
        .write(|tx| tx.upsert_link(&key_of(5), &hand_made_link(), None))
        .unwrap();
    let detail = app.entry_detail(&key).unwrap();
    assert_eq!(detail.state, EntryState::Synced);
    assert_eq!(detail.timesheet_id, Some(HAND_MADE));
    assert_eq!(detail.note, None);
}

#[test]
fn an_answered_entry_deleted_in_zammad_is_not_shown_as_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    let key = park_twin(&app, 6);
    assert!(answer(&app, &key, false));
    // The next read finds the ticket without the entry: deleted in Zammad.
    read_ticket(&app, &[]);
    let e = app.entry_detail(&key).unwrap_err();
    assert_eq!(e.code, timebridge_types::ErrorCode::NotFound, "{e:?}");
}

#[test]
fn an_entry_whose_timesheet_the_user_let_go_is_left_alone_not_promised_a_booking() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(&tmp);
    let key = park_twin(&app, 7);
    assert!(answer(&app, &key, true));
    // Linked, then its timesheet deleted in Kimai and the deletion accepted: a tombstone.
    let source = key_of(7);
    app.store()
        .write(|tx| {
            tx.upsert_link(&source, &hand_made_link(), None)?;
            tx.tombstone_link(&source).map(drop)
        })
        .unwrap();
    let detail = app.entry_detail(&key).unwrap();
    assert_eq!(detail.state, EntryState::Held);
    let note = detail.note.unwrap_or_default();
    assert!(
        note.contains("accepted that its Kimai timesheet was deleted"),
        "{note}"
    );
}

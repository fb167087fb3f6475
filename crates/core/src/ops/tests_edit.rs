//! An edited timesheet for a conflict is checked when the decision is stored, whoever stores
//! it: the placement's rules hold for every caller of `Workspace::decide`, not only for the
//! desktop's form. On a real SQLite file with a stored conflict.

use chrono::NaiveDateTime;

use super::decisions::DecideError;
use super::Workspace;
use crate::secrets::MemoryStore;
use crate::sync::edit::EditProblem;
use crate::sync::plan::{ConflictKind, Resolution, SourceKey, TimesheetFields};
use crate::sync::time::Month;
use crate::ConflictRecord;
use crate::{Actor, Store};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
}

fn fields(begin: &str, end: &str, description: &str) -> TimesheetFields {
    TimesheetFields {
        begin: at(begin),
        end: at(end),
        project: 1,
        activity: 2,
        description: description.into(),
        tags: Vec::new(),
    }
}

fn key() -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: 7,
    }
}

/// A both-changed conflict on entry `acme#7` of March 2026.
fn with_conflict() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("timebridge.db")).unwrap();
    let zammad = fields(
        "2026-03-02T09:00",
        "2026-03-02T10:00",
        "Printer [tb:acme:7]",
    );
    let record = ConflictRecord {
        key: key(),
        kind: ConflictKind::BothChanged,
        timesheet_id: Some(40),
        source: Some(zammad.clone()),
        kimai: Some(fields(
            "2026-03-02T09:00",
            "2026-03-02T11:00",
            "Printer [tb:acme:7]",
        )),
        base: Some(zammad),
    };
    store.write(|w| w.record_conflict(None, &record)).unwrap();
    (dir, store)
}

fn decide(
    store: &Store,
    dir: &std::path::Path,
    edited: TimesheetFields,
) -> Result<(), DecideError> {
    let secrets = MemoryStore::default();
    let ws = Workspace::new(store, &secrets, dir, Actor::User);
    ws.decide(&key(), Resolution::Edit(edited)).map(|_| ())
}

#[test]
fn an_edit_that_breaks_a_placement_rule_is_refused_and_nothing_is_stored() {
    let (dir, store) = with_conflict();
    let refused = |edited| match decide(&store, dir.path(), edited) {
        Err(DecideError::BadEdit(problem)) => problem,
        other => panic!("not refused as a bad edit: {other:?}"),
    };

    assert_eq!(
        refused(fields(
            "2026-03-02T10:00",
            "2026-03-02T09:00",
            "x [tb:acme:7]"
        )),
        EditProblem::NotAfterBegin
    );
    assert_eq!(
        refused(fields(
            "2026-03-02T10:00",
            "2026-03-03T09:00",
            "x [tb:acme:7]"
        )),
        EditProblem::SpansDays
    );
    assert_eq!(
        refused(fields(
            "2026-04-01T10:00",
            "2026-04-01T11:00",
            "x [tb:acme:7]"
        )),
        EditProblem::OtherMonth {
            entry_month: Month::new(2026, 3).unwrap()
        }
    );
    assert!(matches!(
        refused(fields(
            "2026-03-02T09:00",
            "2026-03-02T10:00",
            "x [tb:acme:8]"
        )),
        EditProblem::OtherMarker(_)
    ));
    assert!(matches!(
        refused(fields("2026-03-02T09:00", "2026-03-02T10:00", "no marker")),
        EditProblem::NoMarker(_)
    ));
    store
        .close_month(Month::new(2026, 3).unwrap(), None)
        .unwrap();
    assert_eq!(
        refused(fields(
            "2026-03-02T09:00",
            "2026-03-02T10:00",
            "x [tb:acme:7]"
        )),
        EditProblem::MonthClosed(Month::new(2026, 3).unwrap())
    );
    assert!(store.resolutions().unwrap().is_empty(), "nothing stored");
}

#[test]
fn an_edit_that_keeps_the_rules_is_stored() {
    let (dir, store) = with_conflict();
    let edited = fields(
        "2026-03-02T09:15",
        "2026-03-03T00:00",
        "Printer fixed [tb:acme:7]",
    );

    decide(&store, dir.path(), edited.clone()).unwrap();

    assert_eq!(
        store.resolutions().unwrap().get(&key()),
        Some(&Resolution::Edit(edited))
    );
}

#[test]
fn open_decisions_carry_the_decision_taken() {
    let (dir, store) = with_conflict();
    let secrets = MemoryStore::default();
    let ws = Workspace::new(&store, &secrets, dir.path(), Actor::User);
    assert_eq!(ws.open_decisions().unwrap().conflicts[0].decided, None);

    ws.decide(&key(), Resolution::KeepKimai).unwrap();

    let open = ws.open_decisions().unwrap();
    assert_eq!(
        open.conflicts.len(),
        1,
        "open until the next sync settles it"
    );
    assert_eq!(open.conflicts[0].decided, Some(Resolution::KeepKimai));
    assert!(open.parked.is_empty());
}

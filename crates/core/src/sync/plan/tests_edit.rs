//! "Edit, then apply": the user's fields are written instead of Zammad's, Zammad's own
//! version becomes the source base (as with "keep Kimai's"), so planning again finds nothing
//! to do — until Zammad changes the entry again.

use super::tests::{self, apply, fields};
use super::*;

fn key() -> SourceKey {
    tests::key(1)
}

fn wanted(f: &TimesheetFields) -> SourceSide {
    SourceSide::Wanted(Desired {
        fields: f.clone(),
        month: "2026-03".parse().unwrap(),
        edited_from: None,
    })
}

fn present(f: &TimesheetFields, exported: bool) -> KimaiSide {
    KimaiSide::Present(KimaiRecord {
        fields: f.clone(),
        exported,
    })
}

/// Linked as timesheet 100 with `base` on both sides.
fn linked(source: SourceSide, kimai: KimaiSide, base: &TimesheetFields) -> PlanInput {
    let mut input = PlanInput::default();
    input.source.insert(key(), source);
    input.links.insert(
        key(),
        Link {
            timesheet_id: Some(100),
            base_source: base.clone(),
            base_kimai: base.clone(),
        },
    );
    input.kimai.insert(100, kimai);
    input
}

#[test]
fn both_changed_then_edited_writes_the_edit_and_then_nothing() {
    let (base, zammad, kimai) = (fields("a", 30), fields("z", 45), fields("k", 60));
    let edit = fields("mine", 50);
    let mut input = linked(wanted(&zammad), present(&kimai, false), &base);
    assert!(matches!(plan(&input).as_slice(), [Action::Conflict { .. }]));

    input
        .resolutions
        .insert(key(), Resolution::Edit(edit.clone()));
    let actions = plan(&input);
    match actions.as_slice() {
        [Action::Update {
            timesheet_id: 100,
            from,
            to,
            ..
        }] => {
            assert_eq!(from, &kimai);
            assert_eq!(to.fields, edit, "the edit is written");
            assert_eq!(
                to.source_fields(),
                &zammad,
                "Zammad's version is the new base"
            );
        }
        other => panic!("expected one update, got {other:?}"),
    }
    let mut next = 200;
    apply(&mut input, &actions, &mut next);
    assert_eq!(input.links[&key()].base_source, zammad);
    assert_eq!(input.links[&key()].base_kimai, edit);
    assert_eq!(
        plan(&input),
        vec![],
        "converged: Zammad unchanged, the edit kept"
    );

    // Zammad changes the entry again: that change is written over the edit, as after
    // "keep Kimai's".
    let newer = fields("z2", 90);
    input.source.insert(key(), wanted(&newer));
    match plan(&input).as_slice() {
        [Action::Update { from, to, .. }] => {
            assert_eq!((from, &to.fields), (&edit, &newer));
            assert_eq!(to.edited_from, None);
        }
        other => panic!("expected Zammad's new version, got {other:?}"),
    }
}

#[test]
fn deleted_in_kimai_then_edited_creates_the_edit() {
    let (base, edit) = (fields("a", 30), fields("mine", 20));
    let mut input = linked(wanted(&base), KimaiSide::Gone, &base);
    input
        .resolutions
        .insert(key(), Resolution::Edit(edit.clone()));
    let actions = plan(&input);
    match actions.as_slice() {
        [Action::Create { desired, .. }] => {
            assert_eq!(desired.fields, edit);
            assert_eq!(desired.source_fields(), &base);
        }
        other => panic!("expected a create, got {other:?}"),
    }
    let mut next = 200;
    apply(&mut input, &actions, &mut next);
    assert_eq!(plan(&input), vec![]);
}

#[test]
fn a_new_entry_in_a_closed_month_is_booked_as_edited() {
    let (zammad, edit) = (fields("z", 30), fields("mine", 15));
    let mut input = PlanInput::default();
    input.source.insert(key(), wanted(&zammad));
    input.closed_months.insert("2026-03".parse().unwrap());
    input
        .resolutions
        .insert(key(), Resolution::Edit(edit.clone()));
    let actions = plan(&input);
    assert!(
        matches!(actions.as_slice(), [Action::Create { desired, .. }] if desired.fields == edit)
    );
    let mut next = 200;
    apply(&mut input, &actions, &mut next);
    assert_eq!(plan(&input), vec![], "linked now, nothing changed since");
}

#[test]
fn an_edit_never_writes_a_billed_timesheet() {
    let (base, zammad, kimai) = (fields("a", 30), fields("z", 45), fields("k", 60));
    let mut input = linked(wanted(&zammad), present(&kimai, true), &base);
    input
        .resolutions
        .insert(key(), Resolution::Edit(fields("mine", 5)));
    assert!(matches!(
        plan(&input).as_slice(),
        [Action::Conflict {
            kind: ConflictKind::BilledChangedAtSource,
            ..
        }]
    ));
}

#[test]
fn an_edit_adopted_after_a_crash_rebases_on_zammad_without_writing() {
    // The create of an edit reached Kimai, the answer did not: the next run adopted it by its
    // marker with the edit as base on both sides, and the decision is still stored.
    let (zammad, edit) = (fields("z", 30), fields("mine", 15));
    let mut input = linked(wanted(&zammad), present(&edit, false), &edit);
    input
        .resolutions
        .insert(key(), Resolution::Edit(edit.clone()));
    let actions = plan(&input);
    match actions.as_slice() {
        [Action::KeepUserEdit { kimai, source, .. }] => {
            assert_eq!((kimai, source), (&edit, &zammad));
        }
        other => panic!("expected the edit kept, got {other:?}"),
    }
    let mut next = 200;
    apply(&mut input, &actions, &mut next);
    assert_eq!(plan(&input), vec![]);
}

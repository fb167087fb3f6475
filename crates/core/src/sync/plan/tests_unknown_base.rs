//! Links rebuilt from Kimai carry [`TimesheetFields::unknown`] as their base: the planner, left
//! unchanged, must then treat every difference as "both changed" — a conflict for the user —
//! and never overwrite or delete a timesheet the user may have edited.

use chrono::NaiveDate;

use super::*;

fn key() -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: 4711,
    }
}

fn fields(desc: &str, minutes: i64) -> TimesheetFields {
    let begin = NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    TimesheetFields {
        begin,
        end: begin + chrono::Duration::minutes(minutes),
        project: 7,
        activity: 3,
        description: format!("{desc} [tb:acme:4711]"),
        tags: vec!["zammad".into()],
    }
}

fn wanted(f: &TimesheetFields) -> SourceSide {
    SourceSide::Wanted(Desired {
        month: f.month(),
        edited_from: None,
        fields: f.clone(),
    })
}

fn present(f: &TimesheetFields, exported: bool) -> KimaiSide {
    KimaiSide::Present(KimaiRecord {
        fields: f.clone(),
        exported,
    })
}

/// Timesheet 100 linked to the entry with an unknown base, as `rebuild-links` writes it.
fn rebuilt(source: SourceSide, kimai: KimaiSide) -> PlanInput {
    let mut input = PlanInput::default();
    input.source.insert(key(), source);
    input.links.insert(
        key(),
        Link {
            timesheet_id: Some(100),
            base_source: TimesheetFields::unknown(),
            base_kimai: TimesheetFields::unknown(),
        },
    );
    input.kimai.insert(100, kimai);
    input
}

fn only(input: &PlanInput) -> Option<Action> {
    let actions = plan(input);
    assert!(actions.len() <= 1, "one decision per key: {actions:?}");
    actions.into_iter().next()
}

fn conflict(action: Option<Action>) -> (ConflictKind, Option<TimesheetFields>) {
    match action {
        Some(Action::Conflict { kind, base, .. }) => (kind, base),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn the_unknown_base_is_recognised_and_equals_no_real_timesheet() {
    let unknown = TimesheetFields::unknown();
    assert!(unknown.is_unknown());
    assert_eq!(unknown.project, 0);
    assert_eq!(unknown.activity, 0);
    assert_eq!(unknown.begin.to_string(), "1970-01-01 00:00:00");
    assert!(!fields("a", 30).is_unknown());
    let empty_but_real = TimesheetFields {
        project: 1,
        ..TimesheetFields::unknown()
    };
    assert!(
        !empty_but_real.is_unknown(),
        "a real project id is a real state"
    );
    assert_eq!(
        unknown.clone().normalized(),
        unknown,
        "normalizing keeps it"
    );
}

#[test]
fn equal_sides_rebase_silently_onto_a_real_base() {
    let f = fields("a", 30);
    let input = rebuilt(wanted(&f), present(&f, false));
    assert_eq!(
        only(&input),
        Some(Action::Rebase {
            key: key(),
            timesheet_id: 100,
            kimai: f.clone(),
            source: f.clone(),
        })
    );
    // Once rebased (a perfect executor moves the base), the link is in step.
    let mut next = input;
    next.links.insert(
        key(),
        Link {
            timesheet_id: Some(100),
            base_source: f.clone(),
            base_kimai: f,
        },
    );
    assert_eq!(only(&next), None);
}

#[test]
fn different_sides_are_a_both_changed_conflict_never_an_update() {
    // The user edited the timesheet in Kimai, or the entry changed in Zammad: which one is
    // unknown, so neither version wins on its own.
    let input = rebuilt(
        wanted(&fields("a", 30)),
        present(&fields("edited by hand", 45), false),
    );
    let (kind, base) = conflict(only(&input));
    assert_eq!(kind, ConflictKind::BothChanged);
    assert!(
        base.is_some_and(|b| b.is_unknown()),
        "the base shown is unknown"
    );
}

#[test]
fn the_users_decision_resolves_it_as_for_any_conflict() {
    let source = fields("a", 30);
    let kimai = fields("edited by hand", 45);
    let mut input = rebuilt(wanted(&source), present(&kimai, false));
    input.resolutions.insert(key(), Resolution::KeepKimai);
    assert_eq!(
        only(&input),
        Some(Action::KeepUserEdit {
            key: key(),
            timesheet_id: 100,
            kimai: kimai.clone(),
            source: source.clone(),
        })
    );
    input.resolutions.insert(key(), Resolution::TakeZammad);
    assert!(matches!(only(&input), Some(Action::Update { .. })));
}

#[test]
fn an_entry_gone_in_zammad_is_a_conflict_never_a_delete() {
    let input = rebuilt(SourceSide::Gone, present(&fields("a", 30), false));
    let (kind, _) = conflict(only(&input));
    assert_eq!(kind, ConflictKind::DeletedAtSourceEditedInKimai);
}

#[test]
fn a_timesheet_gone_in_kimai_is_a_conflict_never_a_create() {
    let input = rebuilt(wanted(&fields("a", 30)), KimaiSide::Gone);
    let (kind, _) = conflict(only(&input));
    assert_eq!(kind, ConflictKind::DeletedInKimai);
}

#[test]
fn an_exported_timesheet_is_never_touched() {
    let f = fields("a", 30);
    for (source, kimai) in [
        (wanted(&f), present(&f, true)),
        (wanted(&fields("b", 60)), present(&f, true)),
        (SourceSide::Gone, present(&f, true)),
    ] {
        let input = rebuilt(source, kimai);
        let action = only(&input);
        assert!(
            !action.as_ref().is_some_and(Action::writes_remote),
            "no write to an exported timesheet: {action:?}"
        );
        let (kind, _) = conflict(action);
        assert_eq!(kind, ConflictKind::BilledChangedAtSource);
    }
}

#[test]
fn unread_sides_decide_nothing() {
    let f = fields("a", 30);
    assert_eq!(only(&rebuilt(SourceSide::Unread, present(&f, false))), None);
    assert_eq!(only(&rebuilt(wanted(&f), KimaiSide::Unread)), None);
}

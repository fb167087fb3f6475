//! The decision table, row by row, plus convergence: applying a plan and planning again
//! yields nothing to do.

use chrono::NaiveDate;

use super::*;

pub(super) fn key(id: i64) -> SourceKey {
    SourceKey {
        instance: "acme".into(),
        time_accounting_id: id,
    }
}

pub(super) fn fields(desc: &str, minutes: i64) -> TimesheetFields {
    let begin = NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    TimesheetFields {
        begin,
        end: begin + chrono::Duration::minutes(minutes),
        project: 7,
        activity: 3,
        description: desc.into(),
        tags: vec!["zammad".into()],
    }
}

fn wanted(f: TimesheetFields) -> SourceSide {
    SourceSide::Wanted(Desired {
        month: f.month(),
        edited_from: None,
        fields: f,
    })
}

fn present(f: TimesheetFields) -> KimaiSide {
    KimaiSide::Present(KimaiRecord {
        fields: f,
        exported: false,
    })
}

fn exported(f: TimesheetFields) -> KimaiSide {
    KimaiSide::Present(KimaiRecord {
        fields: f,
        exported: true,
    })
}

/// One linked entry (timesheet 100) whose base is `base` on both sides.
fn linked(source: SourceSide, kimai: KimaiSide, base: TimesheetFields) -> PlanInput {
    let mut input = PlanInput::default();
    input.source.insert(key(1), source);
    input.links.insert(
        key(1),
        Link {
            timesheet_id: Some(100),
            base_source: base.clone(),
            base_kimai: base,
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

fn conflict_kind(action: Option<Action>) -> ConflictKind {
    match action {
        Some(Action::Conflict { kind, .. }) => kind,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn row_01_new_entry_is_created() {
    let mut input = PlanInput::default();
    input.source.insert(key(1), wanted(fields("a", 30)));
    assert!(matches!(only(&input), Some(Action::Create { .. })));
}

#[test]
fn row_02_new_entry_in_a_closed_month_is_a_conflict_until_the_user_says_so() {
    let mut input = PlanInput::default();
    input.source.insert(key(1), wanted(fields("a", 30)));
    input.closed_months.insert("2026-03".parse().unwrap());
    assert_eq!(
        conflict_kind(only(&input)),
        ConflictKind::NewEntryInClosedMonth
    );
    input.resolutions.insert(key(1), Resolution::TakeZammad);
    assert!(matches!(only(&input), Some(Action::Create { .. })));
}

#[test]
fn row_03_unmapped_entry_is_parked_never_dropped() {
    let mut input = PlanInput::default();
    let reason = ParkReason::NeedsMapping {
        detail: "organization Acme".into(),
    };
    input
        .source
        .insert(key(1), SourceSide::Parked(reason.clone()));
    assert_eq!(
        only(&input),
        Some(Action::Park {
            key: key(1),
            reason
        })
    );
}

#[test]
fn row_04_unlinked_gone_or_unread_entries_need_nothing() {
    let mut input = PlanInput::default();
    input.source.insert(key(1), SourceSide::Gone);
    input.source.insert(key(2), SourceSide::Unread);
    assert!(plan(&input).is_empty());
}

#[test]
fn row_05_in_step_means_no_action() {
    let f = fields("a", 30);
    assert_eq!(
        only(&linked(wanted(f.clone()), present(f.clone()), f)),
        None
    );
}

#[test]
fn row_05b_tag_order_is_not_a_change() {
    let base = TimesheetFields {
        tags: vec!["a".into(), "b".into()],
        ..fields("a", 30)
    };
    let kimai = TimesheetFields {
        tags: vec!["b".into(), "a".into()],
        ..base.clone()
    };
    assert_eq!(
        only(&linked(wanted(base.clone()), present(kimai), base)),
        None
    );
}

#[test]
fn row_06_only_zammad_changed_updates_kimai() {
    let base = fields("a", 30);
    let input = linked(wanted(fields("a", 45)), present(base.clone()), base.clone());
    match only(&input) {
        Some(Action::Update {
            timesheet_id: 100,
            from,
            to,
            ..
        }) => {
            assert_eq!(from, base);
            assert_eq!(to.fields, fields("a", 45));
        }
        other => panic!("expected an update, got {other:?}"),
    }
}

#[test]
fn row_07_only_kimai_changed_keeps_the_users_edit() {
    let base = fields("a", 30);
    let edited = fields("a, with notes", 30);
    let input = linked(wanted(base.clone()), present(edited.clone()), base.clone());
    assert_eq!(
        only(&input),
        Some(Action::KeepUserEdit {
            key: key(1),
            timesheet_id: 100,
            kimai: edited,
            source: base
        })
    );
}

#[test]
fn row_08_equal_changes_on_both_sides_are_not_a_conflict() {
    let base = fields("a", 30);
    let both = fields("a", 45);
    let input = linked(wanted(both.clone()), present(both.clone()), base);
    assert!(matches!(only(&input), Some(Action::Rebase { .. })));
}

#[test]
fn row_09_different_changes_on_both_sides_are_a_conflict() {
    let base = fields("a", 30);
    let mut input = linked(
        wanted(fields("a", 45)),
        present(fields("b", 30)),
        base.clone(),
    );
    match only(&input) {
        Some(Action::Conflict {
            kind,
            source,
            kimai,
            base: b,
            timesheet_id,
            ..
        }) => {
            assert_eq!(kind, ConflictKind::BothChanged);
            assert_eq!(timesheet_id, Some(100));
            assert_eq!(source, Some(fields("a", 45)));
            assert_eq!(kimai, Some(fields("b", 30)));
            assert_eq!(b, Some(base));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    input.resolutions.insert(key(1), Resolution::TakeZammad);
    assert!(matches!(only(&input), Some(Action::Update { .. })));
    input.resolutions.insert(key(1), Resolution::KeepKimai);
    assert!(matches!(only(&input), Some(Action::KeepUserEdit { .. })));
    input.resolutions.insert(key(1), Resolution::Ignore);
    assert_eq!(only(&input), None);
}

#[test]
fn row_10_a_billed_timesheet_is_never_updated() {
    let base = fields("a", 30);
    let input = linked(
        wanted(fields("a", 45)),
        exported(base.clone()),
        base.clone(),
    );
    assert_eq!(
        conflict_kind(only(&input)),
        ConflictKind::BilledChangedAtSource
    );

    let mut closed = linked(wanted(fields("a", 45)), present(base.clone()), base.clone());
    closed.closed_months.insert("2026-03".parse().unwrap());
    assert_eq!(
        conflict_kind(only(&closed)),
        ConflictKind::BilledChangedAtSource
    );
    closed.resolutions.insert(key(1), Resolution::TakeZammad);
    assert_eq!(
        conflict_kind(only(&closed)),
        ConflictKind::BilledChangedAtSource,
        "not even on request: the month is billed"
    );
    closed.resolutions.insert(key(1), Resolution::KeepKimai);
    assert!(matches!(only(&closed), Some(Action::KeepUserEdit { .. })));
}

#[test]
fn row_10b_an_unchanged_billed_timesheet_needs_nothing() {
    let base = fields("a", 30);
    assert_eq!(
        only(&linked(wanted(base.clone()), exported(base.clone()), base)),
        None
    );
}

#[test]
fn row_11_deleted_in_zammad_and_unchanged_in_kimai_is_deleted() {
    let base = fields("a", 30);
    let input = linked(SourceSide::Gone, present(base.clone()), base);
    assert_eq!(
        only(&input),
        Some(Action::Delete {
            key: key(1),
            timesheet_id: 100
        })
    );
}

#[test]
fn row_12_deleted_in_zammad_but_edited_in_kimai_is_a_conflict() {
    let base = fields("a", 30);
    let mut input = linked(SourceSide::Gone, present(fields("edited", 30)), base);
    assert_eq!(
        conflict_kind(only(&input)),
        ConflictKind::DeletedAtSourceEditedInKimai
    );
    input.resolutions.insert(key(1), Resolution::AcceptDeletion);
    assert!(matches!(only(&input), Some(Action::Delete { .. })));
    input.resolutions.insert(key(1), Resolution::KeepKimai);
    assert_eq!(
        only(&input),
        Some(Action::ForgetLink {
            key: key(1),
            tombstone: true
        })
    );
}

#[test]
fn row_13_deleted_in_zammad_but_billed_is_a_conflict() {
    let base = fields("a", 30);
    let input = linked(SourceSide::Gone, exported(base.clone()), base);
    assert_eq!(
        conflict_kind(only(&input)),
        ConflictKind::BilledChangedAtSource
    );
}

#[test]
fn row_14_deleted_in_kimai_is_a_conflict_recreate_or_accept() {
    let base = fields("a", 30);
    let mut input = linked(wanted(base.clone()), KimaiSide::Gone, base);
    assert_eq!(conflict_kind(only(&input)), ConflictKind::DeletedInKimai);
    input.resolutions.insert(key(1), Resolution::Recreate);
    assert!(matches!(only(&input), Some(Action::Create { .. })));
    input.resolutions.insert(key(1), Resolution::AcceptDeletion);
    assert_eq!(
        only(&input),
        Some(Action::ForgetLink {
            key: key(1),
            tombstone: true
        })
    );
}

#[test]
fn row_15_gone_on_both_sides_forgets_the_link() {
    let base = fields("a", 30);
    let input = linked(SourceSide::Gone, KimaiSide::Gone, base);
    assert_eq!(
        only(&input),
        Some(Action::ForgetLink {
            key: key(1),
            tombstone: false
        })
    );
}

#[test]
fn row_16_nothing_is_decided_from_an_incomplete_read() {
    let base = fields("a", 30);
    // Kimai looks deleted, but Zammad was not read: no conflict, no re-create.
    assert_eq!(
        only(&linked(SourceSide::Unread, KimaiSide::Gone, base.clone())),
        None
    );
    // Zammad looks deleted, but Kimai was not read: no delete.
    assert_eq!(
        only(&linked(SourceSide::Gone, KimaiSide::Unread, base.clone())),
        None
    );
    // A linked entry missing from the source map counts as unread, not as deleted.
    let mut input = linked(SourceSide::Gone, present(base.clone()), base);
    input.source.clear();
    assert_eq!(only(&input), None);
}

#[test]
fn row_17_a_tombstone_keeps_an_accepted_deletion_from_coming_back() {
    let base = fields("a", 30);
    let mut input = linked(wanted(base.clone()), KimaiSide::Gone, base);
    input.links.get_mut(&key(1)).unwrap().timesheet_id = None;
    assert_eq!(only(&input), None);
}

#[test]
fn row_18_ignored_entries_are_left_alone() {
    let mut input = PlanInput::default();
    input.source.insert(key(1), wanted(fields("a", 30)));
    input.ignored.insert(key(1));
    assert!(plan(&input).is_empty());
}

#[test]
fn row_19_a_linked_entry_that_lost_its_mapping_is_parked_and_its_timesheet_kept() {
    let base = fields("a", 30);
    let reason = ParkReason::NeedsMapping {
        detail: "mapping removed".into(),
    };
    let input = linked(
        SourceSide::Parked(reason.clone()),
        present(base.clone()),
        base,
    );
    assert_eq!(
        only(&input),
        Some(Action::Park {
            key: key(1),
            reason
        })
    );
}

#[test]
fn actions_are_sorted_by_key_and_independent_of_insertion_order() {
    let mut a = PlanInput::default();
    for id in [5, 1, 3] {
        a.source.insert(key(id), wanted(fields("x", id * 10)));
    }
    let mut other = SourceKey {
        instance: "globex".into(),
        time_accounting_id: 1,
    };
    a.source.insert(other.clone(), wanted(fields("y", 15)));
    let keys: Vec<_> = plan(&a).iter().map(|x| x.key().clone()).collect();
    assert_eq!(keys, vec![key(1), key(3), key(5), other.clone()]);
    other.time_accounting_id = 1;
    assert!(
        keys.contains(&other),
        "the same id in another instance is another entry"
    );
}

/// Carries a plan out on the planner's own inputs, as a perfect executor would.
pub(super) fn apply(input: &mut PlanInput, actions: &[Action], next_id: &mut i64) {
    for action in actions {
        match action.clone() {
            Action::Create { key, desired } => {
                *next_id += 1;
                input
                    .kimai
                    .insert(*next_id, present(desired.fields.clone()));
                input.links.insert(
                    key,
                    Link {
                        timesheet_id: Some(*next_id),
                        base_source: desired.source_fields().clone(),
                        base_kimai: desired.fields,
                    },
                );
            }
            Action::Update {
                key,
                timesheet_id,
                to,
                ..
            } => {
                input.kimai.insert(timesheet_id, present(to.fields.clone()));
                let link = input.links.get_mut(&key).unwrap();
                link.base_source = to.source_fields().clone();
                link.base_kimai = to.fields;
            }
            Action::Delete { key, timesheet_id } => {
                input.kimai.insert(timesheet_id, KimaiSide::Gone);
                input.links.remove(&key);
            }
            Action::KeepUserEdit {
                key, kimai, source, ..
            }
            | Action::Rebase {
                key, kimai, source, ..
            } => {
                let link = input.links.get_mut(&key).unwrap();
                link.base_kimai = kimai;
                link.base_source = source;
            }
            Action::ForgetLink { key, tombstone } => {
                if tombstone {
                    input.links.get_mut(&key).unwrap().timesheet_id = None;
                } else {
                    input.links.remove(&key);
                }
            }
            Action::Park { .. } | Action::Conflict { .. } => {}
        }
        input.resolutions.remove(action.key());
    }
}

#[test]
fn applying_a_plan_and_planning_again_leaves_only_what_needs_the_user() {
    let base = fields("a", 30);
    let mut input = PlanInput::default();
    // A mix of every row.
    input.source.insert(key(1), wanted(fields("new", 20)));
    input
        .source
        .insert(key(2), SourceSide::Parked(ParkReason::AmbiguousMarker));
    for (id, source, kimai) in [
        (10, wanted(base.clone()), present(base.clone())),
        (11, wanted(fields("a", 45)), present(base.clone())),
        (12, wanted(base.clone()), present(fields("user", 30))),
        (13, wanted(fields("a", 45)), present(fields("a", 45))),
        (14, wanted(fields("a", 45)), present(fields("user", 30))),
        (15, SourceSide::Gone, present(base.clone())),
        (16, wanted(base.clone()), KimaiSide::Gone),
        (17, SourceSide::Gone, KimaiSide::Gone),
    ] {
        input.source.insert(key(id), source);
        input.links.insert(
            key(id),
            Link {
                timesheet_id: Some(id * 10),
                base_source: base.clone(),
                base_kimai: base.clone(),
            },
        );
        input.kimai.insert(id * 10, kimai);
    }
    let first = plan(&input);
    assert_eq!(
        first.iter().filter(|a| a.writes_remote()).count(),
        3,
        "{first:#?}"
    );
    let mut next_id = 1000;
    apply(&mut input, &first, &mut next_id);
    // Deleted entries are gone from Zammad's next read too.
    let second = plan(&input);
    assert!(
        second
            .iter()
            .all(|a| matches!(a, Action::Park { .. } | Action::Conflict { .. })),
        "only what needs the user is left: {second:#?}"
    );
    assert_eq!(
        second.len(),
        3,
        "the park, the both-changed and the deleted-in-Kimai conflicts"
    );
    assert_eq!(plan(&input), second, "planning is deterministic");
}

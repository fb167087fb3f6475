//! The decision table, one key at a time. Each arm is a row of the table in
//! docs/sync-model.md; the tests in `tests.rs` name the rows.

use std::collections::BTreeSet;

use super::model::{
    Action, ConflictKind, Desired, KimaiRecord, KimaiSide, Link, PlanInput, Resolution, SourceKey,
    SourceSide, TimesheetFields,
};

/// Every key the planner must look at: entries read this run and entries linked earlier.
pub(super) fn keys(input: &PlanInput) -> BTreeSet<SourceKey> {
    input
        .source
        .keys()
        .chain(input.links.keys())
        .cloned()
        .collect()
}

/// The decision for one key; `None` = nothing to do.
pub(super) fn decide(input: &PlanInput, key: &SourceKey) -> Option<Action> {
    let resolution = input.resolutions.get(key);
    if input.ignored.contains(key) || resolution == Some(&Resolution::Ignore) {
        return None;
    }
    let source = input.source.get(key).cloned().unwrap_or(SourceSide::Unread);
    let Some(link) = input.links.get(key) else {
        return unlinked(input, key, source, resolution);
    };
    // A tombstone: the user accepted that the timesheet is gone; never create it again.
    let timesheet_id = link.timesheet_id?;
    let kimai = input
        .kimai
        .get(&timesheet_id)
        .cloned()
        .unwrap_or(KimaiSide::Unread);
    linked(input, key, link, timesheet_id, source, kimai, resolution)
}

/// A billed timesheet is never written: exported, or in a closed month (by its own begin or
/// by the month Zammad now places the entry in).
fn billed(input: &PlanInput, record: &KimaiRecord, desired: Option<&Desired>) -> bool {
    record.exported
        || input.closed_months.contains(&record.fields.month())
        || desired.is_some_and(|d| input.closed_months.contains(&d.month))
}

fn same(a: &TimesheetFields, b: &TimesheetFields) -> bool {
    a.clone().normalized() == b.clone().normalized()
}

/// The user's edit of Zammad's version, written instead of it; Zammad's own fields ride along
/// as the source base, so the next run sees Zammad unchanged and keeps the edit.
fn edited(desired: Desired, fields: &TimesheetFields) -> Desired {
    Desired {
        fields: fields.clone().normalized(),
        month: desired.month,
        edited_from: Some(desired.fields),
    }
}

fn unlinked(
    input: &PlanInput,
    key: &SourceKey,
    source: SourceSide,
    resolution: Option<&Resolution>,
) -> Option<Action> {
    let key = key.clone();
    match source {
        SourceSide::Wanted(desired) if input.closed_months.contains(&desired.month) => {
            match resolution {
                Some(Resolution::TakeZammad) => Some(Action::Create { key, desired }),
                Some(Resolution::Edit(fields)) => Some(Action::Create {
                    key,
                    desired: edited(desired, fields),
                }),
                _ => Some(Action::Conflict {
                    key,
                    timesheet_id: None,
                    kind: ConflictKind::NewEntryInClosedMonth,
                    source: Some(desired.fields),
                    kimai: None,
                    base: None,
                }),
            }
        }
        SourceSide::Wanted(desired) => Some(Action::Create { key, desired }),
        SourceSide::Parked(reason) => Some(Action::Park { key, reason }),
        SourceSide::Gone | SourceSide::Unread => None,
    }
}

fn conflict(
    key: &SourceKey,
    timesheet_id: i64,
    kind: ConflictKind,
    source: Option<&TimesheetFields>,
    kimai: Option<&TimesheetFields>,
    link: &Link,
) -> Option<Action> {
    Some(Action::Conflict {
        key: key.clone(),
        timesheet_id: Some(timesheet_id),
        kind,
        source: source.cloned(),
        kimai: kimai.cloned(),
        base: Some(link.base_kimai.clone()),
    })
}

fn linked(
    input: &PlanInput,
    key: &SourceKey,
    link: &Link,
    timesheet_id: i64,
    source: SourceSide,
    kimai: KimaiSide,
    resolution: Option<&Resolution>,
) -> Option<Action> {
    use Resolution as R;
    let k = key.clone();
    match (source, kimai) {
        // Never decide anything from a side that was not read completely.
        (SourceSide::Unread, _) | (_, KimaiSide::Unread) => None,
        // Lost its mapping (or became an unapplied correction): leave the timesheet alone.
        (SourceSide::Parked(reason), _) => Some(Action::Park { key: k, reason }),
        (SourceSide::Gone, KimaiSide::Gone) => Some(Action::ForgetLink {
            key: k,
            tombstone: false,
        }),
        (SourceSide::Wanted(desired), KimaiSide::Gone) => match resolution {
            Some(R::Recreate) => Some(Action::Create { key: k, desired }),
            Some(R::Edit(fields)) => Some(Action::Create {
                key: k,
                desired: edited(desired, fields),
            }),
            Some(R::AcceptDeletion) => Some(Action::ForgetLink {
                key: k,
                tombstone: true,
            }),
            _ => conflict(
                key,
                timesheet_id,
                ConflictKind::DeletedInKimai,
                Some(&desired.fields),
                None,
                link,
            ),
        },
        (SourceSide::Gone, KimaiSide::Present(record)) => {
            let edited = !same(&record.fields, &link.base_kimai);
            if billed(input, &record, None) {
                conflict(
                    key,
                    timesheet_id,
                    ConflictKind::BilledChangedAtSource,
                    None,
                    Some(&record.fields),
                    link,
                )
            } else if !edited {
                Some(Action::Delete {
                    key: k,
                    timesheet_id,
                })
            } else {
                match resolution {
                    Some(R::TakeZammad | R::AcceptDeletion) => Some(Action::Delete {
                        key: k,
                        timesheet_id,
                    }),
                    Some(R::KeepKimai) => Some(Action::ForgetLink {
                        key: k,
                        tombstone: true,
                    }),
                    _ => conflict(
                        key,
                        timesheet_id,
                        ConflictKind::DeletedAtSourceEditedInKimai,
                        None,
                        Some(&record.fields),
                        link,
                    ),
                }
            }
        }
        (SourceSide::Wanted(desired), KimaiSide::Present(record)) => {
            let source_changed = !same(&desired.fields, &link.base_source);
            let kimai_changed = !same(&record.fields, &link.base_kimai);
            let keep = |kimai: TimesheetFields, source: TimesheetFields| {
                Some(Action::KeepUserEdit {
                    key: k.clone(),
                    timesheet_id,
                    kimai,
                    source,
                })
            };
            match (source_changed, kimai_changed) {
                (false, false) => None,
                (false, true) => keep(record.fields, desired.fields),
                (true, _) if billed(input, &record, Some(&desired)) => match resolution {
                    Some(R::KeepKimai) => keep(record.fields, desired.fields),
                    _ => conflict(
                        key,
                        timesheet_id,
                        ConflictKind::BilledChangedAtSource,
                        Some(&desired.fields),
                        Some(&record.fields),
                        link,
                    ),
                },
                // An edit written before a crash and adopted by its marker: its base is the
                // edit on both sides; Zammad's version becomes the source base, nothing written.
                (true, false) if matches!(resolution, Some(R::Edit(f)) if same(&record.fields, f)) => {
                    keep(record.fields, desired.fields)
                }
                (true, false) => Some(Action::Update {
                    key: k,
                    timesheet_id,
                    from: record.fields,
                    to: desired,
                }),
                (true, true) if same(&record.fields, &desired.fields) => Some(Action::Rebase {
                    key: k,
                    timesheet_id,
                    kimai: record.fields,
                    source: desired.fields,
                }),
                (true, true) => match resolution {
                    Some(R::TakeZammad) => Some(Action::Update {
                        key: k,
                        timesheet_id,
                        from: record.fields,
                        to: desired,
                    }),
                    Some(R::KeepKimai) => keep(record.fields, desired.fields),
                    Some(R::Edit(fields)) => Some(Action::Update {
                        key: k,
                        timesheet_id,
                        from: record.fields,
                        to: edited(desired, fields),
                    }),
                    _ => conflict(
                        key,
                        timesheet_id,
                        ConflictKind::BothChanged,
                        Some(&desired.fields),
                        Some(&record.fields),
                        link,
                    ),
                },
            }
        }
    }
}

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
    linked(input, key, link, timesheet_id, (source, kimai), resolution)
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

/// One linked key being decided: what the decision needs besides the two sides.
struct Linked<'a> {
    input: &'a PlanInput,
    key: &'a SourceKey,
    link: &'a Link,
    timesheet_id: i64,
    resolution: Option<&'a Resolution>,
}

/// A key with a link to a timesheet: the table's rows by what each side holds now.
fn linked(
    input: &PlanInput,
    key: &SourceKey,
    link: &Link,
    timesheet_id: i64,
    (source, kimai): (SourceSide, KimaiSide),
    resolution: Option<&Resolution>,
) -> Option<Action> {
    let row = Linked {
        input,
        key,
        link,
        timesheet_id,
        resolution,
    };
    match (source, kimai) {
        // Never decide anything from a side that was not read completely.
        (SourceSide::Unread, _) | (_, KimaiSide::Unread) => None,
        // Lost its mapping (or became an unapplied correction): leave the timesheet alone.
        (SourceSide::Parked(reason), _) => Some(Action::Park {
            key: key.clone(),
            reason,
        }),
        (SourceSide::Gone, KimaiSide::Gone) => row.forget(false),
        (SourceSide::Wanted(desired), KimaiSide::Gone) => row.deleted_in_kimai(desired),
        (SourceSide::Gone, KimaiSide::Present(record)) => row.gone_at_source(record),
        (SourceSide::Wanted(desired), KimaiSide::Present(record)) => row.on_both(desired, record),
    }
}

impl Linked<'_> {
    fn conflict(
        &self,
        kind: ConflictKind,
        source: Option<&TimesheetFields>,
        kimai: Option<&TimesheetFields>,
    ) -> Option<Action> {
        Some(Action::Conflict {
            key: self.key.clone(),
            timesheet_id: Some(self.timesheet_id),
            kind,
            source: source.cloned(),
            kimai: kimai.cloned(),
            base: Some(self.link.base_kimai.clone()),
        })
    }

    fn forget(&self, tombstone: bool) -> Option<Action> {
        Some(Action::ForgetLink {
            key: self.key.clone(),
            tombstone,
        })
    }

    fn create(&self, desired: Desired) -> Option<Action> {
        Some(Action::Create {
            key: self.key.clone(),
            desired,
        })
    }

    fn delete(&self) -> Option<Action> {
        Some(Action::Delete {
            key: self.key.clone(),
            timesheet_id: self.timesheet_id,
        })
    }

    fn update(&self, from: TimesheetFields, to: Desired) -> Option<Action> {
        Some(Action::Update {
            key: self.key.clone(),
            timesheet_id: self.timesheet_id,
            from,
            to,
        })
    }

    /// Kimai keeps the user's edit; Zammad's version becomes the source base.
    fn keep(&self, kimai: TimesheetFields, source: TimesheetFields) -> Option<Action> {
        Some(Action::KeepUserEdit {
            key: self.key.clone(),
            timesheet_id: self.timesheet_id,
            kimai,
            source,
        })
    }

    /// Zammad still wants the entry; its timesheet was deleted in Kimai.
    fn deleted_in_kimai(&self, desired: Desired) -> Option<Action> {
        match self.resolution {
            Some(Resolution::Recreate) => self.create(desired),
            Some(Resolution::Edit(fields)) => self.create(edited(desired, fields)),
            Some(Resolution::AcceptDeletion) => self.forget(true),
            _ => self.conflict(ConflictKind::DeletedInKimai, Some(&desired.fields), None),
        }
    }

    /// The entry is gone from Zammad; its timesheet is still in Kimai.
    fn gone_at_source(&self, record: KimaiRecord) -> Option<Action> {
        let edited = !same(&record.fields, &self.link.base_kimai);
        if billed(self.input, &record, None) {
            return self.conflict(
                ConflictKind::BilledChangedAtSource,
                None,
                Some(&record.fields),
            );
        }
        if !edited {
            return self.delete();
        }
        match self.resolution {
            Some(Resolution::TakeZammad | Resolution::AcceptDeletion) => self.delete(),
            Some(Resolution::KeepKimai) => self.forget(true),
            _ => self.conflict(
                ConflictKind::DeletedAtSourceEditedInKimai,
                None,
                Some(&record.fields),
            ),
        }
    }

    /// Both sides hold the entry: compared with the bases the last write left.
    fn on_both(&self, desired: Desired, record: KimaiRecord) -> Option<Action> {
        use Resolution as R;
        let source_changed = !same(&desired.fields, &self.link.base_source);
        let kimai_changed = !same(&record.fields, &self.link.base_kimai);
        match (source_changed, kimai_changed) {
            (false, false) => None,
            (false, true) => self.keep(record.fields, desired.fields),
            (true, _) if billed(self.input, &record, Some(&desired)) => match self.resolution {
                Some(R::KeepKimai) => self.keep(record.fields, desired.fields),
                _ => self.conflict(
                    ConflictKind::BilledChangedAtSource,
                    Some(&desired.fields),
                    Some(&record.fields),
                ),
            },
            // An edit written before a crash and adopted by its marker: its base is the
            // edit on both sides; Zammad's version becomes the source base, nothing written.
            (true, false) if matches!(self.resolution, Some(R::Edit(f)) if same(&record.fields, f)) => {
                self.keep(record.fields, desired.fields)
            }
            (true, false) => self.update(record.fields, desired),
            (true, true) if same(&record.fields, &desired.fields) => Some(Action::Rebase {
                key: self.key.clone(),
                timesheet_id: self.timesheet_id,
                kimai: record.fields,
                source: desired.fields,
            }),
            (true, true) => match self.resolution {
                Some(R::TakeZammad) => self.update(record.fields, desired),
                Some(R::KeepKimai) => self.keep(record.fields, desired.fields),
                Some(R::Edit(fields)) => self.update(record.fields, edited(desired, fields)),
                _ => self.conflict(
                    ConflictKind::BothChanged,
                    Some(&desired.fields),
                    Some(&record.fields),
                ),
            },
        }
    }
}

//! Decisions the user takes locally — on a conflict, a write Kimai refused, a possible twin,
//! a helpdesk's first sync, a changed time unit — stored at once (offline too) for the next
//! sync to carry out. Both front ends take them here, so they refuse the same things: a
//! decision the decision table (docs/sync-model.md) does not give a conflict's kind, an entry
//! that is not waiting for that decision.

use std::collections::BTreeMap;

use super::{OpError, Workspace};
use crate::engine::first_sync::FirstSyncPreview;
use crate::sync::edit::{check_edit, EditProblem};
use crate::sync::entries::InstanceKey;
use crate::sync::plan::{ConflictKind, Resolution, SourceKey};
use crate::sync::time::TimeUnit;
use crate::{HeldEntry, ParkedEntry, Store, StoreError, StoredConflict};

/// An open conflict with the decision already taken on it (the next sync carries it out).
#[derive(Clone, Debug)]
pub struct OpenConflict {
    /// The conflict as the last run reported it.
    pub conflict: StoredConflict,
    /// The user's decision, `None` while there is none.
    pub decided: Option<Resolution>,
}

/// A parked entry with the decision already taken on it (only `ignore` applies, see
/// [`PARKED_CHOICES`]).
#[derive(Clone, Debug)]
pub struct OpenParked {
    /// The entry and why it is parked.
    pub entry: ParkedEntry,
    /// The decision stored for it: `ignore` once the user said so (a decision left from
    /// when it was a conflict stays until the next sync settles it).
    pub decided: Option<Resolution>,
}

/// What waits for the user's decision: open conflicts and parked entries, by key.
#[derive(Clone, Debug, Default)]
pub struct OpenDecisions {
    /// Open conflicts.
    pub conflicts: Vec<OpenConflict>,
    /// Parked entries.
    pub parked: Vec<OpenParked>,
}

/// The decisions a parked entry takes: it is booked once its cause is fixed, or ignored.
pub const PARKED_CHOICES: &[Resolution] = &[Resolution::Ignore];

/// The decisions the decision table gives each kind of conflict; `ignore` applies to all.
pub fn choices(kind: ConflictKind) -> &'static [Resolution] {
    use Resolution::{AcceptDeletion, Ignore, KeepKimai, Recreate, TakeZammad};
    match kind {
        ConflictKind::NewEntryInClosedMonth => &[TakeZammad, Ignore],
        ConflictKind::BothChanged => &[TakeZammad, KeepKimai, Ignore],
        ConflictKind::BilledChangedAtSource => &[KeepKimai, Ignore],
        ConflictKind::DeletedAtSourceEditedInKimai => &[AcceptDeletion, KeepKimai, Ignore],
        ConflictKind::DeletedInKimai => &[Recreate, AcceptDeletion, Ignore],
    }
}

/// A conflict's kind in plain words: what happened and what the choices mean.
pub fn reason(kind: ConflictKind) -> &'static str {
    match kind {
        ConflictKind::BothChanged => {
            "The entry changed in Zammad, and someone also changed its timesheet in Kimai, \
             differently. Choose which version to keep."
        }
        ConflictKind::BilledChangedAtSource => {
            "The entry changed or was deleted in Zammad, but its timesheet is already billed \
             (exported or in a closed month), so Timebridge will not touch it."
        }
        ConflictKind::DeletedInKimai => {
            "The timesheet was deleted in Kimai, but the entry still exists in Zammad. Create \
             it again, or accept that it is gone."
        }
        ConflictKind::DeletedAtSourceEditedInKimai => {
            "The entry was deleted in Zammad, but its timesheet had been edited in Kimai. \
             Delete it too, or keep the edited timesheet."
        }
        ConflictKind::NewEntryInClosedMonth => {
            "A new entry belongs to a month that is already billed. Book it anyway, or leave \
             it out."
        }
    }
}

/// Why a decision was not stored.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    /// The entry has no open conflict (and is not a parked entry being ignored).
    #[error("the entry has no open conflict")]
    NoConflict {
        /// Whether it is parked (then only `ignore` applies).
        parked: bool,
    },
    /// The edited timesheet breaks a placement rule; nothing was stored.
    #[error(transparent)]
    BadEdit(#[from] EditProblem),
    /// The decision does not apply to this kind of conflict.
    #[error("this decision does not apply to this kind of conflict")]
    NotApplicable {
        /// The conflict's kind.
        kind: ConflictKind,
    },
    /// The local database could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stores `resolution` for `key` after checking it applies: an open conflict whose kind
/// allows it, or `ignore` for a parked entry. `ignore` also takes the entry out of the sync.
/// Returns the conflict's kind (`None` for a parked entry).
fn decide(
    store: &Store,
    key: &SourceKey,
    resolution: Resolution,
) -> Result<Option<ConflictKind>, DecideError> {
    let record = store
        .conflicts()?
        .into_iter()
        .find(|c| &c.record.key == key)
        .map(|c| c.record);
    let conflict = record.as_ref().map(|r| r.kind);
    let parked = store.parked()?.iter().any(|p| &p.key == key);
    if conflict.is_none() && !(parked && resolution == Resolution::Ignore) {
        return Err(DecideError::NoConflict { parked });
    }
    if let Some(record) = &record {
        let kind = record.kind;
        let allowed = match &resolution {
            Resolution::Edit(_) => edit_applies(kind),
            r => choices(kind).contains(r),
        };
        if !allowed {
            return Err(DecideError::NotApplicable { kind });
        }
        if let Resolution::Edit(edited) = &resolution {
            let zammad = record
                .source
                .as_ref()
                .ok_or(DecideError::NotApplicable { kind })?;
            let closed = store.closed_months()?;
            check_edit(key, kind, zammad, edited, |m| closed.contains(&m))?;
        }
    }
    let ignore = resolution == Resolution::Ignore;
    store.resolve(key, resolution)?;
    if ignore {
        store.ignore(key)?;
    }
    Ok(conflict)
}

/// The conflicts an edit applies to: those with a Zammad version to start from that may be
/// written (a billed timesheet never is; an entry deleted in Zammad has nothing to edit).
pub fn edit_applies(kind: ConflictKind) -> bool {
    matches!(
        kind,
        ConflictKind::BothChanged
            | ConflictKind::DeletedInKimai
            | ConflictKind::NewEntryInClosedMonth
    )
}

impl Workspace<'_> {
    /// Every open conflict with its decision, and every parked entry.
    pub fn open_decisions(&self) -> Result<OpenDecisions, OpError> {
        let mut decided = self.store.resolutions()?;
        let conflicts = self
            .store
            .conflicts()?
            .into_iter()
            .map(|conflict| OpenConflict {
                decided: decided.remove(&conflict.record.key),
                conflict,
            })
            .collect();
        let parked = self
            .store
            .parked()?
            .into_iter()
            .map(|entry| OpenParked {
                decided: decided.remove(&entry.key),
                entry,
            })
            .collect();
        Ok(OpenDecisions { conflicts, parked })
    }

    /// Stores the user's decision on the conflict (or parked entry) `key` once it applies:
    /// a decision its kind allows, or `ignore` for a parked entry.
    pub fn decide(
        &self,
        key: &SourceKey,
        resolution: Resolution,
    ) -> Result<Option<ConflictKind>, DecideError> {
        decide(self.store, key, resolution)
    }

    /// Every entry left alone (held by a sync, or ignored by the user) until released,
    /// oldest first.
    pub fn held(&self) -> Result<Vec<HeldEntry>, OpError> {
        Ok(self.store.held()?)
    }

    /// Takes the held or ignored entry `key` into account again from the next sync on.
    /// `false` when it was neither.
    pub fn release(&self, key: &SourceKey) -> Result<bool, OpError> {
        Ok(self.store.write(|w| w.release(key))?)
    }

    /// Sends the write Kimai refused for `key` again at the next sync (after the user fixed
    /// the cause). `false` when it was not refused.
    pub fn retry_refused(&self, key: &SourceKey) -> Result<bool, OpError> {
        Ok(crate::engine::retry_refused(self.store, key)?)
    }

    /// The user's word on the possible twin `key`: the same work as the timesheet it looks
    /// like (linked at the next sync) or different (booked on its own). The timesheet's id,
    /// `None` when the entry was not waiting as a possible twin.
    pub fn decide_twin(&self, key: &SourceKey, same: bool) -> Result<Option<i64>, OpError> {
        Ok(crate::engine::decide_twin(self.store, key, same)?)
    }

    /// Every helpdesk whose first sync waits for the user's go-ahead, by key, with what the
    /// last run planned for it (`None` until a run has planned it).
    pub fn awaiting_go_ahead(&self) -> Result<BTreeMap<String, Option<FirstSyncPreview>>, OpError> {
        Ok(crate::engine::first_sync::awaiting(self.store)?)
    }

    /// The go-ahead for helpdesk `key`'s first sync, and (when `Some`) whether the previous
    /// service's timesheets are rewritten. `false` when it was not waiting for one.
    pub fn go_ahead(
        &self,
        key: &InstanceKey,
        rewrite_previous: Option<bool>,
    ) -> Result<bool, OpError> {
        Ok(crate::engine::first_sync::go_ahead_with(
            self.store,
            key,
            rewrite_previous,
        )?)
    }

    /// Keeps `unit` as what one time unit of helpdesk `key` means under its unit setting
    /// `setting_now` (read from Zammad by the caller just now): entries parked because the
    /// setting changed are booked with it at the next sync. `false` for an unknown helpdesk.
    pub fn confirm_unit(
        &self,
        key: &InstanceKey,
        unit: TimeUnit,
        setting_now: &str,
    ) -> Result<bool, OpError> {
        Ok(crate::engine::confirm_unit(
            self.store,
            key,
            Some(unit),
            setting_now,
        )?)
    }
}

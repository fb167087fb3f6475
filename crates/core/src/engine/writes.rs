//! What every write to Kimai uses, in a run or an undo: the auditor (one audit row per
//! write), the outbox entry made before a request leaves, the bodies of new and changed
//! timesheets, and settling an entry's decisions once its action is done. The writing stages
//! (apply, its writes, lost-write recovery, undo) import this; it imports none of them.

use chrono::{DateTime, Utc};
use timebridge_kimai::{NewTimesheet, TimesheetPatch};

use super::shared::Engine;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::outbox::{OutboxKind, OutboxState};
use crate::sync::plan::{SourceKey, TimesheetFields};
use crate::WriteTxn;

/// Writes one audit row for this run.
pub(super) struct Auditor<'e, 'a> {
    pub(super) engine: &'e Engine<'a>,
    run_id: i64,
    /// The run's "now" (when a refusal happened).
    pub(super) now: DateTime<Utc>,
    /// Kimai's projects, read once if a write is refused.
    pub(super) projects: super::refusals::ProjectCache,
}

impl<'e, 'a> Auditor<'e, 'a> {
    /// The auditor of run `run_id` at `now`.
    pub(super) fn new(engine: &'e Engine<'a>, run_id: i64, now: DateTime<Utc>) -> Self {
        Self {
            engine,
            run_id,
            now,
            projects: super::refusals::ProjectCache::default(),
        }
    }

    /// The run being carried out.
    pub(super) fn run_id(&self) -> i64 {
        self.run_id
    }

    pub(super) fn record(
        &self,
        w: &WriteTxn<'_>,
        action: AuditAction,
        key: &SourceKey,
        timesheet_id: Option<i64>,
        before: Option<&TimesheetFields>,
        after: Option<&TimesheetFields>,
    ) -> Result<(), crate::StoreError> {
        w.append_audit(&AuditEntry {
            run_id: Some(self.run_id),
            actor: self.engine.actor,
            action,
            key: key.clone(),
            timesheet_id,
            before: before.cloned(),
            after: after.cloned(),
        })?;
        Ok(())
    }
}

/// Settles the decisions about `key` once an action about it has been carried out.
pub(super) fn settled(w: &WriteTxn<'_>, key: &SourceKey) -> Result<(), crate::StoreError> {
    w.clear_conflict(key)?;
    w.clear_parked(key)?;
    w.clear_resolution(key)?;
    Ok(())
}

pub(super) fn new_timesheet(f: &TimesheetFields) -> NewTimesheet {
    let mut new = NewTimesheet::new(f.begin, f.end, f.project, f.activity);
    new.description = Some(f.description.clone());
    new.tags = f.tags.clone();
    new
}

pub(super) fn patch(f: &TimesheetFields) -> TimesheetPatch {
    TimesheetPatch {
        begin: Some(f.begin),
        end: Some(f.end),
        project: Some(f.project),
        activity: Some(f.activity),
        description: Some(f.description.clone()),
        tags: Some(f.tags.clone()),
        ..TimesheetPatch::default()
    }
}

/// Enqueues a remote write and marks it sent, in two commits, before the request leaves.
pub(super) fn enqueue(
    engine: &Engine<'_>,
    run_id: i64,
    key: &SourceKey,
    kind: OutboxKind,
    timesheet_id: Option<i64>,
    payload: Option<&TimesheetFields>,
) -> Result<i64, crate::StoreError> {
    let id = engine
        .store
        .write(|w| w.outbox_enqueue(run_id, key, kind, timesheet_id, payload))?;
    engine
        .store
        .write(|w| w.outbox_mark(id, OutboxState::Sent, None))?;
    Ok(id)
}

//! The writes of an undo: each holds its entry first (so a crash leaves it held, never synced
//! again behind the user's back), goes through the outbox like any write, and commits the link,
//! the audit event and the outbox confirmation in one transaction.

use timebridge_kimai::KimaiError;

use super::read::kimai_record;
use super::shared::{Engine, EngineError, Stop};
use super::undo_report::{UndoStep, WhyNot};
use super::writes::{enqueue, new_timesheet, patch};
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::holds::HoldReason;
use crate::store::outbox::{OutboxKind, OutboxState};
use crate::store::runs::RunCounts;
use crate::sync::plan::{Link, SourceKey, TimesheetFields};

/// An undo write's result: done, left for a reason, or the undo must stop.
pub(super) type Step = Result<Result<UndoStep, Result<WhyNot, Stop>>, EngineError>;

impl Engine<'_> {
    /// Local bookkeeping when the timesheet is already gone: drop the link, hold the entry.
    pub(super) fn forget(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: i64,
        after: &TimesheetFields,
    ) -> Result<(), EngineError> {
        self.store.write(|w| {
            w.hold(key, HoldReason::Undo)?;
            w.append_audit(&self.audit(
                run_id,
                AuditAction::ForgetLink,
                key,
                Some(ts),
                Some(after),
                None,
            ))?;
            w.remove_link(key)?;
            Ok(())
        })?;
        Ok(())
    }

    fn audit(
        &self,
        run_id: i64,
        action: AuditAction,
        key: &SourceKey,
        ts: Option<i64>,
        before: Option<&TimesheetFields>,
        after: Option<&TimesheetFields>,
    ) -> AuditEntry {
        AuditEntry {
            run_id: Some(run_id),
            actor: self.actor,
            action,
            key: key.clone(),
            timesheet_id: ts,
            before: before.cloned(),
            after: after.cloned(),
        }
    }

    /// Holds the entry before the write (a crash then leaves it held, never re-synced behind
    /// the user's back); returns whether this undo added the hold.
    fn hold_first(&self, key: &SourceKey) -> Result<bool, EngineError> {
        Ok(self.store.write(|w| w.hold(key, HoldReason::Undo))?)
    }

    /// A write failed: a definite rejection ends this entry (its hold, if ours, is lifted);
    /// anything else may have reached Kimai, so the hold stays and the undo stops.
    fn failed(
        &self,
        key: &SourceKey,
        outbox: i64,
        held_now: bool,
        err: &KimaiError,
    ) -> Result<Result<WhyNot, Stop>, EngineError> {
        let why = match err {
            KimaiError::Locked => WhyNot::Locked,
            KimaiError::NotFound => WhyNot::DeletedInKimai,
            KimaiError::Validation { .. }
            | KimaiError::BadRequest { .. }
            | KimaiError::Forbidden { .. } => WhyNot::Rejected {
                message: err.to_string(),
            },
            _ => return Ok(Err(Stop::kimai(err))),
        };
        self.store.write(|w| {
            w.outbox_mark(outbox, OutboxState::Failed, None)?;
            if held_now {
                w.release(key)?;
            }
            Ok(())
        })?;
        Ok(Ok(why))
    }

    pub(super) async fn delete(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: i64,
        after: &TimesheetFields,
        counts: &mut RunCounts,
    ) -> Step {
        let held_now = self.hold_first(key)?;
        let ob = enqueue(self, run_id, key, OutboxKind::Delete, Some(ts), None)?;
        match self.kimai.delete_timesheet(ts).await {
            // Already gone is what the undo wants.
            Ok(()) | Err(KimaiError::NotFound) => {
                self.store.write(|w| {
                    w.append_audit(&self.audit(
                        run_id,
                        AuditAction::Delete,
                        key,
                        Some(ts),
                        Some(after),
                        None,
                    ))?;
                    w.remove_link(key)?;
                    w.outbox_mark(ob, OutboxState::Confirmed, None)
                })?;
                counts.deleted += 1;
                Ok(Ok(UndoStep::Deleted))
            }
            Err(e) => Ok(Err(self.failed(key, ob, held_now, &e)?)),
        }
    }

    /// A restore that already reached Kimai: the link's base goes back and the entry is
    /// held, exactly as if the answer had arrived.
    pub(super) fn finish_restore(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: i64,
        before: &TimesheetFields,
        after: &TimesheetFields,
        kimai: &TimesheetFields,
    ) -> Step {
        self.store.write(|w| {
            w.hold(key, HoldReason::Undo)?;
            let link = Link {
                timesheet_id: Some(ts),
                base_source: before.clone(),
                base_kimai: kimai.clone(),
            };
            w.upsert_link(key, &link, Some(before.month()))?;
            w.append_audit(&self.audit(
                run_id,
                AuditAction::Update,
                key,
                Some(ts),
                Some(after),
                Some(kimai),
            ))?;
            Ok(())
        })?;
        Ok(Ok(UndoStep::Restored))
    }

    pub(super) async fn restore(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: i64,
        before: &TimesheetFields,
        after: &TimesheetFields,
        counts: &mut RunCounts,
    ) -> Step {
        let held_now = self.hold_first(key)?;
        let ob = enqueue(
            self,
            run_id,
            key,
            OutboxKind::Update,
            Some(ts),
            Some(before),
        )?;
        match self.kimai.update_timesheet(ts, &patch(before)).await {
            Ok(now) => {
                let kimai = kimai_record(&now, self.tz).fields;
                self.store.write(|w| {
                    // The base goes back to what Kimai held before the run, so releasing the
                    // entry lets the next sync write Zammad's version again.
                    let link = Link {
                        timesheet_id: Some(ts),
                        base_source: before.clone(),
                        base_kimai: kimai.clone(),
                    };
                    w.upsert_link(key, &link, Some(before.month()))?;
                    w.append_audit(&self.audit(
                        run_id,
                        AuditAction::Update,
                        key,
                        Some(ts),
                        Some(after),
                        Some(&kimai),
                    ))?;
                    w.outbox_mark(ob, OutboxState::Confirmed, None)
                })?;
                counts.updated += 1;
                Ok(Ok(UndoStep::Restored))
            }
            Err(e) => Ok(Err(self.failed(key, ob, held_now, &e)?)),
        }
    }

    pub(super) async fn recreate(
        &self,
        run_id: i64,
        key: &SourceKey,
        before: &TimesheetFields,
        ticket: Option<i64>,
        counts: &mut RunCounts,
    ) -> Step {
        let held_now = self.hold_first(key)?;
        // The description carries the entry's marker, so a crash after the POST is settled by
        // the next sync's adoption like any create.
        let ob = enqueue(self, run_id, key, OutboxKind::Create, None, Some(before))?;
        match self.kimai.create_timesheet(&new_timesheet(before)).await {
            Ok(now) => {
                let kimai = kimai_record(&now, self.tz).fields;
                let id = now.id;
                self.store.write(|w| {
                    let link = Link {
                        timesheet_id: Some(id),
                        base_source: before.clone(),
                        base_kimai: kimai.clone(),
                    };
                    w.upsert_link(key, &link, Some(before.month()))?;
                    if let Some(t) = ticket {
                        w.set_link_ticket(key, t)?;
                    }
                    w.append_audit(&self.audit(
                        run_id,
                        AuditAction::Create,
                        key,
                        Some(id),
                        None,
                        Some(&kimai),
                    ))?;
                    w.outbox_mark(ob, OutboxState::Confirmed, Some(id))
                })?;
                counts.created += 1;
                Ok(Ok(UndoStep::Recreated { timesheet_id: id }))
            }
            Err(e) => Ok(Err(self.failed(key, ob, held_now, &e)?)),
        }
    }
}

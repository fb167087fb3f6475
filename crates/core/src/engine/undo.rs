//! Undo of a run: its remote writes reversed, newest first, through the outbox like any
//! write — but only where the Kimai record is exactly as the run left it and not exported,
//! and only where no later run or decision has moved the entry on. Everything else is
//! reported with a reason, never forced. Each reversed entry is then *held* (see
//! `store::holds`) so the next sync does not simply write it again; releasing it takes it
//! back into the sync.

use timebridge_kimai::KimaiError;

use super::apply::{enqueue, new_timesheet, patch};
use super::read::kimai_record;
use super::run::{remote_outcome, Engine, EngineError};
use crate::store::audit::{AuditAction, AuditEntry, AuditEvent};
use crate::store::holds::HoldReason;
use crate::store::outbox::{OutboxKind, OutboxState};
use crate::store::runs::{RunCounts, RunMode, RunOutcome, RunTrigger};
use crate::sync::plan::{Link, SourceKey, TimesheetFields};

pub use super::undo_report::{NotUndone, UndoReport, UndoStep, Undone, WhyNot};

/// Why a run cannot be undone at all.
#[derive(Debug, thiserror::Error)]
pub enum UndoRefusal {
    /// No run with this id.
    #[error("there is no run {0}")]
    NoSuchRun(i64),
    /// A preview wrote nothing; an undo is reversed by releasing its entries.
    #[error("run {id} is a {mode}, not a sync: {why}")]
    NotASync {
        /// The run.
        id: i64,
        /// Its mode.
        mode: &'static str,
        /// What to do instead.
        why: &'static str,
    },
    /// Still running.
    #[error("run {0} is still running")]
    Running(i64),
}

/// One remote write of the run, and what reversing it takes.
enum Reverse {
    /// The run created `ts` with `after`: delete it.
    Delete { after: TimesheetFields },
    /// The run updated `ts` from `before` to `after`: write `before` back.
    Restore {
        before: TimesheetFields,
        after: TimesheetFields,
    },
    /// The run deleted `ts`, which held `before`: create it again, linked to its ticket.
    Recreate {
        before: TimesheetFields,
        ticket: Option<i64>,
    },
}

fn reverse_of(event: &AuditEvent) -> Option<Reverse> {
    let e = &event.entry;
    match (e.action, &e.before, &e.after) {
        (AuditAction::Create, _, Some(after)) => Some(Reverse::Delete {
            after: after.clone(),
        }),
        (AuditAction::Update, Some(before), Some(after)) => Some(Reverse::Restore {
            before: before.clone(),
            after: after.clone(),
        }),
        (AuditAction::Delete, Some(before), _) => Some(Reverse::Recreate {
            before: before.clone(),
            ticket: event.ticket_id,
        }),
        _ => None,
    }
}

fn month_of(fields: &TimesheetFields) -> String {
    fields.begin.format("%Y-%m").to_string()
}

impl Engine<'_> {
    /// Undoes run `target` as far as it safely can. A remote failure that may be temporary
    /// ends the undo as offline; what was not reached is reported as not attempted, and
    /// undoing the same run again later carries on where it stopped.
    pub async fn undo_run(
        &self,
        target: i64,
        trigger: RunTrigger,
    ) -> Result<Result<UndoReport, UndoRefusal>, EngineError> {
        let _lock = self.lock()?;
        let Some(run) = self.store.run(target)? else {
            return Ok(Err(UndoRefusal::NoSuchRun(target)));
        };
        match run.mode {
            RunMode::Sync => {}
            RunMode::Preview => {
                return Ok(Err(UndoRefusal::NotASync {
                    id: target,
                    mode: "preview",
                    why: "it wrote nothing",
                }))
            }
            RunMode::Undo => {
                return Ok(Err(UndoRefusal::NotASync {
                    id: target,
                    mode: "undo",
                    why: "release its entries (`conflicts release`) and sync instead",
                }))
            }
        }
        if run.outcome == RunOutcome::Running {
            return Ok(Err(UndoRefusal::Running(target)));
        }
        let run_id = self.store.start_undo_run(trigger, target)?;
        let mut report = UndoReport::new(run_id, target);
        let mut counts = RunCounts::default();
        let events = self.store.audit_for_run(target)?;
        let mut stop: Option<(RunOutcome, String)> = None;
        if let Err(e) = self.check_timezone().await {
            stop = Some(e);
        }
        for event in events.iter().rev() {
            let Some(reverse) = reverse_of(event) else {
                continue;
            };
            let key = &event.entry.key;
            let ts = event.entry.timesheet_id;
            if stop.is_some() {
                report.not(event, WhyNot::NotAttempted);
                continue;
            }
            match self
                .reverse_one(run_id, key, ts, &reverse, &mut counts)
                .await?
            {
                Ok(step) => report.undone.push(Undone::of(event, step)),
                Err(Err((outcome, message))) => {
                    counts.failed += 1;
                    report.not(
                        event,
                        WhyNot::Failed {
                            message: message.clone(),
                        },
                    );
                    stop = Some((outcome, message));
                }
                Err(Ok(why)) => {
                    if matches!(why, WhyNot::Locked | WhyNot::Rejected { .. }) {
                        counts.failed += 1;
                    }
                    report.not(event, why);
                }
            }
        }
        if let Some((outcome, message)) = stop {
            report.outcome = outcome;
            report.error = Some(message);
        }
        self.store
            .finish_run(run_id, report.outcome, report.error.as_deref(), &counts)?;
        Ok(Ok(report))
    }

    async fn check_timezone(&self) -> Result<(), (RunOutcome, String)> {
        match self.kimai.me().await {
            Ok(me) if me.timezone != self.tz.name() => Err((
                RunOutcome::Failed,
                format!(
                    "the Kimai user's timezone is {}, but the billing timezone is {}",
                    me.timezone,
                    self.tz.name()
                ),
            )),
            Ok(_) => Ok(()),
            Err(e) => Err((remote_outcome(e.is_retryable()), format!("Kimai: {e}"))),
        }
    }

    /// Reverses one write. `Err(Ok(why))`: not undone, go on; `Err(Err(..))`: stop the undo.
    async fn reverse_one(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: Option<i64>,
        reverse: &Reverse,
        counts: &mut RunCounts,
    ) -> Result<Result<UndoStep, Result<WhyNot, (RunOutcome, String)>>, EngineError> {
        let link = self.store.link(key)?;
        let closed = self.store.closed_months()?;
        let Some(ts) = ts else {
            return Ok(Err(Ok(WhyNot::ChangedSince)));
        };
        let held = self.store.ignored()?.contains(key);
        let (after, already) = match reverse {
            Reverse::Recreate { before, ticket } => {
                if let Some(l) = &link {
                    let already = held && &l.base_source == before;
                    return Ok(if already {
                        Ok(UndoStep::AlreadyUndone)
                    } else {
                        Err(Ok(WhyNot::ChangedSince))
                    });
                }
                if closed.contains(&month_of(before)) {
                    return Ok(Err(Ok(WhyNot::MonthClosed)));
                }
                return self.recreate(run_id, key, before, *ticket, counts).await;
            }
            Reverse::Delete { after } => (after, link.is_none()),
            Reverse::Restore { before, after } => (
                after,
                link.as_ref()
                    .is_some_and(|l| l.timesheet_id == Some(ts) && &l.base_kimai == before),
            ),
        };
        let ours = link
            .as_ref()
            .is_some_and(|l| l.timesheet_id == Some(ts) && &l.base_kimai == after);
        if !ours {
            return Ok(if already && held {
                Ok(UndoStep::AlreadyUndone)
            } else {
                Err(Ok(WhyNot::ChangedSince))
            });
        }
        if closed.contains(&month_of(after)) {
            return Ok(Err(Ok(WhyNot::MonthClosed)));
        }
        let now = match self.kimai.timesheet(ts as u64).await {
            Ok(now) => now,
            Err(KimaiError::NotFound) => {
                if let Reverse::Delete { after } = reverse {
                    // Deleted in Kimai since: what the undo wants is already true.
                    self.forget(run_id, key, ts, after)?;
                    return Ok(Ok(UndoStep::AlreadyGone));
                }
                return Ok(Err(Ok(WhyNot::DeletedInKimai)));
            }
            Err(e) => return Ok(Err(stop_or_skip(&e))),
        };
        let record = kimai_record(&now, self.tz);
        if record.exported {
            return Ok(Err(Ok(WhyNot::Exported)));
        }
        if &record.fields != after {
            return Ok(Err(Ok(WhyNot::ChangedInKimai)));
        }
        if let Reverse::Restore { before, after } = reverse {
            self.restore(run_id, key, ts, before, after, counts).await
        } else {
            self.delete(run_id, key, ts, after, counts).await
        }
    }

    /// Local bookkeeping when the timesheet is already gone: drop the link, hold the entry.
    fn forget(
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
    ) -> Result<Result<WhyNot, (RunOutcome, String)>, EngineError> {
        let why = match err {
            KimaiError::Locked => WhyNot::Locked,
            KimaiError::NotFound => WhyNot::DeletedInKimai,
            KimaiError::Validation { .. }
            | KimaiError::BadRequest { .. }
            | KimaiError::Forbidden { .. } => WhyNot::Rejected {
                message: err.to_string(),
            },
            _ => {
                return Ok(Err((
                    remote_outcome(err.is_retryable()),
                    format!("Kimai: {err}"),
                )))
            }
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

    async fn delete(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: i64,
        after: &TimesheetFields,
        counts: &mut RunCounts,
    ) -> Result<Result<UndoStep, Result<WhyNot, (RunOutcome, String)>>, EngineError> {
        let held_now = self.hold_first(key)?;
        let ob = enqueue(self, run_id, key, OutboxKind::Delete, Some(ts), None)?;
        match self.kimai.delete_timesheet(ts as u64).await {
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

    async fn restore(
        &self,
        run_id: i64,
        key: &SourceKey,
        ts: i64,
        before: &TimesheetFields,
        after: &TimesheetFields,
        counts: &mut RunCounts,
    ) -> Result<Result<UndoStep, Result<WhyNot, (RunOutcome, String)>>, EngineError> {
        let held_now = self.hold_first(key)?;
        let ob = enqueue(
            self,
            run_id,
            key,
            OutboxKind::Update,
            Some(ts),
            Some(before),
        )?;
        match self.kimai.update_timesheet(ts as u64, &patch(before)).await {
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
                    w.upsert_link(key, &link, Some(&month_of(before)))?;
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

    async fn recreate(
        &self,
        run_id: i64,
        key: &SourceKey,
        before: &TimesheetFields,
        ticket: Option<i64>,
        counts: &mut RunCounts,
    ) -> Result<Result<UndoStep, Result<WhyNot, (RunOutcome, String)>>, EngineError> {
        let held_now = self.hold_first(key)?;
        // The description carries the entry's marker, so a crash after the POST is settled by
        // the next sync's adoption like any create.
        let ob = enqueue(self, run_id, key, OutboxKind::Create, None, Some(before))?;
        match self.kimai.create_timesheet(&new_timesheet(before)).await {
            Ok(now) => {
                let kimai = kimai_record(&now, self.tz).fields;
                let id = now.id as i64;
                self.store.write(|w| {
                    let link = Link {
                        timesheet_id: Some(id),
                        base_source: before.clone(),
                        base_kimai: kimai.clone(),
                    };
                    w.upsert_link(key, &link, Some(&month_of(before)))?;
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

/// A failed read before any write: temporary → stop the undo; otherwise skip the entry.
fn stop_or_skip(err: &KimaiError) -> Result<WhyNot, (RunOutcome, String)> {
    match err {
        KimaiError::Forbidden { .. } => Ok(WhyNot::Rejected {
            message: err.to_string(),
        }),
        _ => Err((remote_outcome(err.is_retryable()), format!("Kimai: {err}"))),
    }
}

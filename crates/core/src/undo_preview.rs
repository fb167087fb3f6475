//! "Undo this run" shows first what will and will not be undone: [`Engine::undo_preview`]
//! walks the run's writes exactly as [`Engine::undo_run`] does — newest first, the same
//! checks on the link, the holds, the closed months and Kimai's current record, the same
//! reasons — but writes nothing: no run row, no outbox, no Kimai write, no hold.
//!
//! It lives beside the engine rather than inside `engine/undo.rs` so the undo's write path
//! stays one readable function; `undo_preview_tests` runs preview and undo on the same world
//! and asserts they agree, so the two cannot drift apart unnoticed. What only a write can
//! reveal (Kimai refusing a locked period) is not foreseen; open writes a crash left behind
//! are settled by the real undo first and are not looked at here.

use timebridge_kimai::KimaiError;

use crate::engine::read::kimai_record;
use crate::engine::{
    Engine, EngineError, NotUndone, UndoRefusal, UndoReport, UndoStep, Undone, WhyNot,
};
use crate::store::audit::{AuditAction, AuditEvent};
use crate::store::runs::RunOutcome;
use crate::sync::plan::{Link, TimesheetFields};

/// What reversing one write takes (the same cases as the undo's).
enum Reverse<'e> {
    Delete(&'e TimesheetFields),
    Restore(&'e TimesheetFields, &'e TimesheetFields),
    Recreate(&'e TimesheetFields, Option<i64>),
}

fn reverse_of(event: &AuditEvent) -> Option<Reverse<'_>> {
    let e = &event.entry;
    match (e.action, &e.before, &e.after) {
        (AuditAction::Create, _, Some(after)) => Some(Reverse::Delete(after)),
        (AuditAction::Update, Some(before), Some(after)) => Some(Reverse::Restore(before, after)),
        (AuditAction::Delete, Some(before), _) => Some(Reverse::Recreate(before, event.ticket_id)),
        _ => None,
    }
}

/// One write: what the undo would do, or why not; `Err` stops the walk (Kimai unreachable).
type Foreseen = Result<Result<UndoStep, WhyNot>, (RunOutcome, String)>;

impl Engine<'_> {
    /// What [`Engine::undo_run`] of `target` would do now, without doing any of it. The
    /// report's `run_id` is 0 (no run is recorded); a re-created timesheet is reported with
    /// the id of the one the run deleted.
    pub async fn undo_preview(
        &self,
        target: i64,
    ) -> Result<Result<UndoReport, UndoRefusal>, EngineError> {
        if let Err(refusal) = crate::engine::undo::undoable(self.store, target)? {
            return Ok(Err(refusal));
        }
        let mut report = UndoReport {
            run_id: 0,
            undoes_run: target,
            outcome: RunOutcome::Ok,
            error: None,
            undone: Vec::new(),
            not_undone: Vec::new(),
        };
        let mut stop = self.timezone_problem().await;
        for event in self.store.audit_for_run(target)?.iter().rev() {
            let Some(reverse) = reverse_of(event) else {
                continue;
            };
            let outcome = if stop.is_some() {
                Ok(Err(WhyNot::NotAttempted))
            } else {
                self.foresee(event, &reverse).await?
            };
            let (key, timesheet_id, action) = (
                event.entry.key.clone(),
                event.entry.timesheet_id,
                event.entry.action,
            );
            match outcome {
                Ok(Ok(step)) => report.undone.push(Undone {
                    key,
                    timesheet_id,
                    action,
                    step,
                }),
                Ok(Err(why)) => report.not_undone.push(NotUndone {
                    key,
                    timesheet_id,
                    action,
                    why,
                }),
                Err((outcome, message)) => {
                    report.not_undone.push(NotUndone {
                        key,
                        timesheet_id,
                        action,
                        why: WhyNot::Failed {
                            message: message.clone(),
                        },
                    });
                    stop = Some((outcome, message));
                }
            }
        }
        if let Some((outcome, message)) = stop {
            report.outcome = outcome;
            report.error = Some(message);
        }
        Ok(Ok(report))
    }

    async fn timezone_problem(&self) -> Option<(RunOutcome, String)> {
        match self.kimai.me().await {
            Ok(me) if me.timezone != self.tz.name() => Some((
                RunOutcome::Failed,
                format!(
                    "the Kimai user's timezone is {}, but the billing timezone is {}",
                    me.timezone,
                    self.tz.name()
                ),
            )),
            Ok(_) => None,
            Err(e) => Some((outcome_of(&e), format!("Kimai: {e}"))),
        }
    }

    async fn foresee(
        &self,
        event: &AuditEvent,
        reverse: &Reverse<'_>,
    ) -> Result<Foreseen, EngineError> {
        let key = &event.entry.key;
        let link = self.store.link(key)?;
        let closed = self.store.closed_months()?;
        let Some(ts) = event.entry.timesheet_id else {
            return Ok(Ok(Err(WhyNot::ChangedSince)));
        };
        let held = self.store.ignored()?.contains(key);
        let is = |l: &Option<Link>, kimai: &TimesheetFields| {
            l.as_ref()
                .is_some_and(|l| l.timesheet_id == Some(ts) && &l.base_kimai == kimai)
        };
        let (after, already) = match reverse {
            Reverse::Recreate(before, ticket) => {
                if ticket.is_none() {
                    return Ok(Ok(Err(WhyNot::TicketUnknown)));
                }
                if let Some(l) = &link {
                    let ours = &l.base_source == *before || &l.base_kimai == *before;
                    return Ok(Ok(if held && ours {
                        Ok(UndoStep::AlreadyUndone)
                    } else {
                        Err(WhyNot::ChangedSince)
                    }));
                }
                if closed.contains(&before.month()) {
                    return Ok(Ok(Err(WhyNot::MonthClosed)));
                }
                return Ok(Ok(Ok(UndoStep::Recreated { timesheet_id: ts })));
            }
            Reverse::Delete(after) => (*after, link.is_none()),
            Reverse::Restore(before, after) => (*after, is(&link, before)),
        };
        if !is(&link, after) {
            return Ok(Ok(if already && held {
                Ok(UndoStep::AlreadyUndone)
            } else {
                Err(WhyNot::ChangedSince)
            }));
        }
        let before_closed = match reverse {
            Reverse::Restore(before, _) => closed.contains(&before.month()),
            _ => false,
        };
        if closed.contains(&after.month()) || before_closed {
            return Ok(Ok(Err(WhyNot::MonthClosed)));
        }
        let now = match self.kimai.timesheet(ts as u64).await {
            Ok(now) => now,
            Err(KimaiError::NotFound) => {
                return Ok(Ok(match reverse {
                    Reverse::Delete(_) => Ok(UndoStep::AlreadyGone),
                    _ => Err(WhyNot::DeletedInKimai),
                }))
            }
            Err(e @ KimaiError::Forbidden { .. }) => {
                return Ok(Ok(Err(WhyNot::Rejected {
                    message: e.to_string(),
                })))
            }
            Err(e) => return Ok(Err((outcome_of(&e), format!("Kimai: {e}")))),
        };
        let record = kimai_record(&now, self.tz);
        if record.exported {
            return Ok(Ok(Err(WhyNot::Exported)));
        }
        Ok(Ok(match reverse {
            Reverse::Restore(before, _) if &record.fields == *before => Ok(UndoStep::Restored),
            _ if &record.fields != after => Err(WhyNot::ChangedInKimai),
            Reverse::Restore(..) => Ok(UndoStep::Restored),
            _ => Ok(UndoStep::Deleted),
        }))
    }
}

fn outcome_of(e: &KimaiError) -> RunOutcome {
    if e.is_retryable() {
        RunOutcome::Offline
    } else {
        RunOutcome::Failed
    }
}

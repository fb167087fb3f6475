//! Undo of a run: its remote writes reversed, newest first, through the outbox like any
//! write — but only where the Kimai record is exactly as the run left it and not exported,
//! and only where no later run or decision has moved the entry on. Everything else is
//! reported with a reason, never forced. Each reversed entry is then *held* (see
//! `store::holds`) so the next sync does not simply write it again; releasing it takes it
//! back into the sync.

use std::collections::BTreeMap;

use timebridge_kimai::KimaiError;

use super::read::kimai_record;
use super::recover;
use super::shared::{Engine, EngineError, Stop};
use super::undo_writes::Step;
use crate::store::audit::{AuditAction, AuditEvent};
use crate::store::runs::{RunCounts, RunMode, RunOutcome, RunTrigger};
use crate::sync::plan::{SourceKey, TimesheetFields};

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
        /// The id of the run asked to be undone.
        id: i64,
        /// What that run is instead of a sync: `preview` or `undo`.
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

/// Whether run `target` can be undone at all: it exists, is a sync (not a preview or an
/// undo) and has ended. The undo and its preview ask the same.
pub(crate) fn undoable(
    store: &crate::Store,
    target: i64,
) -> Result<Result<(), UndoRefusal>, crate::StoreError> {
    let Some(run) = store.run(target)? else {
        return Ok(Err(UndoRefusal::NoSuchRun(target)));
    };
    let refusal = match (run.mode, run.outcome) {
        (RunMode::Preview, _) => UndoRefusal::NotASync {
            id: target,
            mode: "preview",
            why: "it wrote nothing",
        },
        (RunMode::Undo, _) => UndoRefusal::NotASync {
            id: target,
            mode: "undo",
            why: "release its entries (`conflicts release`) and sync instead",
        },
        (RunMode::Sync, RunOutcome::Running) => UndoRefusal::Running(target),
        (RunMode::Sync, _) => return Ok(Ok(())),
    };
    Ok(Err(refusal))
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
        self.store.interrupt_unfinished_runs()?;
        if let Err(refusal) = undoable(self.store, target)? {
            return Ok(Err(refusal));
        }
        let run_id = self.store.start_undo_run(trigger, target)?;
        let mut report = UndoReport::new(run_id, target);
        let mut counts = RunCounts::default();
        let mut stop = self.check_kimai_timezone().await.err();
        if stop.is_none() {
            stop = self.settle_open_writes(run_id).await?.err();
        }
        self.walk(target, Some(run_id), &mut report, &mut counts, stop)
            .await?;
        self.store
            .finish_run(run_id, report.outcome, report.error.as_deref(), &counts)?;
        Ok(Ok(report))
    }

    /// What [`Engine::undo_run`] of `target` would do now, without doing any of it: the same
    /// walk in dry-run mode — the same checks on the link, the holds, the closed months and
    /// Kimai's current record, the same reasons — with no run row, no outbox, no Kimai write,
    /// no hold. The report's `run_id` is 0; a re-created timesheet is reported with the id of
    /// the one the run deleted. What only a write can reveal (Kimai refusing a locked period)
    /// is not foreseen; open writes a crash left behind are settled by the real undo first
    /// and are not looked at here.
    pub async fn undo_preview(
        &self,
        target: i64,
    ) -> Result<Result<UndoReport, UndoRefusal>, EngineError> {
        if let Err(refusal) = undoable(self.store, target)? {
            return Ok(Err(refusal));
        }
        let mut report = UndoReport::new(0, target);
        let stop = self.check_kimai_timezone().await.err();
        let mut counts = RunCounts::default();
        self.walk(target, None, &mut report, &mut counts, stop)
            .await?;
        Ok(Ok(report))
    }

    /// Reverses run `target`'s writes newest first (`run` is the undo's own run; `None`:
    /// a dry run that writes nothing). After a stop the rest is reported as not attempted;
    /// the stop becomes the report's outcome.
    async fn walk(
        &self,
        target: i64,
        run: Option<i64>,
        report: &mut UndoReport,
        counts: &mut RunCounts,
        mut stop: Option<Stop>,
    ) -> Result<(), EngineError> {
        let events = self.store.audit_for_run(target)?;
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
            match self.reverse_one(run, key, ts, &reverse, counts).await? {
                Ok(step) => report.undone.push(Undone::of(event, step)),
                Err(Err(stopped)) => {
                    counts.failed += 1;
                    report.not(
                        event,
                        WhyNot::Failed {
                            message: stopped.message.clone(),
                        },
                    );
                    stop = Some(stopped);
                }
                Err(Ok(why)) => {
                    if matches!(why, WhyNot::Locked | WhyNot::Rejected { .. }) {
                        counts.failed += 1;
                    }
                    report.not(event, why);
                }
            }
        }
        if let Some(stop) = stop {
            report.outcome = stop.outcome;
            report.error = Some(stop.message);
        }
        Ok(())
    }

    /// Writes a crash (or a lost answer) left open — of a sync or of an earlier undo — are
    /// settled first, as a sync would: a create that reached Kimai is found by its marker and
    /// linked, so undoing again never creates a timesheet a second time.
    async fn settle_open_writes(&self, run_id: i64) -> Result<Result<(), Stop>, EngineError> {
        let mut found = BTreeMap::new();
        if let Err(e) = recover::search_unconfirmed(self.store, self.kimai, &mut found).await? {
            return Ok(Err(Stop::kimai(&e)));
        }
        recover::adopt_and_settle(
            self.store,
            run_id,
            self.actor,
            &found,
            &std::collections::BTreeSet::new(),
            self.tz,
        )?;
        Ok(Ok(()))
    }

    /// Reverses one write (`run: None`: says what it would do and writes nothing).
    /// `Err(Ok(why))`: not undone, go on; `Err(Err(..))`: stop the undo.
    async fn reverse_one(
        &self,
        run: Option<i64>,
        key: &SourceKey,
        ts: Option<i64>,
        reverse: &Reverse,
        counts: &mut RunCounts,
    ) -> Step {
        let link = self.store.link(key)?;
        let closed = self.store.closed_months()?;
        let Some(ts) = ts else {
            return Ok(Err(Ok(WhyNot::ChangedSince)));
        };
        let held = self.store.ignored()?.contains(key);
        let (after, already) = match reverse {
            Reverse::Recreate { before, ticket } => {
                // Without its ticket a re-created timesheet could never be matched to the
                // entry's deletion again: it would stay in Kimai for good.
                let Some(ticket) = *ticket else {
                    return Ok(Err(Ok(WhyNot::TicketUnknown)));
                };
                if let Some(l) = &link {
                    let ours = &l.base_source == before || &l.base_kimai == before;
                    if !(held && ours) {
                        return Ok(Err(Ok(WhyNot::ChangedSince)));
                    }
                    // Created again by an earlier undo (perhaps found by its marker after a
                    // lost answer): make sure the link knows its ticket.
                    if run.is_some() {
                        self.store.write(|w| w.set_link_ticket(key, ticket))?;
                    }
                    return Ok(Ok(UndoStep::AlreadyUndone));
                }
                if closed.contains(&before.month()) {
                    return Ok(Err(Ok(WhyNot::MonthClosed)));
                }
                let Some(run_id) = run else {
                    return Ok(Ok(UndoStep::Recreated { timesheet_id: ts }));
                };
                return self
                    .recreate(run_id, key, before, Some(ticket), counts)
                    .await;
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
        let before_month = match reverse {
            Reverse::Restore { before, .. } => Some(before.month()),
            _ => None,
        };
        if closed.contains(&after.month()) || before_month.is_some_and(|m| closed.contains(&m)) {
            return Ok(Err(Ok(WhyNot::MonthClosed)));
        }
        self.reverse_in_kimai(run, key, ts, reverse, after, counts)
            .await
    }

    /// The part of [`Self::reverse_one`] that asks Kimai: the timesheet must still hold
    /// what the run left (`after`) and not be exported; a restore whose answer was lost is
    /// only booked, a delete of a timesheet gone since only forgotten.
    async fn reverse_in_kimai(
        &self,
        run: Option<i64>,
        key: &SourceKey,
        ts: i64,
        reverse: &Reverse,
        after: &TimesheetFields,
        counts: &mut RunCounts,
    ) -> Step {
        let now = match self.kimai.timesheet(ts).await {
            Ok(now) => now,
            Err(KimaiError::NotFound) => {
                if let Reverse::Delete { after } = reverse {
                    // Deleted in Kimai since: what the undo wants is already true.
                    if let Some(run_id) = run {
                        self.forget(run_id, key, ts, after)?;
                    }
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
        if let Reverse::Restore { before, after } = reverse {
            if &record.fields == before {
                // The restore reached Kimai but its answer was lost (or someone put the same
                // fields back): only the bookkeeping is left to do.
                let Some(run_id) = run else {
                    return Ok(Ok(UndoStep::Restored));
                };
                return self.finish_restore(run_id, key, ts, before, after, &record.fields);
            }
        }
        if &record.fields != after {
            return Ok(Err(Ok(WhyNot::ChangedInKimai)));
        }
        let Some(run_id) = run else {
            return Ok(Ok(match reverse {
                Reverse::Restore { .. } => UndoStep::Restored,
                _ => UndoStep::Deleted,
            }));
        };
        if let Reverse::Restore { before, after } = reverse {
            self.restore(run_id, key, ts, before, after, counts).await
        } else {
            self.delete(run_id, key, ts, after, counts).await
        }
    }
}

/// A failed read before any write: temporary → stop the undo; otherwise skip the entry.
fn stop_or_skip(err: &KimaiError) -> Result<WhyNot, Stop> {
    match err {
        KimaiError::Forbidden { .. } => Ok(WhyNot::Rejected {
            message: err.to_string(),
        }),
        _ => Err(Stop::kimai(err)),
    }
}

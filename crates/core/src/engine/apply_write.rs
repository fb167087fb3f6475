//! One remote write of a plan in two halves, so several can be in flight at once (`apply`
//! keeps up to the transport's bound going):
//! - [`send`] commits the outbox row — `pending` then `sent`, in one transaction — and only
//!   then sends the request;
//! - [`settle`] commits what the answer says in one transaction (link, audit row, outbox
//!   confirmation, decisions settled), or settles a definite rejection as `failed` — a refused
//!   create or update also parks its entry with Kimai's answer (`refusals`), so it is shown to
//!   the user and not sent again unchanged.
//!
//! A crash between the two leaves a `sent` row, however many writes were in flight: the next
//! run finds each create by its marker (adopted, not created again) and re-plans each update
//! or delete from its link's base, which an unanswered write did not move (see `recover`).

use std::collections::BTreeMap;

use timebridge_kimai::{KimaiError, Timesheet};

use super::read::kimai_record;
use super::refusals;
use super::shared::{Engine, EngineError, KimaiAdjusted, RunReport, Stop};
use super::writes::{new_timesheet, patch, settled, Auditor};
use crate::store::audit::AuditAction;
use crate::store::outbox::{OutboxKind, OutboxState};
use crate::sync::plan::{Action, Desired, KimaiSide, Link, ParkReason, SourceKey, TimesheetFields};
use crate::sync::refusal::ProjectState;

/// What a write's request came back with, with what its commit needs from the plan.
#[derive(Debug)]
enum Answer<'p> {
    /// A create: the new timesheet.
    Created {
        desired: &'p Desired,
        result: Result<Timesheet, KimaiError>,
    },
    /// An update: the timesheet as Kimai now holds it.
    Updated {
        timesheet_id: i64,
        from: &'p TimesheetFields,
        to: &'p Desired,
        result: Result<Timesheet, KimaiError>,
    },
    /// A delete, with what Kimai held before it (what an undo brings back).
    Deleted {
        timesheet_id: i64,
        before: Option<TimesheetFields>,
        result: Result<(), KimaiError>,
    },
}

/// A write whose request went out, with its outbox row.
#[derive(Debug)]
pub(super) struct Sent<'p> {
    outbox_id: i64,
    answer: Answer<'p>,
    /// For a refused create or update: its project as Kimai lists it now (read right after
    /// the refusal, to tell an ended project from other causes).
    project: Option<ProjectState>,
}

/// Enqueues the outbox row as `pending` and marks it `sent` in one transaction: both states
/// mean "may have gone out" to recovery, and the row is durable before the request leaves.
fn enqueue_sent(
    engine: &Engine<'_>,
    run_id: i64,
    key: &SourceKey,
    kind: OutboxKind,
    timesheet_id: Option<i64>,
    payload: Option<&TimesheetFields>,
) -> Result<i64, crate::StoreError> {
    engine.store.write(|w| {
        let id = w.outbox_enqueue(run_id, key, kind, timesheet_id, payload)?;
        w.outbox_mark(id, OutboxState::Sent, None)?;
        Ok(id)
    })
}

/// Commits the outbox row of a remote action, then sends its request. `None` for an action
/// that changes only the local state.
pub(super) async fn send<'p>(
    engine: &Engine<'_>,
    run_id: i64,
    action: &'p Action,
    kimai_now: &BTreeMap<i64, KimaiSide>,
    projects: &refusals::ProjectCache,
) -> Result<Option<Sent<'p>>, crate::StoreError> {
    let key = action.key();
    let sent = match action {
        Action::Create { desired, .. } => {
            let f = &desired.fields;
            let outbox_id = enqueue_sent(engine, run_id, key, OutboxKind::Create, None, Some(f))?;
            let result = engine.kimai.create_timesheet(&new_timesheet(f)).await;
            Sent {
                outbox_id,
                project: refused_project(engine, projects, &result, f).await,
                answer: Answer::Created { desired, result },
            }
        }
        Action::Update {
            timesheet_id,
            from,
            to,
            ..
        } => {
            let (id, f) = (Some(*timesheet_id), &to.fields);
            let outbox_id = enqueue_sent(engine, run_id, key, OutboxKind::Update, id, Some(f))?;
            let result = engine
                .kimai
                .update_timesheet(*timesheet_id, &patch(f))
                .await;
            Sent {
                outbox_id,
                project: refused_project(engine, projects, &result, f).await,
                answer: Answer::Updated {
                    timesheet_id: *timesheet_id,
                    from,
                    to,
                    result,
                },
            }
        }
        Action::Delete { timesheet_id, .. } => {
            // What Kimai held when it was read this run (a resolution may delete a record
            // the user edited): that is what an undo must bring back, not the old base.
            let before = match kimai_now.get(timesheet_id) {
                Some(KimaiSide::Present(record)) => Some(record.fields.clone()),
                _ => engine.store.link(key)?.map(|l| l.base_kimai),
            };
            let id = Some(*timesheet_id);
            let outbox_id = enqueue_sent(engine, run_id, key, OutboxKind::Delete, id, None)?;
            let result = engine.kimai.delete_timesheet(*timesheet_id).await;
            Sent {
                outbox_id,
                project: None,
                answer: Answer::Deleted {
                    timesheet_id: *timesheet_id,
                    before,
                    result,
                },
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(sent))
}

/// The project of a create or update Kimai refused, as Kimai lists it now.
async fn refused_project<T>(
    engine: &Engine<'_>,
    projects: &refusals::ProjectCache,
    result: &Result<T, KimaiError>,
    f: &TimesheetFields,
) -> Option<ProjectState> {
    match result {
        Err(e) if refusals::answer_of(e).is_some() => projects.state(engine, f.project).await,
        _ => None,
    }
}

/// Notes a write Kimai stored with other times than sent.
fn adjusted(
    report: &mut RunReport,
    key: &SourceKey,
    timesheet_id: i64,
    sent: &TimesheetFields,
    stored: &TimesheetFields,
) {
    if (sent.begin, sent.end) != (stored.begin, stored.end) {
        report.counts.kimai_adjusted += 1;
        report.kimai_adjusted.push(KimaiAdjusted {
            key: key.clone(),
            timesheet_id,
            sent: (sent.begin, sent.end),
            stored: (stored.begin, stored.end),
        });
    }
}

/// What became of a write's answer.
#[derive(Debug)]
pub(super) enum Settled<'p> {
    /// Committed: done, refused by Kimai, or rejected.
    Done,
    /// The answer was lost, or a repeat may pass: the row stays `sent` until `lost`
    /// resolves it (or the next run does).
    Lost(Lost<'p>),
    /// An error no repeat fixes (the token rejected, an answer that is not Kimai's): the row
    /// stays `sent` for the next run, and this run stops.
    Stop(Stop),
}

/// A write whose answer was lost, with what its commit needs.
#[derive(Debug)]
pub(super) struct Lost<'p> {
    /// The Zammad entry the lost write was for.
    pub(super) key: &'p SourceKey,
    /// Its ticket, for the link.
    pub(super) ticket: Option<i64>,
    /// The outbox row, still `sent`.
    pub(super) outbox_id: i64,
    /// Which write was lost (create, update or delete), with what committing it needs.
    pub(super) write: LostWrite<'p>,
    /// What came back instead of the answer.
    pub(super) error: KimaiError,
}

/// Which write was lost.
#[derive(Debug)]
pub(super) enum LostWrite<'p> {
    /// A create of `desired`.
    Create(&'p Desired),
    /// An update of a timesheet from `from` to `to`.
    Update {
        timesheet_id: i64,
        from: &'p TimesheetFields,
        to: &'p Desired,
    },
    /// A delete, with what Kimai held before it.
    Delete {
        timesheet_id: i64,
        before: Option<TimesheetFields>,
    },
}

/// Commits a create Kimai answered (or that was found by its marker) with timesheet `ts`.
pub(super) fn commit_created(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    (key, ticket, ob): (&SourceKey, Option<i64>, i64),
    desired: &Desired,
    ts: &Timesheet,
) -> Result<(), EngineError> {
    let engine = auditor.engine;
    let kimai = kimai_record(ts, engine.tz).fields;
    let id = ts.id;
    adjusted(report, key, id, &desired.fields, &kimai);
    engine.store.write(|w| {
        let link = Link {
            timesheet_id: Some(id),
            base_source: desired.source_fields().clone(),
            base_kimai: kimai.clone(),
        };
        w.upsert_link(key, &link, Some(desired.month))?;
        if let Some(t) = ticket {
            w.set_link_ticket(key, t)?;
        }
        auditor.record(w, AuditAction::Create, key, Some(id), None, Some(&kimai))?;
        w.outbox_mark(ob, OutboxState::Confirmed, Some(id))?;
        settled(w, key)
    })?;
    report.counts.created += 1;
    Ok(())
}

/// Commits an update Kimai answered (or that was read back as applied).
pub(super) fn commit_updated(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    (key, ticket, ob): (&SourceKey, Option<i64>, i64),
    (timesheet_id, from, to): (i64, &TimesheetFields, &Desired),
    ts: &Timesheet,
) -> Result<(), EngineError> {
    let engine = auditor.engine;
    let kimai = kimai_record(ts, engine.tz).fields;
    adjusted(report, key, timesheet_id, &to.fields, &kimai);
    engine.store.write(|w| {
        let link = Link {
            timesheet_id: Some(timesheet_id),
            base_source: to.source_fields().clone(),
            base_kimai: kimai.clone(),
        };
        w.upsert_link(key, &link, Some(to.month))?;
        if let Some(t) = ticket {
            w.set_link_ticket(key, t)?;
        }
        let id = Some(timesheet_id);
        auditor.record(w, AuditAction::Update, key, id, Some(from), Some(&kimai))?;
        w.outbox_mark(ob, OutboxState::Confirmed, None)?;
        settled(w, key)
    })?;
    report.counts.updated += 1;
    Ok(())
}

/// Commits a delete Kimai answered (or whose timesheet was read back as gone).
pub(super) fn commit_deleted(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    (key, ob): (&SourceKey, i64),
    timesheet_id: i64,
    before: Option<&TimesheetFields>,
) -> Result<(), EngineError> {
    auditor.engine.store.write(|w| {
        // The event first: it records the link's ticket.
        let id = Some(timesheet_id);
        auditor.record(w, AuditAction::Delete, key, id, before, None)?;
        w.remove_link(key)?;
        w.outbox_mark(ob, OutboxState::Confirmed, None)?;
        settled(w, key)
    })?;
    report.counts.deleted += 1;
    Ok(())
}

/// Commits the answer to the write about `key`, or hands it back as [`Settled::Lost`] when
/// the write may have reached Kimai without its answer.
pub(super) fn settle<'p>(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    key: &'p SourceKey,
    ticket: Option<i64>,
    sent: Sent<'p>,
) -> Result<Settled<'p>, EngineError> {
    let ob = sent.outbox_id;
    let failed = match sent.answer {
        Answer::Created {
            desired,
            result: Ok(ts),
        } => {
            commit_created(auditor, report, (key, ticket, ob), desired, &ts)?;
            return Ok(Settled::Done);
        }
        Answer::Updated {
            timesheet_id,
            from,
            to,
            result: Ok(ts),
        } => {
            let what = (timesheet_id, from, to);
            commit_updated(auditor, report, (key, ticket, ob), what, &ts)?;
            return Ok(Settled::Done);
        }
        // Already gone is what we wanted.
        Answer::Deleted {
            timesheet_id,
            before,
            result: Ok(()) | Err(KimaiError::NotFound),
        } => {
            commit_deleted(auditor, report, (key, ob), timesheet_id, before.as_ref())?;
            return Ok(Settled::Done);
        }
        Answer::Created {
            desired,
            result: Err(error),
        } => Failed {
            error,
            write: Some((&desired.fields, false)),
            lost: LostWrite::Create(desired),
        },
        Answer::Updated {
            timesheet_id,
            from,
            to,
            result: Err(error),
        } => Failed {
            error,
            write: Some((&to.fields, true)),
            lost: LostWrite::Update {
                timesheet_id,
                from,
                to,
            },
        },
        Answer::Deleted {
            timesheet_id,
            before,
            result: Err(error),
        } => Failed {
            error,
            write: None,
            lost: LostWrite::Delete {
                timesheet_id,
                before,
            },
        },
    };
    settle_failed(auditor, report, (key, ticket, ob), sent.project, failed)
}

/// A write Kimai did not answer with success.
struct Failed<'p> {
    error: KimaiError,
    /// The fields sent, and whether as a change (`None`: a delete).
    write: Option<(&'p TimesheetFields, bool)>,
    /// The write, should its answer have been lost.
    lost: LostWrite<'p>,
}

/// A failed write: a refusal is recorded and its entry parked with it; a lost answer is
/// handed back to be looked for; anything else stops the run.
fn settle_failed<'p>(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    (key, ticket, ob): (&'p SourceKey, Option<i64>, i64),
    project: Option<ProjectState>,
    failed: Failed<'p>,
) -> Result<Settled<'p>, EngineError> {
    let engine = auditor.engine;
    let Failed { error, write, lost } = failed;
    let Some(answer) = refusals::answer_of(&error) else {
        // Only what a flaky network or a struggling server does is settled within the run.
        if !error.is_retryable() && !matches!(error, KimaiError::Decode { .. }) {
            report.counts.failed += 1;
            tracing::warn!(instance = %key.instance, entry = key.time_accounting_id, error = %error, "remote write failed");
            return Ok(Settled::Stop(Stop::failed(format!("Kimai: {error}"))));
        }
        tracing::warn!(instance = %key.instance, entry = key.time_accounting_id, error = %error, "a write's answer was lost");
        return Ok(Settled::Lost(Lost {
            key,
            ticket,
            outbox_id: ob,
            write: lost,
            error,
        }));
    };
    match write {
        Some((write, change)) => {
            let refusal = refusals::refusal(engine, answer, write, change, project, auditor.now);
            tracing::warn!(instance = %key.instance, entry = key.time_accounting_id, code = refusal.code.as_str(), "Kimai refused a write");
            let reason = ParkReason::Refused {
                refusal: Box::new(refusal.clone()),
            };
            engine.store.write(|w| {
                w.outbox_mark(ob, OutboxState::Failed, None)?;
                w.record_refusal(auditor.run_id(), key, &refusal)?;
                w.set_parked(key, &reason, ticket)
            })?;
            report.counts.refused += 1;
            report.refused.push((key.clone(), refusal));
        }
        None => {
            report.counts.failed += 1;
            tracing::warn!(instance = %key.instance, entry = key.time_accounting_id, error = %error, "Kimai refused a delete");
            engine
                .store
                .write(|w| w.outbox_mark(ob, OutboxState::Failed, None))?;
        }
    }
    Ok(Settled::Done)
}

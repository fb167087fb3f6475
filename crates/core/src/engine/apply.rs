//! Carrying a plan out, one action at a time, through the write-ahead outbox:
//! enqueue (pending) → mark sent → remote write → one local transaction that writes the link,
//! the audit row and confirms the outbox row. A crash anywhere leaves either nothing remote, or
//! a pending/sent row that the next run settles by the marker (see `recover`).

use std::collections::{BTreeMap, BTreeSet};

use timebridge_kimai::{KimaiError, NewTimesheet, TimesheetPatch};

use super::read::kimai_record;
use super::run::{remote_outcome, Engine, EngineError, RunReport};
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::decisions::ConflictRecord;
use crate::store::outbox::{OutboxKind, OutboxState};
use crate::store::runs::RunOutcome;
use crate::sync::plan::{Action, KimaiSide, Link, SourceKey, TimesheetFields};
use crate::WriteTxn;

type Outcome = Result<(), (RunOutcome, String)>;

/// The tags the plan writes must exist first: Kimai drops unknown tag names silently.
async fn ensure_tags(engine: &Engine<'_>, actions: &[Action]) -> Result<(), KimaiError> {
    let wanted: BTreeSet<&String> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { desired, .. } | Action::Update { to: desired, .. } => {
                Some(&desired.fields.tags)
            }
            _ => None,
        })
        .flatten()
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let existing: BTreeSet<String> = engine.kimai.tags().await?.into_iter().collect();
    for tag in wanted.into_iter().filter(|t| !existing.contains(*t)) {
        engine.kimai.create_tag(tag).await?;
    }
    Ok(())
}

/// Writes one audit row for this run.
struct Auditor<'e, 'a> {
    engine: &'e Engine<'a>,
    run_id: i64,
}

impl Auditor<'_, '_> {
    fn record(
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
fn settled(w: &WriteTxn<'_>, key: &SourceKey) -> Result<(), crate::StoreError> {
    w.clear_conflict(key)?;
    w.clear_parked(key)?;
    w.clear_resolution(key)?;
    Ok(())
}

pub(super) fn new_timesheet(f: &TimesheetFields) -> NewTimesheet {
    let mut new = NewTimesheet::new(f.begin, f.end, f.project as u64, f.activity as u64);
    new.description = Some(f.description.clone());
    new.tags = f.tags.clone();
    new
}

pub(super) fn patch(f: &TimesheetFields) -> TimesheetPatch {
    TimesheetPatch {
        begin: Some(f.begin),
        end: Some(f.end),
        project: Some(f.project as u64),
        activity: Some(f.activity as u64),
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

/// A remote write failed: a definite rejection settles the outbox row as failed and the run
/// goes on; anything that may have reached Kimai leaves the row `sent` for the next run and
/// ends this one.
fn on_remote_error(
    engine: &Engine<'_>,
    report: &mut RunReport,
    outbox_id: i64,
    key: &SourceKey,
    err: &KimaiError,
) -> Result<Option<(RunOutcome, String)>, EngineError> {
    let definite = matches!(
        err,
        KimaiError::Validation { .. }
            | KimaiError::BadRequest { .. }
            | KimaiError::Forbidden { .. }
            | KimaiError::Locked
            | KimaiError::NotFound
    );
    report.counts.failed += 1;
    tracing::warn!(instance = %key.instance, entry = key.time_accounting_id, error = %err, "remote write failed");
    if definite {
        engine
            .store
            .write(|w| w.outbox_mark(outbox_id, OutboxState::Failed, None))?;
        Ok(None)
    } else {
        Ok(Some((
            remote_outcome(err.is_retryable()),
            format!("Kimai: {err}"),
        )))
    }
}

/// Carries out every action of `report.actions`, stopping at the first failure that may have
/// left a write half done.
pub(super) async fn apply_all(
    engine: &Engine<'_>,
    report: &mut RunReport,
    tickets_of: &BTreeMap<(String, i64), i64>,
    kimai_now: &BTreeMap<i64, KimaiSide>,
) -> Result<Outcome, EngineError> {
    if let Err(e) = ensure_tags(engine, &report.actions).await {
        return Ok(Err((
            remote_outcome(e.is_retryable()),
            format!("Kimai tags: {e}"),
        )));
    }
    let run_id = report.run_id;
    let auditor = Auditor { engine, run_id };
    let actions = report.actions.clone();
    for action in &actions {
        let key = action.key();
        let ticket = tickets_of
            .get(&(key.instance.clone(), key.time_accounting_id))
            .copied();
        match action {
            Action::Create { desired, .. } => {
                let ob = enqueue(
                    engine,
                    run_id,
                    key,
                    OutboxKind::Create,
                    None,
                    Some(&desired.fields),
                )?;
                match engine
                    .kimai
                    .create_timesheet(&new_timesheet(&desired.fields))
                    .await
                {
                    Ok(ts) => {
                        let kimai = kimai_record(&ts, engine.tz).fields;
                        let id = ts.id as i64;
                        engine.store.write(|w| {
                            let link = Link {
                                timesheet_id: Some(id),
                                base_source: desired.fields.clone(),
                                base_kimai: kimai.clone(),
                            };
                            w.upsert_link(key, &link, Some(&desired.month))?;
                            if let Some(t) = ticket {
                                w.set_link_ticket(key, t)?;
                            }
                            auditor.record(
                                w,
                                AuditAction::Create,
                                key,
                                Some(id),
                                None,
                                Some(&kimai),
                            )?;
                            w.outbox_mark(ob, OutboxState::Confirmed, Some(id))?;
                            settled(w, key)
                        })?;
                        report.counts.created += 1;
                    }
                    Err(e) => {
                        if let Some(stop) = on_remote_error(engine, report, ob, key, &e)? {
                            return Ok(Err(stop));
                        }
                    }
                }
            }
            Action::Update {
                timesheet_id,
                from,
                to,
                ..
            } => {
                let ob = enqueue(
                    engine,
                    run_id,
                    key,
                    OutboxKind::Update,
                    Some(*timesheet_id),
                    Some(&to.fields),
                )?;
                match engine
                    .kimai
                    .update_timesheet(*timesheet_id as u64, &patch(&to.fields))
                    .await
                {
                    Ok(ts) => {
                        let kimai = kimai_record(&ts, engine.tz).fields;
                        engine.store.write(|w| {
                            let link = Link {
                                timesheet_id: Some(*timesheet_id),
                                base_source: to.fields.clone(),
                                base_kimai: kimai.clone(),
                            };
                            w.upsert_link(key, &link, Some(&to.month))?;
                            if let Some(t) = ticket {
                                w.set_link_ticket(key, t)?;
                            }
                            auditor.record(
                                w,
                                AuditAction::Update,
                                key,
                                Some(*timesheet_id),
                                Some(from),
                                Some(&kimai),
                            )?;
                            w.outbox_mark(ob, OutboxState::Confirmed, None)?;
                            settled(w, key)
                        })?;
                        report.counts.updated += 1;
                    }
                    Err(e) => {
                        if let Some(stop) = on_remote_error(engine, report, ob, key, &e)? {
                            return Ok(Err(stop));
                        }
                    }
                }
            }
            Action::Delete { timesheet_id, .. } => {
                // What Kimai held when it was read this run (a resolution may delete a record
                // the user edited): that is what an undo must bring back, not the old base.
                let before = match kimai_now.get(timesheet_id) {
                    Some(KimaiSide::Present(record)) => Some(record.fields.clone()),
                    _ => engine.store.link(key)?.map(|l| l.base_kimai),
                };
                let ob = enqueue(
                    engine,
                    run_id,
                    key,
                    OutboxKind::Delete,
                    Some(*timesheet_id),
                    None,
                )?;
                match engine.kimai.delete_timesheet(*timesheet_id as u64).await {
                    // Already gone is what we wanted.
                    Ok(()) | Err(KimaiError::NotFound) => {
                        engine.store.write(|w| {
                            // The event first: it records the link's ticket.
                            auditor.record(
                                w,
                                AuditAction::Delete,
                                key,
                                Some(*timesheet_id),
                                before.as_ref(),
                                None,
                            )?;
                            w.remove_link(key)?;
                            w.outbox_mark(ob, OutboxState::Confirmed, None)?;
                            settled(w, key)
                        })?;
                        report.counts.deleted += 1;
                    }
                    Err(e) => {
                        if let Some(stop) = on_remote_error(engine, report, ob, key, &e)? {
                            return Ok(Err(stop));
                        }
                    }
                }
            }
            Action::KeepUserEdit {
                timesheet_id,
                kimai,
                source,
                ..
            }
            | Action::Rebase {
                timesheet_id,
                kimai,
                source,
                ..
            } => {
                let keep = matches!(action, Action::KeepUserEdit { .. });
                engine.store.write(|w| {
                    let old = w.link(key)?;
                    let link = Link {
                        timesheet_id: Some(*timesheet_id),
                        base_source: source.clone(),
                        base_kimai: kimai.clone(),
                    };
                    let month = source.begin.format("%Y-%m").to_string();
                    w.upsert_link(key, &link, Some(&month))?;
                    if let Some(t) = ticket {
                        w.set_link_ticket(key, t)?;
                    }
                    let what = if keep {
                        AuditAction::KeepUserEdit
                    } else {
                        AuditAction::Rebase
                    };
                    auditor.record(
                        w,
                        what,
                        key,
                        Some(*timesheet_id),
                        old.as_ref().map(|l| &l.base_kimai),
                        Some(kimai),
                    )?;
                    settled(w, key)
                })?;
                if keep {
                    report.counts.kept_user_edits += 1;
                } else {
                    report.counts.rebased += 1;
                }
            }
            Action::ForgetLink { tombstone, .. } => {
                engine.store.write(|w| {
                    let old = w.link(key)?;
                    let ts = old.as_ref().and_then(|l| l.timesheet_id);
                    let what = if *tombstone {
                        AuditAction::Tombstone
                    } else {
                        AuditAction::ForgetLink
                    };
                    auditor.record(w, what, key, ts, old.as_ref().map(|l| &l.base_kimai), None)?;
                    if *tombstone {
                        w.tombstone_link(key)?;
                    } else {
                        w.remove_link(key)?;
                    }
                    settled(w, key)
                })?;
                report.counts.forgotten += 1;
            }
            Action::Park { reason, .. } => {
                engine.store.write(|w| w.set_parked(key, reason, ticket))?;
                report.counts.parked += 1;
            }
            Action::Conflict { .. } => {
                if let Some(record) = ConflictRecord::from_action(action) {
                    engine
                        .store
                        .write(|w| w.record_conflict(Some(run_id), &record))?;
                }
                report.counts.conflicts += 1;
            }
        }
    }
    Ok(Ok(()))
}

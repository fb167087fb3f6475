//! Writes whose answer was lost, settled within the run instead of ending it. On a flaky
//! network most lost answers belong to writes that did happen (the connection broke, or the
//! answer came too late, after Kimai stored the record), and each one used to end the run and
//! wait a whole schedule period. Now the run asks Kimai what became of the write — what the
//! next run would do — and goes on:
//!
//! - a create is looked for by its marker: found, it is committed as created; absent while
//!   Kimai *answered* (a 500, 503 or 429: the request was finished and stored nothing), it is
//!   sent again, at most [`RESENDS`] times; absent after the connection broke off, it is looked
//!   for once more after twice the client's timeout ([`settle_wait`]: a minute with the
//!   default 30 s — what the next run, a quick retry later, would do) and only then sent again,
//!   once; absent after no answer in time, or a gateway's 502/504 (the request may still be in
//!   progress on the server), it is never resent and stays `sent` for the next run. A server
//!   still working on a create longer than that after the connection broke would get it a
//!   second time — the same exposure the next run's recovery has always had;
//! - an update is read back: holding exactly what was sent, it is committed;
//! - a delete is read back: gone, it is committed.
//!
//! Anything not settled stays `sent` in the outbox and counts as failed, exactly as before;
//! `recover` settles it at the start of the next run.

use std::collections::BTreeMap;

use timebridge_kimai::{KimaiError, Timesheet, TimesheetQuery};

use super::apply_write::{self, Lost, LostWrite, Settled};
use super::read::kimai_record;
use super::shared::{EngineError, RunReport};
use super::writes::Auditor;
use crate::store::outbox::OutboxState;
use crate::sync::entries::{InstanceKey, Marker};
use crate::sync::plan::{Action, Desired, SourceKey};

/// How often a create Kimai answered without storing it is sent again in one run.
pub(super) const RESENDS: u32 = 2;

/// How long after a broken connection a create is looked for again before it is sent again:
/// twice the client's timeout.
pub(super) fn settle_wait(auditor: &Auditor<'_, '_>) -> std::time::Duration {
    auditor.engine.kimai.timeout() * 2
}

/// Whether the connection broke off (no answer, no timeout): the request is over on our side.
fn broke_off(error: &KimaiError) -> bool {
    matches!(
        error,
        KimaiError::Transport(timebridge_http::SendError::Broken(_))
    )
}

/// What became of a lost write.
#[derive(Debug)]
pub(super) enum Resolution<'p> {
    /// Settled: done, or refused on a resend.
    Settled,
    /// Left `sent` for the next run (counted as failed).
    Unsettled,
    /// A create whose connection broke off and that Kimai does not hold: look again after
    /// [`settle_wait`] (then [`resolve`] with `waited`).
    Wait(Lost<'p>),
}

/// Whether Kimai itself finished the request without storing anything: it answered 500 (its
/// error), 503 (not taken) or 429 (refused for now). A gateway's 502 or 504 is not enough: the
/// proxy gave up, while Kimai behind it may still store the record.
fn answered(error: &KimaiError) -> bool {
    matches!(
        error,
        KimaiError::Server {
            status: 500 | 503,
            ..
        } | KimaiError::RateLimited { .. }
    )
}

/// The timesheet carrying `key`'s marker, if Kimai holds one (lowest id first).
async fn find_by_marker(
    auditor: &Auditor<'_, '_>,
    key: &SourceKey,
) -> Result<Option<Timesheet>, KimaiError> {
    let Ok(instance) = InstanceKey::new(&key.instance) else {
        return Ok(None);
    };
    let marker = Marker::new(instance, key.time_accounting_id);
    let query = TimesheetQuery {
        term: Some(marker.search_term()),
        ..TimesheetQuery::default()
    };
    let found = auditor.engine.kimai.timesheets_all(&query).await?;
    Ok(found
        .into_iter()
        .filter(|ts| {
            Marker::find(ts.description.as_deref().unwrap_or_default())
                .ok()
                .flatten()
                .is_some_and(|m| m == marker)
        })
        .min_by_key(|ts| ts.id))
}

/// Settles `lost` if Kimai can say what became of it; `waited`: it was looked for once
/// already, [`settle_wait`] ago.
pub(super) async fn resolve<'p>(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    lost: Lost<'p>,
    waited: bool,
) -> Result<Resolution<'p>, EngineError> {
    let engine = auditor.engine;
    let (key, ticket) = (lost.key, lost.ticket);
    let settled = match lost.write {
        LostWrite::Create(desired) => {
            match resolve_create(auditor, report, lost, desired, waited).await? {
                Resolution::Wait(lost) => return Ok(Resolution::Wait(lost)),
                resolution => matches!(resolution, Resolution::Settled),
            }
        }
        LostWrite::Update {
            timesheet_id,
            from,
            to,
        } => match engine.kimai.timesheet(timesheet_id).await {
            Ok(ts)
                if kimai_record(&ts, engine.tz).fields.normalized()
                    == to.fields.clone().normalized() =>
            {
                let what = (timesheet_id, from, to);
                apply_write::commit_updated(
                    auditor,
                    report,
                    (key, ticket, lost.outbox_id),
                    what,
                    &ts,
                )?;
                true
            }
            _ => false,
        },
        LostWrite::Delete {
            timesheet_id,
            before,
        } => match engine.kimai.timesheet(timesheet_id).await {
            Err(KimaiError::NotFound) => {
                let ob = lost.outbox_id;
                apply_write::commit_deleted(
                    auditor,
                    report,
                    (key, ob),
                    timesheet_id,
                    before.as_ref(),
                )?;
                true
            }
            _ => false,
        },
    };
    if settled {
        report.counts.recovered += 1;
        Ok(Resolution::Settled)
    } else {
        report.counts.failed += 1;
        Ok(Resolution::Unsettled)
    }
}

/// A create whose answer was lost: committed when Kimai holds a timesheet with its marker;
/// sent again (at most [`RESENDS`] times) when Kimai answered without storing it, or the
/// connection broke off long enough ago; else looked for again after [`settle_wait`] when
/// the connection broke off just now.
async fn resolve_create<'p>(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    lost: Lost<'p>,
    desired: &'p Desired,
    waited: bool,
) -> Result<Resolution<'p>, EngineError> {
    let engine = auditor.engine;
    let (key, ticket) = (lost.key, lost.ticket);
    let (mut error, mut ob) = (lost.error, lost.outbox_id);
    let mut resends = 0;
    let settled = loop {
        match find_by_marker(auditor, key).await {
            Ok(Some(ts)) => {
                apply_write::commit_created(auditor, report, (key, ticket, ob), desired, &ts)?;
                break true;
            }
            Ok(None) if !waited && resends == 0 && broke_off(&error) => {
                return Ok(Resolution::Wait(Lost {
                    key,
                    ticket,
                    outbox_id: ob,
                    write: LostWrite::Create(desired),
                    error,
                }));
            }
            Ok(None)
                if (answered(&error) && resends < RESENDS)
                    || (waited && resends == 0 && broke_off(&error)) =>
            {
                // Kimai holds no such timesheet, and it answered, or the connection
                // broke off long enough ago: it was not created. The old row is
                // settled once the new one exists (a crash between leaves both,
                // which recovery settles alike).
                resends += 1;
                let old = ob;
                let action = Action::Create {
                    key: key.clone(),
                    desired: desired.clone(),
                };
                let sent = apply_write::send(
                    engine,
                    auditor.run_id(),
                    &action,
                    &BTreeMap::new(),
                    &auditor.projects,
                )
                .await?;
                let Some(sent) = sent else { break false };
                engine
                    .store
                    .write(|w| w.outbox_mark(old, OutboxState::Failed, None))?;
                match apply_write::settle(auditor, report, action.key(), ticket, sent)? {
                    Settled::Done => break true,
                    Settled::Lost(again) => (error, ob) = (again.error, again.outbox_id),
                    Settled::Stop(_) => break false,
                }
            }
            Ok(None) | Err(_) => break false,
        }
    };
    Ok(if settled {
        Resolution::Settled
    } else {
        Resolution::Unsettled
    })
}

//! Carrying a plan out. Every remote write goes through the write-ahead outbox (its row is
//! committed `sent` before the request leaves; the answer is committed with the link, the
//! audit row and the outbox confirmation in one transaction, see `apply_write`), and up to
//! the transport's bound per server (`HttpConfig::max_concurrency`) are in flight at once:
//! with 20 ms per request, 10,000 creates one at a time take 200 s, four at a time 50 s.
//!
//! What stays as before: the answers are committed in plan order (the audit log and the run's
//! counts do not depend on which answer came first); actions about the same entry or the same
//! timesheet never overlap (the plan is cut into stretches without a repeat, and a write whose
//! answer was lost is settled before the next stretch starts). A lost answer no longer stops
//! the run: it is settled within it (`lost`); the run stops sending — what is in flight is
//! still answered and committed — when the server is gone, five answers in a row were lost,
//! or an error no repeat fixes came back. A crash with several writes in flight leaves several
//! `sent` rows, which the next run settles one by one (see `recover`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use futures_util::stream::{FuturesOrdered, StreamExt};

use timebridge_kimai::KimaiError;

use super::apply_write::{self, Sent};
use super::lost::Resolution;

use super::shared::{Engine, EngineError, RunReport, Stop};
use super::writes::{settled, Auditor};
use crate::store::audit::AuditAction;
use crate::store::decisions::ConflictRecord;
use crate::store::runs::RunOutcome;
use crate::sync::plan::{Action, KimaiSide, Link, SourceKey};
use crate::{StoreError, WriteTxn};

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

/// The timesheet an action is about, when it names one.
fn timesheet_of(action: &Action) -> Option<i64> {
    match action {
        Action::Update { timesheet_id, .. }
        | Action::Delete { timesheet_id, .. }
        | Action::KeepUserEdit { timesheet_id, .. }
        | Action::Rebase { timesheet_id, .. } => Some(*timesheet_id),
        Action::Conflict { timesheet_id, .. } => *timesheet_id,
        _ => None,
    }
}

/// The plan cut into consecutive stretches in which no entry and no timesheet comes twice:
/// the actions of a stretch do not depend on each other, so their writes may overlap.
fn stretches(actions: &[Action]) -> Vec<&[Action]> {
    let mut out = Vec::new();
    let (mut start, mut keys, mut sheets) = (0, BTreeSet::new(), BTreeSet::new());
    for (i, action) in actions.iter().enumerate() {
        let sheet = timesheet_of(action);
        if keys.contains(action.key()) || sheet.is_some_and(|t| sheets.contains(&t)) {
            out.push(&actions[start..i]);
            (start, keys, sheets) = (i, BTreeSet::new(), BTreeSet::new());
        }
        keys.insert(action.key());
        sheets.extend(sheet);
    }
    if start < actions.len() {
        out.push(&actions[start..]);
    }
    out
}

/// Carries out every action of `report.actions`, stopping at the first failure that may have
/// left a write half done.
pub(super) async fn apply_all(
    engine: &Engine<'_>,
    report: &mut RunReport,
    tickets_of: &BTreeMap<(String, i64), i64>,
    kimai_now: &BTreeMap<i64, KimaiSide>,
    now: DateTime<Utc>,
) -> Result<Result<(), Stop>, EngineError> {
    if let Err(e) = ensure_tags(engine, &report.actions).await {
        return Ok(Err(Stop::remote(
            e.is_retryable(),
            format!("Kimai tags: {e}"),
        )));
    }
    let auditor = Auditor::new(engine, report.run_id, now);
    let actions = report.actions.clone();
    let mut done = (0, actions.len());
    crate::progress::report(crate::progress::Phase::Writing, 0, done.1);
    let mut unsettled = 0;
    for stretch in stretches(&actions) {
        let stop = apply_stretch(
            &auditor,
            report,
            stretch,
            (tickets_of, kimai_now),
            &mut done,
            &mut unsettled,
        )
        .await?;
        if let Some(stop) = stop {
            return Ok(Err(stop));
        }
    }
    if unsettled > 0 {
        // The rest was carried out; these wait in the outbox for the next run to settle.
        return Ok(Err(Stop {
            outcome: RunOutcome::Offline,
            message: format!(
                "Kimai: {unsettled} write(s) went unanswered and could not be checked; the \
                 next sync settles them"
            ),
        }));
    }
    Ok(Ok(()))
}

/// The entries' tickets and Kimai's side as read this run.
type Known<'k> = (
    &'k BTreeMap<(String, i64), i64>,
    &'k BTreeMap<i64, KimaiSide>,
);

/// Lost answers in a row after which the run stops sending: the server is failing, not
/// flaky.
const LOST_IN_A_ROW: u32 = 5;

/// Whether an error says the server cannot be reached at all (nothing more is sent).
fn server_gone(error: &KimaiError) -> bool {
    matches!(
        error,
        KimaiError::Transport(
            timebridge_http::SendError::Refused(_)
                | timebridge_http::SendError::Connect(_)
                | timebridge_http::SendError::Dns(_)
        )
    )
}

/// Sends `action`'s request if it is a remote write (`None` for a local action).
async fn start<'p>(
    auditor: &Auditor<'_, '_>,
    action: &'p Action,
    kimai_now: &BTreeMap<i64, KimaiSide>,
) -> Result<(&'p Action, Option<Sent<'p>>), crate::StoreError> {
    let (engine, run_id) = (auditor.engine, auditor.run_id());
    let sent = apply_write::send(engine, run_id, action, kimai_now, &auditor.projects).await?;
    Ok((action, sent))
}

/// Carries out one stretch with up to the transport's bound of writes in flight, committing
/// each result in plan order. A write whose answer was lost is settled after the stretch's
/// writes (`lost`: found, read back, or sent again when Kimai answered without storing it);
/// only when the server is gone, or [`LOST_IN_A_ROW`] answers in a row were lost, nothing new
/// starts — every write already sent is still answered and committed. Returns the stopping
/// failure, if any; `unsettled` counts the writes left for the next run.
async fn apply_stretch(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    stretch: &[Action],
    (tickets_of, kimai_now): Known<'_>,
    (done, total): &mut (usize, usize),
    unsettled: &mut u32,
) -> Result<Option<Stop>, EngineError> {
    let engine = auditor.engine;
    let window = engine.kimai.max_concurrency();
    let mut queue = stretch.iter();
    let mut in_flight = FuturesOrdered::new();
    let mut stop = None;
    let mut lost = Vec::new();
    let mut in_a_row = 0;
    loop {
        // Refilled only after the previous result is committed, so the rows marked `sent`
        // are (nearly) the requests in flight: a crash leaves at most `window` to settle.
        while stop.is_none() && in_flight.len() < window {
            let Some(action) = queue.next() else { break };
            in_flight.push_back(start(auditor, action, kimai_now));
        }
        let Some(step) = in_flight.next().await else {
            break;
        };
        let (action, sent) = step?;
        *done += 1;
        let now = engine.retries_now();
        let retries =
            now.kimai + now.zammad - report.retries_before.kimai - report.retries_before.zammad;
        crate::progress::report_with_retries(
            crate::progress::Phase::Writing,
            *done,
            *total,
            retries,
        );
        let key = action.key();
        let ticket = tickets_of
            .get(&(key.instance.clone(), key.time_accounting_id))
            .copied();
        match sent {
            // A local action queued behind a stopping failure is not carried out either.
            None if stop.is_some() => {}
            None => apply_local(auditor, report, action, ticket)?,
            Some(sent) => match apply_write::settle(auditor, report, key, ticket, sent)? {
                apply_write::Settled::Done => in_a_row = 0,
                apply_write::Settled::Stop(failure) => {
                    stop.get_or_insert(failure);
                }
                apply_write::Settled::Lost(l) => {
                    in_a_row += 1;
                    if server_gone(&l.error) || in_a_row >= LOST_IN_A_ROW {
                        stop.get_or_insert(Stop::kimai(&l.error));
                    }
                    lost.push(l);
                }
            },
        }
    }
    // With the server gone, asking it is pointless: the next run settles them.
    if stop.is_some() {
        report.counts.failed += lost.len() as u32;
        *unsettled += lost.len() as u32;
        return Ok(stop);
    }
    settle_lost(auditor, report, lost, unsettled).await?;
    Ok(stop)
}

/// Looks for what became of each write whose answer was lost; one whose connection broke off
/// just now is looked for once more after [`super::lost::settle_wait`]. `unsettled` counts
/// those left for the next run.
async fn settle_lost(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    lost: Vec<apply_write::Lost<'_>>,
    unsettled: &mut u32,
) -> Result<(), EngineError> {
    let mut again = Vec::new();
    for l in lost {
        match super::lost::resolve(auditor, report, l, false).await? {
            Resolution::Settled => {}
            Resolution::Unsettled => *unsettled += 1,
            Resolution::Wait(l) => again.push(l),
        }
    }
    if !again.is_empty() {
        tokio::time::sleep(super::lost::settle_wait(auditor)).await;
        for l in again {
            match super::lost::resolve(auditor, report, l, true).await? {
                Resolution::Settled => {}
                Resolution::Unsettled | Resolution::Wait(_) => *unsettled += 1,
            }
        }
    }
    Ok(())
}

/// Carries out an action that changes only the local state.
fn apply_local(
    auditor: &Auditor<'_, '_>,
    report: &mut RunReport,
    action: &Action,
    ticket: Option<i64>,
) -> Result<(), EngineError> {
    let engine = auditor.engine;
    let key = action.key();
    match action {
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
            let link = Link {
                timesheet_id: Some(*timesheet_id),
                base_source: source.clone(),
                base_kimai: kimai.clone(),
            };
            let what = if keep {
                AuditAction::KeepUserEdit
            } else {
                AuditAction::Rebase
            };
            engine
                .store
                .write(|w| relink(w, auditor, key, &link, ticket, what))?;
            if keep {
                report.counts.kept_user_edits += 1;
            } else {
                report.counts.rebased += 1;
            }
        }
        Action::ForgetLink { tombstone, .. } => {
            engine
                .store
                .write(|w| forget(w, auditor, key, *tombstone))?;
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
                    .write(|w| w.record_conflict(Some(auditor.run_id()), &record))?;
            }
            report.counts.conflicts += 1;
        }
        // Remote writes go through `apply_write`.
        Action::Create { .. } | Action::Update { .. } | Action::Delete { .. } => {}
    }
    Ok(())
}

/// Moves the link's bases to `link` (a kept edit in Kimai, or both sides agreeing), with
/// its audit row; the entry is settled.
fn relink(
    w: &WriteTxn<'_>,
    auditor: &Auditor<'_, '_>,
    key: &SourceKey,
    link: &Link,
    ticket: Option<i64>,
    what: AuditAction,
) -> Result<(), StoreError> {
    let old = w.link(key)?;
    w.upsert_link(key, link, Some(link.base_source.month()))?;
    if let Some(t) = ticket {
        w.set_link_ticket(key, t)?;
    }
    auditor.record(
        w,
        what,
        key,
        link.timesheet_id,
        old.as_ref().map(|l| &l.base_kimai),
        Some(&link.base_kimai),
    )?;
    settled(w, key)
}

/// Forgets the link (`tombstone`: and never creates the entry again), with its audit row;
/// the entry is settled.
fn forget(
    w: &WriteTxn<'_>,
    auditor: &Auditor<'_, '_>,
    key: &SourceKey,
    tombstone: bool,
) -> Result<(), StoreError> {
    let old = w.link(key)?;
    let ts = old.as_ref().and_then(|l| l.timesheet_id);
    let what = if tombstone {
        AuditAction::Tombstone
    } else {
        AuditAction::ForgetLink
    };
    auditor.record(w, what, key, ts, old.as_ref().map(|l| &l.base_kimai), None)?;
    if tombstone {
        w.tombstone_link(key)?;
    } else {
        w.remove_link(key)?;
    }
    settled(w, key)
}

//! One sync run: read, adopt, plan, apply (or only plan, for a preview), record.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use timebridge_kimai::{KimaiClient, KimaiError};
use timebridge_zammad::{ZammadClient, ZammadError};

use super::read::{kimai_record, read_kimai, read_kimai_ids, read_zammad};
use super::{apply, recover};
use crate::store::audit::Actor;
use crate::store::runs::{RunCounts, RunMode, RunOutcome, RunTrigger};
use crate::sync::desired::{build, InstanceRead};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::InstanceSettings;
use crate::sync::plan::{plan, Action, KimaiSide, PlanInput, SourceSide};
use crate::sync::time::Month;
use crate::{Store, StoreError};

/// One Zammad helpdesk to sync.
#[derive(Clone, Debug)]
pub struct InstanceConn {
    /// Its marker key.
    pub key: InstanceKey,
    /// Its client (authenticated as the consultant).
    pub client: ZammadClient,
    /// Its mapping settings.
    pub settings: InstanceSettings,
}

/// Plan and write, or only plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Carry the plan out.
    Apply,
    /// Show what a sync would do; write nothing remote.
    Preview,
}

/// What went wrong outside the remote servers (those end a run as offline or failed).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The local database.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a run did.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The run's id in the history.
    pub run_id: i64,
    /// The plan (for a preview: what would happen).
    pub actions: Vec<Action>,
    /// What was done.
    pub counts: RunCounts,
    /// How the run ended.
    pub outcome: RunOutcome,
    /// Why it did not end well, in words.
    pub error: Option<String>,
    /// Timesheets found by their marker and linked instead of created.
    pub adopted: u32,
}

/// The engine for one Kimai account and its Zammad helpdesks.
#[derive(Debug)]
pub struct Engine<'a> {
    /// The local state.
    pub store: &'a Store,
    /// The consultant's Kimai.
    pub kimai: &'a KimaiClient,
    /// The helpdesks.
    pub instances: &'a [InstanceConn],
    /// The billing timezone.
    pub tz: Tz,
    /// Who started the run (for the audit log).
    pub actor: Actor,
}

/// A remote failure: offline (retry later) or failed (needs a look).
pub(super) fn remote_outcome(retryable: bool) -> RunOutcome {
    if retryable {
        RunOutcome::Offline
    } else {
        RunOutcome::Failed
    }
}

fn kimai_failure(e: &KimaiError) -> (RunOutcome, String) {
    (remote_outcome(e.is_retryable()), format!("Kimai: {e}"))
}

fn zammad_failure(key: &InstanceKey, e: &ZammadError) -> (RunOutcome, String) {
    (
        remote_outcome(e.is_retryable()),
        format!("Zammad {}: {e}", key.as_str()),
    )
}

impl Engine<'_> {
    /// The first day of last month, local midnight: what every run re-reads completely.
    fn horizon(&self, now: DateTime<Utc>) -> (Month, DateTime<Utc>, chrono::NaiveDateTime) {
        let month = Month::of(now.with_timezone(&self.tz).date_naive()).previous();
        let local = month.first_day().and_time(NaiveTime::MIN);
        let utc = self
            .tz
            .from_local_datetime(&local)
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc));
        (month, utc, local)
    }

    /// Runs one sync (or preview) as of `now`.
    pub async fn run(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        trigger: RunTrigger,
    ) -> Result<RunReport, EngineError> {
        let run_mode = if mode == Mode::Preview {
            RunMode::Preview
        } else {
            RunMode::Sync
        };
        let run_id = self.store.start_run(trigger, run_mode)?;
        let mut report = RunReport {
            run_id,
            actions: Vec::new(),
            counts: RunCounts::default(),
            outcome: RunOutcome::Ok,
            error: None,
            adopted: 0,
        };
        if let Err((outcome, error)) = self.run_inner(now, mode, &mut report).await? {
            report.outcome = outcome;
            report.error = Some(error);
        }
        self.store.finish_run(
            run_id,
            report.outcome,
            report.error.as_deref(),
            &report.counts,
        )?;
        Ok(report)
    }

    async fn run_inner(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        report: &mut RunReport,
    ) -> Result<Result<(), (RunOutcome, String)>, EngineError> {
        let (month, since, from_local) = self.horizon(now);
        let listing = match read_kimai(self.kimai, from_local).await {
            Ok(l) => l,
            Err(e) => return Ok(Err(kimai_failure(&e))),
        };
        if mode == Mode::Apply {
            report.adopted = recover::adopt_and_settle(
                self.store,
                report.run_id,
                self.actor,
                &listing,
                self.tz,
            )?;
        }

        let mut input = PlanInput {
            closed_months: self.store.closed_months()?,
            resolutions: self.store.resolutions()?,
            ignored: self.store.ignored()?,
            ..PlanInput::default()
        };
        let mut tickets_of = BTreeMap::new();
        for conn in self.instances {
            let links = self.store.links_for(conn.key.as_str())?;
            let link_tickets = self
                .store
                .link_tickets(conn.key.as_str(), &month.to_string())?;
            let wanted: BTreeSet<i64> = link_tickets.values().copied().collect();
            let (mut read, deleted_tickets) = match read_zammad(&conn.client, since, &wanted).await
            {
                Ok(r) => r,
                Err(e) => return Ok(Err(zammad_failure(&conn.key, &e))),
            };
            // Only the horizon's months are ours to sync: older entries on a ticket that
            // changed recently are left alone (whole months, so corrections net correctly).
            read.entries.retain(|e| e.created_at >= since);
            let instance_read = InstanceRead {
                instance: &conn.key,
                settings: &conn.settings,
                user_id: read.user_id,
                entries: &read.entries,
                tickets: &read.tickets,
                type_names: &read.type_names,
                tz: self.tz,
            };
            let mut source = build(&instance_read);
            // A linked entry missing from a ticket that was read completely (or whose ticket is
            // gone) is gone; one whose ticket was not read stays unread.
            for (key, ticket) in &link_tickets {
                if !source.contains_key(key)
                    && (read.tickets.contains_key(ticket) || deleted_tickets.contains(ticket))
                {
                    source.insert(key.clone(), SourceSide::Gone);
                }
            }
            for entry in &read.entries {
                tickets_of.insert((conn.key.as_str().to_string(), entry.id), entry.ticket_id);
            }
            input.source.extend(source);
            input.links.extend(links);
        }

        // Kimai's side of every linked timesheet: from the listing, else looked up one by one
        // (the user may have moved it out of the horizon, or deleted it).
        let linked: BTreeSet<u64> = input
            .links
            .values()
            .filter_map(|l| l.timesheet_id)
            .map(|id| id as u64)
            .collect();
        let missing: Vec<u64> = linked
            .iter()
            .copied()
            .filter(|id| !listing.contains_key(id))
            .collect();
        let looked_up = match read_kimai_ids(self.kimai, missing).await {
            Ok(l) => l,
            Err(e) => return Ok(Err(kimai_failure(&e))),
        };
        for id in linked {
            let side = match listing
                .get(&id)
                .or_else(|| looked_up.get(&id).and_then(Option::as_ref))
            {
                Some(ts) => KimaiSide::Present(kimai_record(ts, self.tz)),
                None => KimaiSide::Gone,
            };
            input.kimai.insert(id as i64, side);
        }

        report.actions = plan(&input);
        if mode == Mode::Preview {
            return Ok(Ok(()));
        }
        apply::apply_all(self, report, &tickets_of).await
    }
}

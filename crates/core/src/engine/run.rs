//! One sync run as a list of stages: check the Kimai user → read Kimai → link what is already
//! ours → read each helpdesk → link what was there before us → look up linked timesheets →
//! plan → apply (or, for a preview, only plan) → settle cursors and months. Every stage is a
//! function of its own; any of them may end the run with a [`Stop`], recorded as its outcome.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use timebridge_kimai::Timesheet;

use super::first_sync::{self, FirstSyncPreview};
use super::horizon::Horizon;
use super::legacy::{self, LegacyAdoption};
use super::read::{kimai_record, read_kimai, read_kimai_ids, read_kimai_modified};
use super::scope::{self, Scope};
use super::shared::{Engine, EngineError, Halt, InstanceConn, Mode, Retries, RunReport, Stop};
use super::{apply, lookups, recover, refusals, settled, sides, stale, twins};
use crate::store::runs::{RunCounts, RunMode, RunOutcome, RunTrigger};
use crate::sync::entries::url_host;
use crate::sync::plan::{plan, Action, KimaiSide, ParkReason, PlanInput, Resolution, SourceKey};
use crate::sync::rewrite::{self, Rewrite};

mod helpdesk;

use helpdesk::Gathered;

/// The setting that records when a write was first seen stored with other times.
const ADJUSTED_SEEN: &str = "notice.kimai_adjusted_times";

/// What every stage of one run reads: when, how, which months, which helpdesks wait.
pub(super) struct RunContext<'r> {
    pub(super) now: DateTime<Utc>,
    pub(super) mode: Mode,
    pub(super) scope: &'r Scope,
    pub(super) horizon: Horizon,
    /// Helpdesks that never completed a sync (their months are not settled, and their
    /// entries are compared with hand-made bookings before anything is created).
    fresh: BTreeSet<String>,
    /// Helpdesks whose first sync waits for the user's go-ahead: planned, not carried out.
    awaiting: BTreeSet<String>,
}

impl RunContext<'_> {
    /// Whether this run stores links for a helpdesk: an adopt run for every one (the user
    /// asked for it), a sync not for those still waiting for the go-ahead, a preview never.
    fn persist(&self, instance: &str) -> bool {
        match self.mode {
            Mode::Preview => false,
            Mode::Adopt => true,
            Mode::Apply => !self.awaiting.contains(instance),
        }
    }
}

/// Timesheets linked to entries they already belonged to, per helpdesk.
struct Adopted {
    /// Timebridge's own marked timesheets (another installation's, a lost database's).
    own: BTreeMap<String, u32>,
    /// The previous web service's timesheets.
    previous: LegacyAdoption,
}

impl Engine<'_> {
    /// The clients' retry counts so far.
    pub(super) fn retries_now(&self) -> Retries {
        Retries {
            kimai: self.kimai.retries(),
            zammad: self.instances.iter().map(|c| c.client.retries()).sum(),
        }
    }

    pub(super) fn lock(&self) -> Result<std::fs::File, EngineError> {
        super::shared::lock_store(self.store)
    }

    /// Runs one sync (or preview) as of `now`.
    pub async fn run(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        trigger: RunTrigger,
    ) -> Result<RunReport, EngineError> {
        let run_mode = match mode {
            Mode::Preview => RunMode::Preview,
            Mode::Apply | Mode::Adopt => RunMode::Sync,
        };
        // One sync at a time per data directory, across processes: two runs reading the same
        // state would both create the same entry. Released when `_lock` drops.
        let _lock = self.lock()?;
        // Holding the lock, no other run can be going on: one still `running` was killed.
        self.store.interrupt_unfinished_runs()?;
        let run_id = self.store.start_run(trigger, run_mode)?;
        let mut report = RunReport {
            run_id,
            actions: Vec::new(),
            counts: RunCounts::default(),
            outcome: RunOutcome::Ok,
            error: None,
            adopted: 0,
            full: true,
            refused: Vec::new(),
            kimai_adjusted: Vec::new(),
            kimai_adjusted_first: false,
            adopted_legacy: 0,
            legacy_ambiguous: Vec::new(),
            first_sync: Vec::new(),
            held: Vec::new(),
            rewrites: BTreeMap::new(),
            rewritable: BTreeMap::new(),
            retries: Retries::default(),
            retries_before: self.retries_now(),
        };
        let scope = Scope::decide(self.store, self.tz, now, trigger, self.instances)?;
        report.full = scope.is_full(self.instances);
        match self.stages(now, mode, &scope, &mut report).await {
            Ok(()) => {}
            Err(Halt::Stop(stop)) => {
                report.outcome = stop.outcome;
                report.error = Some(stop.message);
            }
            Err(Halt::Engine(e)) => return Err(e),
        }
        let now_retries = self.retries_now();
        report.retries = Retries {
            kimai: now_retries.kimai - report.retries_before.kimai,
            zammad: now_retries.zammad - report.retries_before.zammad,
        };
        if !report.kimai_adjusted.is_empty() && self.store.app_setting(ADJUSTED_SEEN)?.is_none() {
            self.store
                .set_app_setting(ADJUSTED_SEEN, &now.to_rfc3339())?;
            report.kimai_adjusted_first = true;
        }
        self.store.finish_run(
            run_id,
            report.outcome,
            report.error.as_deref(),
            &report.counts,
        )?;
        Ok(report)
    }

    /// The run's stages in order (see the module doc).
    async fn stages(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        scope: &Scope,
        report: &mut RunReport,
    ) -> Result<(), Halt> {
        let ctx = self.context(now, mode, scope)?;
        self.check_kimai_timezone().await?;
        let listing = self.read_kimai_side(&ctx).await?;
        let own = self.adopt_own(&ctx, &listing, report)?;
        let mut gathered = self.read_helpdesks(&ctx, &listing).await?;
        let adopted = self.adopt_found(&ctx, &listing, &mut gathered, own, report)?;
        // Hand-made bookings of the same work: linked when the user said so, else the new
        // entry waits for the user's word.
        let persist = |instance: &str| ctx.persist(instance);
        let confirmed_twins = twins::settle(
            self,
            &persist,
            report.run_id,
            &listing,
            &mut gathered.input,
            &ctx.fresh,
            &gathered.labels,
        )
        .await?
        .map_err(|e| Stop::kimai(&e))?;
        self.look_up_linked(&ctx, &listing, &mut gathered.input)
            .await?;
        let input = &mut gathered.input;
        input.refused = refusals::holding(self, now).await?;
        sides::unmarked_are_gone(&mut input.kimai, &input.links, &confirmed_twins);
        let rewritable = take_rewrites(self.instances, &ctx, input, report);
        let planned = plan(input);
        if mode != Mode::Adopt {
            self.record_first_syncs(&ctx, &planned, &adopted, &rewritable, report)?;
        }
        if mode == Mode::Preview {
            report.actions = planned;
            return Ok(());
        }
        self.apply_and_settle(&ctx, &gathered, planned, report)
            .await
    }

    /// The run's months and which helpdesks are new or waiting.
    fn context<'r>(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        scope: &'r Scope,
    ) -> Result<RunContext<'r>, Halt> {
        let mut fresh = BTreeSet::new();
        for conn in self.instances {
            if !scope::has_synced(self.store, conn.key.as_str())? {
                fresh.insert(conn.key.as_str().to_string());
            }
        }
        let horizon = self.horizon(now, !fresh.is_empty())?;
        let awaiting = self
            .instances
            .iter()
            .filter(|c| c.settings.awaiting_go_ahead)
            .map(|c| c.key.as_str().to_string())
            .collect();
        Ok(RunContext {
            now,
            mode,
            scope,
            horizon,
            fresh,
            awaiting,
        })
    }

    /// Kimai's timesheets: those changed since the cursor, or the whole horizon; plus any a
    /// crash left unconfirmed, wherever they are.
    async fn read_kimai_side(
        &self,
        ctx: &RunContext<'_>,
    ) -> Result<BTreeMap<i64, Timesheet>, Halt> {
        let read = match ctx.scope.kimai_since() {
            Some(since) => read_kimai_modified(self.kimai, since).await,
            None => read_kimai(self.kimai, ctx.horizon.from_local).await,
        };
        let mut listing = read.map_err(|e| Stop::kimai(&e))?;
        // A create a crash left unconfirmed may have landed outside the horizon listing:
        // look for its marker anywhere before concluding it never happened.
        recover::search_unconfirmed(self.store, self.kimai, &mut listing)
            .await?
            .map_err(|e| Stop::kimai(&e))?;
        Ok(listing)
    }

    /// Timebridge's own marked timesheets (another installation's, a lost database's):
    /// linked now, except for helpdesks whose first sync waits (linked in memory later).
    fn adopt_own(
        &self,
        ctx: &RunContext<'_>,
        listing: &BTreeMap<i64, Timesheet>,
        report: &mut RunReport,
    ) -> Result<BTreeMap<String, u32>, Halt> {
        if ctx.mode == Mode::Preview {
            return Ok(BTreeMap::new());
        }
        let held = match ctx.mode {
            Mode::Adopt => BTreeSet::new(),
            _ => ctx.awaiting.clone(),
        };
        let own = recover::adopt_and_settle(
            self.store,
            report.run_id,
            self.actor,
            listing,
            &held,
            self.tz,
        )?;
        report.adopted = own.values().sum();
        Ok(own)
    }

    /// After the helpdesks were read: a preview's and a held helpdesk's own marked
    /// timesheets linked in memory, and the previous web service's timesheets linked (never
    /// booked again).
    fn adopt_found(
        &self,
        ctx: &RunContext<'_>,
        listing: &BTreeMap<i64, Timesheet>,
        gathered: &mut Gathered,
        mut own: BTreeMap<String, u32>,
        report: &mut RunReport,
    ) -> Result<Adopted, Halt> {
        let preview = ctx.mode == Mode::Preview;
        let in_memory = recover::adopt_in_memory(
            &mut gathered.input.links,
            listing,
            |instance: &str| preview || ctx.awaiting.contains(instance),
            self.tz,
        );
        for (instance, n) in in_memory {
            // Counted as done only by a preview (it shows what a sync would do); a held
            // helpdesk's are in its first-sync counts.
            if preview {
                report.adopted += n;
            }
            *own.entry(instance).or_default() += n;
        }
        let helpdesks: Vec<legacy::Helpdesk> = self
            .instances
            .iter()
            .map(|c| legacy::Helpdesk {
                key: c.key.as_str().to_string(),
                host: url_host(c.client.base_url().as_str()),
                picked: c.settings.owns_previous_ambiguous,
            })
            .collect();
        let previous = legacy::adopt(
            self.store,
            report.run_id,
            self.actor,
            listing,
            &helpdesks,
            &gathered.tickets_of,
            &mut gathered.input.links,
            |instance: &str| ctx.persist(instance),
            self.tz,
        )?;
        // Done (or, for a preview, what would be done): not a held helpdesk's.
        let shown: u32 = previous
            .by_instance
            .iter()
            .filter(|(instance, _)| preview || ctx.persist(instance))
            .map(|(_, n)| n)
            .sum();
        report.adopted += shown;
        report.adopted_legacy = shown;
        report.legacy_ambiguous = previous.ambiguous.clone();
        Ok(Adopted { own, previous })
    }

    /// Kimai's side of every linked timesheet: from the listing, else looked up one by one
    /// (the user may have moved it out of the horizon, or deleted it). Only links whose entry
    /// was read this run matter: the planner decides nothing for the others, so their
    /// timesheets are not looked up; nor, in an incremental run, those of entries Zammad did
    /// not change (see `lookups`).
    async fn look_up_linked(
        &self,
        ctx: &RunContext<'_>,
        listing: &BTreeMap<i64, Timesheet>,
        input: &mut PlanInput,
    ) -> Result<(), Halt> {
        let open: BTreeSet<SourceKey> = self
            .store
            .conflicts()?
            .into_iter()
            .map(|c| c.record.key)
            .collect();
        let incremental = ctx.scope.kimai_since().is_some();
        let from = ctx.horizon.from_local;
        let linked = lookups::linked_to_read(input, listing, incremental, from, &open);
        let missing: Vec<i64> = linked
            .iter()
            .copied()
            .filter(|id| !listing.contains_key(id))
            .collect();
        let looked_up = read_kimai_ids(self.kimai, missing)
            .await
            .map_err(|e| Stop::kimai(&e))?;
        for id in linked {
            let side = match listing
                .get(&id)
                .or_else(|| looked_up.get(&id).and_then(Option::as_ref))
            {
                Some(ts) => KimaiSide::Present(kimai_record(ts, self.tz)),
                None => KimaiSide::Gone,
            };
            input.kimai.insert(id, side);
        }
        Ok(())
    }

    /// What each held helpdesk's first sync would do, stored for the user's go-ahead.
    fn record_first_syncs(
        &self,
        ctx: &RunContext<'_>,
        planned: &[Action],
        adopted: &Adopted,
        rewritable: &BTreeMap<SourceKey, Rewrite>,
        report: &mut RunReport,
    ) -> Result<(), Halt> {
        for instance in &ctx.awaiting {
            let mine: Vec<&Action> = planned
                .iter()
                .filter(|a| a.key().instance == *instance)
                .collect();
            let count = |m: &BTreeMap<String, u32>| m.get(instance).copied().unwrap_or(0);
            let preview = FirstSyncPreview::of(
                instance,
                report.run_id,
                ctx.now,
                &mine,
                (count(&adopted.own), count(&adopted.previous.by_instance)),
                rewritable
                    .keys()
                    .filter(|k| k.instance == *instance)
                    .count() as u32,
            );
            first_sync::record(self.store, &preview)?;
            report.first_sync.push(preview);
        }
        Ok(())
    }

    /// Carries the plan out (held helpdesks' part excepted) and, when everything planned was
    /// read and written, moves the cursors and the settled months.
    async fn apply_and_settle(
        &self,
        ctx: &RunContext<'_>,
        gathered: &Gathered,
        planned: Vec<Action>,
        report: &mut RunReport,
    ) -> Result<(), Halt> {
        let (mode, awaiting, input) = (ctx.mode, &ctx.awaiting, &gathered.input);
        // Held helpdesks' entries are not settled either (their plan is not carried out); the
        // plan input is copied only while a helpdesk waits.
        if mode == Mode::Apply && !awaiting.is_empty() {
            let mut quiet_input = input.clone();
            quiet_input
                .source
                .retain(|key, _| !awaiting.contains(&key.instance));
            stale::settle_quiet(self.store, &quiet_input, &planned)?;
        } else {
            stale::settle_quiet(self.store, input, &planned)?;
        }
        let (actions, held): (Vec<Action>, Vec<Action>) =
            planned.into_iter().partition(|a| match mode {
                // Steps 1–2 only: entries with a possible twin wait for the user.
                Mode::Adopt => matches!(
                    a,
                    Action::Park {
                        reason: ParkReason::PossibleTwin { .. },
                        ..
                    }
                ),
                _ => !awaiting.contains(&a.key().instance),
            });
        report.actions = actions;
        report.held = held;
        // Only rewrites this run carries out count as done (confirmed below).
        let updates: BTreeSet<&SourceKey> = report
            .actions
            .iter()
            .filter(|a| matches!(a, Action::Update { .. }))
            .map(Action::key)
            .collect();
        report.rewrites.retain(|key, _| updates.contains(key));
        let applied =
            apply::apply_all(self, report, &gathered.tickets_of, &input.kimai, ctx.now).await?;
        // A rewrite Kimai confirmed leaves its link with a known base.
        if !report.rewrites.is_empty() {
            let links = self.store.all_links()?;
            report
                .rewrites
                .retain(|key, _| links.get(key).is_some_and(|l| !l.base_kimai.is_unknown()));
        }
        if mode == Mode::Apply && applied.is_ok() && report.counts.failed == 0 {
            self.settle_cursors(ctx, &gathered.newest, report.full)?;
        }
        Ok(applied?)
    }

    /// Only a run that read and wrote everything it planned moves the cursors — and not those
    /// of helpdesks held back (their first sync is still to come), nor any in an adopt run (it
    /// booked nothing); a full one also settles the months it read.
    fn settle_cursors(
        &self,
        ctx: &RunContext<'_>,
        newest: &BTreeMap<String, DateTime<Utc>>,
        full: bool,
    ) -> Result<(), Halt> {
        let awaiting = &ctx.awaiting;
        let synced: Vec<InstanceConn> = self
            .instances
            .iter()
            .filter(|c| !awaiting.contains(c.key.as_str()))
            .cloned()
            .collect();
        let mut newest = newest.clone();
        newest.retain(|key, _| !awaiting.contains(key));
        scope::record(self.store, full, ctx.now, &newest, &synced)?;
        if full {
            let h = &ctx.horizon;
            settled::record(
                self.store,
                h.open,
                h.read,
                h.last_month,
                h.settled.as_ref(),
                ctx.now,
            )?;
        }
        Ok(())
    }
}

/// The previous service's timesheets, rewritten where the user opted in (resolved as "take
/// Zammad's version"); the others counted as an offer. Returns every rewritable one.
fn take_rewrites(
    instances: &[InstanceConn],
    ctx: &RunContext<'_>,
    input: &mut PlanInput,
    report: &mut RunReport,
) -> BTreeMap<SourceKey, Rewrite> {
    let rewrite_on: BTreeSet<&str> = instances
        .iter()
        .filter(|c| c.settings.rewrite_previous)
        .map(|c| c.key.as_str())
        .collect();
    let rewritable = rewrite::rewritable(input, None);
    for (key, rw) in &rewritable {
        if rewrite_on.contains(key.instance.as_str()) {
            input
                .resolutions
                .insert(key.clone(), Resolution::TakeZammad);
            report.rewrites.insert(key.clone(), rw.clone());
        } else if !ctx.awaiting.contains(&key.instance) || ctx.mode == Mode::Preview {
            // A held helpdesk's are in its first-sync counts.
            *report.rewritable.entry(key.instance.clone()).or_default() += 1;
        }
    }
    rewritable
}

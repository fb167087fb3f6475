//! One sync run: read, adopt, plan, apply (or only plan, for a preview), record.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use timebridge_kimai::KimaiError;
use timebridge_zammad::ZammadError;

use super::first_sync::{self, FirstSyncPreview};
use super::horizon::{horizon_from, oldest_open_month};
use super::read::{kimai_record, read_kimai, read_kimai_ids, read_kimai_modified, read_zammad};
use super::scope::{self, Scope};
use super::shared::{
    lock_store, remote_outcome, Engine, EngineError, InstanceConn, Mode, Retries, RunReport,
};
use super::unit_check::{self, UnitCheck};
use super::{apply, legacy, lookups, recover, refusals, settled, sides, stale, twins};
use crate::store::runs::{RunCounts, RunMode, RunOutcome, RunTrigger};
use crate::sync::desired::{build, InstanceRead};
use crate::sync::entries::url_host;
use crate::sync::entries::InstanceKey;
use crate::sync::plan::{plan, Action, KimaiSide, PlanInput, SourceKey, TimesheetFields};
use crate::sync::plan::{ParkReason, Resolution};
use crate::sync::rewrite;
use crate::sync::time::Month;
use crate::StoreError;

/// The months of one run (see [`Engine::horizon`]).
struct Horizon {
    /// The oldest open month and where it begins: entries from there on are planned.
    open: Month,
    open_since: DateTime<Utc>,
    /// The first month a full run reads completely, where it begins (UTC and wall-clock).
    read: Month,
    since: DateTime<Utc>,
    from_local: chrono::NaiveDateTime,
    last_month: Month,
    /// The settled months before this run.
    settled: Option<settled::Settled>,
}

/// The setting that records when a write was first seen stored with other times.
const ADJUSTED_SEEN: &str = "notice.kimai_adjusted_times";

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
    /// The months this run covers: every open month (from the oldest one since "book time
    /// from", or last month) is planned; a full run reads completely from `read` on — the
    /// open months minus the settled ones (`engine::settled`).
    fn horizon(&self, now: DateTime<Utc>, fresh: bool) -> Result<Horizon, StoreError> {
        // The same month `timebridge status` shows as the oldest open one.
        let open = oldest_open_month(self.store, self.tz, now)?;
        let last_month = Month::of(now.with_timezone(&self.tz).date_naive()).previous();
        let settled = settled::load(self.store)?;
        // A helpdesk's first sync reads every open month: nothing of it is settled yet.
        let read = if fresh {
            open
        } else {
            settled::read_from(open, last_month, settled.as_ref(), now)
        };
        let (open, open_since, _) = horizon_from(self.tz, now, Some(open));
        let (read, since, from_local) = horizon_from(self.tz, now, Some(read));
        Ok(Horizon {
            open,
            open_since,
            read,
            since,
            from_local,
            last_month,
            settled,
        })
    }

    /// The clients' retry counts so far.
    pub(super) fn retries_now(&self) -> Retries {
        Retries {
            kimai: self.kimai.retries(),
            zammad: self.instances.iter().map(|c| c.client.retries()).sum(),
        }
    }

    pub(super) fn lock(&self) -> Result<std::fs::File, EngineError> {
        lock_store(self.store)
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
        if let Err((outcome, error)) = self.run_inner(now, mode, &scope, &mut report).await? {
            report.outcome = outcome;
            report.error = Some(error);
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

    async fn run_inner(
        &self,
        now: DateTime<Utc>,
        mode: Mode,
        scope: &Scope,
        report: &mut RunReport,
    ) -> Result<Result<(), (RunOutcome, String)>, EngineError> {
        // Helpdesks that never completed a sync (their months are not settled, and their
        // entries are compared with hand-made bookings before anything is created).
        let mut fresh: BTreeSet<String> = BTreeSet::new();
        for conn in self.instances {
            if !scope::has_synced(self.store, conn.key.as_str())? {
                fresh.insert(conn.key.as_str().to_string());
            }
        }
        let horizon = self.horizon(now, !fresh.is_empty())?;
        let (month, since, from_local) = (horizon.read, horizon.since, horizon.from_local);
        // Kimai reads and writes wall-clock times in its user's timezone: if that is not the
        // billing timezone, every time would shift. Refuse rather than guess.
        match self.kimai.me().await {
            Ok(me) if me.timezone != self.tz.name() => {
                return Ok(Err((
                    RunOutcome::Failed,
                    format!(
                        "the Kimai user's timezone is {}, but the billing timezone is {}; set \
                         them to the same zone (in Kimai's profile or Timebridge's settings)",
                        me.timezone,
                        self.tz.name()
                    ),
                )))
            }
            Ok(_) => {}
            Err(e) => return Ok(Err(kimai_failure(&e))),
        }
        let kimai_read = match scope.kimai_since() {
            Some(since) => read_kimai_modified(self.kimai, since).await,
            None => read_kimai(self.kimai, from_local).await,
        };
        let mut listing = match kimai_read {
            Ok(l) => l,
            Err(e) => return Ok(Err(kimai_failure(&e))),
        };
        // A create a crash left unconfirmed may have landed outside the horizon listing:
        // look for its marker anywhere before concluding it never happened.
        if let Err(e) = recover::search_unconfirmed(self.store, self.kimai, &mut listing).await? {
            return Ok(Err(kimai_failure(&e)));
        }
        let ambiguous = sides::ambiguous_keys(listing.values());
        // Helpdesks whose first sync waits for the user's go-ahead: planned, not carried out.
        let awaiting: BTreeSet<String> = self
            .instances
            .iter()
            .filter(|c| c.settings.awaiting_go_ahead)
            .map(|c| c.key.as_str().to_string())
            .collect();
        // Timebridge's own marked timesheets (another installation's, a lost database's):
        // linked now, except for helpdesks whose first sync waits (linked in memory below).
        // Whether this run stores links for a helpdesk: an adopt run for every one (the user
        // asked for it), a sync not for those still waiting for the go-ahead.
        let persist = |instance: &str| match mode {
            Mode::Preview => false,
            Mode::Adopt => true,
            Mode::Apply => !awaiting.contains(instance),
        };
        let mut own_adopted = BTreeMap::new();
        if mode != Mode::Preview {
            let held = match mode {
                Mode::Adopt => BTreeSet::new(),
                _ => awaiting.clone(),
            };
            own_adopted = recover::adopt_and_settle(
                self.store,
                report.run_id,
                self.actor,
                &listing,
                &held,
                self.tz,
            )?;
            report.adopted = own_adopted.values().sum();
        }

        let mut input = PlanInput {
            closed_months: self.store.closed_months()?,
            resolutions: self.store.resolutions()?,
            ignored: self.store.ignored()?,
            ..PlanInput::default()
        };
        let mut tickets_of = BTreeMap::new();
        let mut newest = BTreeMap::new();
        // Ticket number and title of the entries read, for twin matching.
        let mut labels: BTreeMap<SourceKey, (String, String)> = BTreeMap::new();
        for conn in self.instances {
            let links = self.store.links_for(conn.key.as_str())?;
            // Every open month's links can be judged when their ticket is read; a full run
            // re-reads the tickets of links in the months it reads completely.
            let link_tickets = self
                .store
                .link_tickets(conn.key.as_str(), &horizon.open.to_string())?;
            let reread_tickets = self
                .store
                .link_tickets(conn.key.as_str(), &month.to_string())?;
            // Parked entries' tickets are re-read in every full run (and a mapping edit makes
            // the next run full): a parked entry deleted in Zammad is then gone (its parked row
            // settled), and one a new rule covers is booked, even when older than the horizon.
            let parked_tickets = self.store.parked_tickets(conn.key.as_str())?;
            // An incremental read looks only at tickets updated since the cursor; a full one
            // also re-reads every ticket of a link in the horizon.
            let incremental = scope.zammad_since(conn.key.as_str());
            let wanted: BTreeSet<i64> = match incremental {
                Some(_) => BTreeSet::new(),
                None => reread_tickets
                    .values()
                    .chain(parked_tickets.values())
                    .copied()
                    .collect(),
            };
            let search_since = incremental.map_or(since, |c| c.max(horizon.open_since));
            let zammad_read = read_zammad(&conn.client, search_since, &wanted).await;
            let (mut read, deleted_tickets) = match zammad_read {
                Ok(r) => r,
                Err(e) => return Ok(Err(zammad_failure(&conn.key, &e))),
            };
            if let Some(t) = read.newest_update {
                newest.insert(conn.key.as_str().to_string(), t);
            }
            if let Some(expected) = conn.settings.zammad_user_id {
                if expected != read.user_id {
                    return Ok(Err((
                        RunOutcome::Failed,
                        format!(
                            "Zammad {}: the token now belongs to user {}, not to the connected \
                             user {expected}; re-add the connection with your own token",
                            conn.key.as_str(),
                            read.user_id
                        ),
                    )));
                }
            }
            // Every entry id the tickets read still hold, before the horizon filter: only an id
            // absent from a ticket read completely is a deleted entry.
            let present: BTreeSet<i64> = read.entries.iter().map(|e| e.id).collect();
            let mut held_by_ticket: BTreeMap<i64, BTreeSet<i64>> =
                read.tickets.keys().map(|t| (*t, BTreeSet::new())).collect();
            for entry in &read.entries {
                if let Some(ids) = held_by_ticket.get_mut(&entry.ticket_id) {
                    ids.insert(entry.id);
                }
            }
            for entry in &read.entries {
                tickets_of.insert((conn.key.as_str().to_string(), entry.id), entry.ticket_id);
            }
            // Only the open months are ours to sync: older entries on a ticket that changed
            // recently are left alone (whole months, so corrections net correctly) — except
            // parked ones, which wait for the user however old they are.
            // A day laid out without overlaps needs all of the day's entries, which only a
            // complete read of its month has: settled months of such a helpdesk wait for the
            // deep run.
            let plan_from = match conn.settings.layout {
                crate::sync::mapping::Layout::NoOverlaps => since,
                crate::sync::mapping::Layout::EndAtBooking => horizon.open_since,
            };
            read.entries.retain(|e| {
                e.created_at >= plan_from
                    || parked_tickets.contains_key(&SourceKey {
                        instance: conn.key.as_str().to_string(),
                        time_accounting_id: e.id,
                    })
            });
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
            let ticketless = match incremental {
                None => self
                    .store
                    .ticketless_links(conn.key.as_str(), &month.to_string())?,
                Some(_) => Vec::new(),
            };
            let created_here = self.store.created_here(&ticketless)?;
            let doubtful = sides::mark_gone(
                &mut source,
                &sides::Known {
                    link_tickets: &link_tickets,
                    parked_tickets: &parked_tickets,
                    links: &links,
                    present: &present,
                    read: &read,
                    deleted_tickets: &deleted_tickets,
                    ticketless: &ticketless,
                    created_here: &created_here,
                },
            );
            let mut links = links;
            for key in &doubtful {
                if let Some(link) = links.get_mut(key) {
                    link.base_source = TimesheetFields::unknown();
                    link.base_kimai = TimesheetFields::unknown();
                }
            }
            sides::park_ambiguous(&mut source, &ambiguous, &links);
            // A full run checks the helpdesk's unit setting again (docs/sync-model.md).
            if incremental.is_none() {
                match unit_check::check(conn).await {
                    Ok(UnitCheck::Same) => {}
                    Ok(UnitCheck::Learned(setting)) => {
                        if mode == Mode::Apply && !conn.settings.awaiting_go_ahead {
                            unit_check::record(self.store, &conn.key, &setting)?;
                        }
                    }
                    Ok(UnitCheck::Changed { was, now }) => {
                        unit_check::park_new(&mut source, &links, &was, &now);
                    }
                    Err(e) => return Ok(Err(zammad_failure(&conn.key, &e))),
                }
            }
            // What Zammad said about each entry, whatever the plan does with it (a preview
            // too: these are observations, not writes).
            let facts = crate::sync::facts::collect(&instance_read, &source);
            self.store.write(|w| {
                w.record_facts(&crate::store::facts::FactsRead {
                    instance: conn.key.as_str(),
                    facts: &facts,
                    tickets: &held_by_ticket,
                    unreadable: &read.unreadable,
                    deleted: &deleted_tickets,
                    now,
                })
            })?;
            // Links that do not know their ticket yet (adopted ones) learn it now, so a deleted
            // ticket is noticed later.
            let backfill: Vec<_> = links
                .keys()
                .filter_map(|key| {
                    let t = tickets_of.get(&(key.instance.clone(), key.time_accounting_id))?;
                    (link_tickets.get(key) != Some(t)).then(|| (key.clone(), *t))
                })
                .collect();
            if mode == Mode::Apply && !conn.settings.awaiting_go_ahead && !backfill.is_empty() {
                self.store.write(|w| {
                    backfill
                        .iter()
                        .try_for_each(|(key, t)| w.set_link_ticket(key, *t))
                })?;
            }
            for key in source.keys() {
                let ticket = tickets_of
                    .get(&(key.instance.clone(), key.time_accounting_id))
                    .and_then(|t| read.tickets.get(t));
                if let Some(t) = ticket {
                    labels.insert(key.clone(), (t.facts.number.clone(), t.facts.title.clone()));
                }
            }
            input.source.extend(source);
            input.links.extend(links);
        }
        // A preview, and a held helpdesk, see their own marked timesheets linked too.
        let in_memory = recover::adopt_in_memory(
            &mut input.links,
            &listing,
            |instance: &str| mode == Mode::Preview || awaiting.contains(instance),
            self.tz,
        );
        for (instance, n) in in_memory {
            // Counted as done only by a preview (it shows what a sync would do); a held
            // helpdesk's are in its first-sync counts.
            if mode == Mode::Preview {
                report.adopted += n;
            }
            *own_adopted.entry(instance).or_default() += n;
        }
        // Timesheets the previous web service wrote: linked, never booked again.
        let helpdesks: Vec<legacy::Helpdesk> = self
            .instances
            .iter()
            .map(|c| legacy::Helpdesk {
                key: c.key.as_str().to_string(),
                host: url_host(c.client.base_url().as_str()),
                picked: c.settings.owns_previous_ambiguous,
            })
            .collect();
        let adopted = legacy::adopt(
            self.store,
            report.run_id,
            self.actor,
            &listing,
            &helpdesks,
            &tickets_of,
            &mut input.links,
            persist,
            self.tz,
        )?;
        // Done (or, for a preview, what would be done): not a held helpdesk's.
        let shown: u32 = adopted
            .by_instance
            .iter()
            .filter(|(instance, _)| mode == Mode::Preview || persist(instance))
            .map(|(_, n)| n)
            .sum();
        report.adopted += shown;
        report.adopted_legacy = shown;
        report.legacy_ambiguous = adopted.ambiguous;
        // Hand-made bookings of the same work: linked when the user said so, else the new
        // entry waits for the user's word.
        let confirmed_twins = match twins::settle(
            self,
            &persist,
            report.run_id,
            &listing,
            &mut input,
            &fresh,
            &labels,
        )
        .await?
        {
            Ok(c) => c,
            Err(e) => return Ok(Err(kimai_failure(&e))),
        };

        // Kimai's side of every linked timesheet: from the listing, else looked up one by one
        // (the user may have moved it out of the horizon, or deleted it).
        // Only links whose entry was read this run matter: the planner decides nothing for the
        // others, so their timesheets are not looked up; nor, in an incremental run, those of
        // entries Zammad did not change (see `lookups`).
        let open: BTreeSet<SourceKey> = self
            .store
            .conflicts()?
            .into_iter()
            .map(|c| c.record.key)
            .collect();
        let incremental_kimai = scope.kimai_since().is_some();
        let linked =
            lookups::linked_to_read(&input, &listing, incremental_kimai, from_local, &open);
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

        input.refused = refusals::holding(self, now).await?;
        sides::unmarked_are_gone(&mut input.kimai, &input.links, &confirmed_twins);
        // The previous service's timesheets, rewritten where the user opted in.
        let rewrite_on: BTreeSet<String> = self
            .instances
            .iter()
            .filter(|c| c.settings.rewrite_previous)
            .map(|c| c.key.as_str().to_string())
            .collect();
        let rewritable = rewrite::rewritable(&input, None);
        for (key, rw) in &rewritable {
            if rewrite_on.contains(&key.instance) {
                input
                    .resolutions
                    .insert(key.clone(), Resolution::TakeZammad);
                report.rewrites.insert(key.clone(), rw.clone());
            } else if !awaiting.contains(&key.instance) || mode == Mode::Preview {
                // A held helpdesk's are in its first-sync counts.
                *report.rewritable.entry(key.instance.clone()).or_default() += 1;
            }
        }
        let planned = plan(&input);
        if mode != Mode::Adopt {
            for instance in &awaiting {
                let mine: Vec<&Action> = planned
                    .iter()
                    .filter(|a| a.key().instance == *instance)
                    .collect();
                let preview = FirstSyncPreview::of(
                    instance,
                    report.run_id,
                    now,
                    &mine,
                    (
                        own_adopted.get(instance).copied().unwrap_or(0),
                        adopted.by_instance.get(instance).copied().unwrap_or(0),
                    ),
                    rewritable
                        .keys()
                        .filter(|k| k.instance == *instance)
                        .count() as u32,
                );
                first_sync::record(self.store, &preview)?;
                report.first_sync.push(preview);
            }
        }
        if mode == Mode::Preview {
            report.actions = planned;
            return Ok(Ok(()));
        }
        // Held helpdesks' entries are not settled either (their plan is not carried out); the
        // plan input is copied only while a helpdesk waits.
        if mode == Mode::Apply && !awaiting.is_empty() {
            let mut quiet_input = input.clone();
            quiet_input
                .source
                .retain(|key, _| !awaiting.contains(&key.instance));
            stale::settle_quiet(self.store, &quiet_input, &planned)?;
        } else {
            stale::settle_quiet(self.store, &input, &planned)?;
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
        let applied = apply::apply_all(self, report, &tickets_of, &input.kimai, now).await?;
        // A rewrite Kimai confirmed leaves its link with a known base.
        if !report.rewrites.is_empty() {
            let links = self.store.all_links()?;
            report
                .rewrites
                .retain(|key, _| links.get(key).is_some_and(|l| !l.base_kimai.is_unknown()));
        }
        // Only a run that read and wrote everything it planned moves the cursors — and not
        // those of helpdesks held back (their first sync is still to come), nor any in an
        // adopt run (it booked nothing).
        let synced: Vec<InstanceConn> = self
            .instances
            .iter()
            .filter(|c| !awaiting.contains(c.key.as_str()))
            .cloned()
            .collect();
        newest.retain(|key, _| !awaiting.contains(key));
        if mode == Mode::Apply && applied.is_ok() && report.counts.failed == 0 {
            scope::record(self.store, report.full, now, &newest, &synced)?;
            if report.full {
                settled::record(
                    self.store,
                    horizon.open,
                    month,
                    horizon.last_month,
                    horizon.settled.as_ref(),
                    now,
                )?;
            }
        }
        Ok(applied)
    }
}

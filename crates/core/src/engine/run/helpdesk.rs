//! The run's helpdesk stage: each Zammad helpdesk read (tickets changed since its cursor, or
//! the whole horizon, plus the tickets of links and parked entries that must be looked at
//! again), its entries judged against what is known (gone, ambiguous, a changed unit), what
//! Zammad said recorded, and the result added to the plan's input.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use timebridge_kimai::Timesheet;
use timebridge_zammad::ZammadError;

use super::super::read::{read_zammad, ZammadRead};
use super::super::shared::{Engine, Halt, InstanceConn, Mode, Stop};
use super::super::sides;
use super::super::unit_check::{self, UnitCheck};
use super::RunContext;
use crate::sync::desired::{build, InstanceRead};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::Layout;
use crate::sync::plan::{Link, PlanInput, SourceKey, SourceSide, TimesheetFields};

/// What the helpdesks' reads gathered for the planner.
#[derive(Default)]
pub(super) struct Gathered {
    /// The planner's input: entries, links, and what the user decided.
    pub(super) input: PlanInput,
    /// The ticket of each entry read, by helpdesk and entry id.
    pub(super) tickets_of: BTreeMap<(String, i64), i64>,
    /// The newest ticket update read per helpdesk: its next cursor.
    pub(super) newest: BTreeMap<String, DateTime<Utc>>,
    /// Ticket number and title of the entries read, for twin matching.
    pub(super) labels: BTreeMap<SourceKey, (String, String)>,
}

/// One helpdesk as read, with the local state its entries are judged against.
struct HelpdeskRead {
    read: ZammadRead,
    deleted_tickets: BTreeSet<i64>,
    /// Whether only tickets changed since the cursor were read.
    incremental: bool,
    links: BTreeMap<SourceKey, Link>,
    /// The ticket of each link in the open months.
    link_tickets: BTreeMap<SourceKey, i64>,
    /// The ticket of each parked entry.
    parked_tickets: BTreeMap<SourceKey, i64>,
    /// Every entry id the tickets read still hold, before the horizon filter.
    present: BTreeSet<i64>,
    /// The entry ids each ticket read holds.
    held_by_ticket: BTreeMap<i64, BTreeSet<i64>>,
}

/// A token that now belongs to another Zammad user than the one connected ends the run: their
/// entries are not the consultant's.
fn same_user(conn: &InstanceConn, read: &ZammadRead) -> Result<(), Stop> {
    match conn.settings.zammad_user_id {
        Some(expected) if expected != read.user_id => Err(Stop::failed(format!(
            "Zammad {}: the token now belongs to user {}, not to the connected user \
             {expected}; re-add the connection with your own token",
            conn.key.as_str(),
            read.user_id
        ))),
        _ => Ok(()),
    }
}

fn zammad_stop(key: &InstanceKey, e: &ZammadError) -> Stop {
    Stop::remote(e.is_retryable(), format!("Zammad {}: {e}", key.as_str()))
}

impl Engine<'_> {
    /// Reads every helpdesk in turn; the first that cannot be read ends the run.
    pub(super) async fn read_helpdesks(
        &self,
        ctx: &RunContext<'_>,
        listing: &BTreeMap<i64, Timesheet>,
    ) -> Result<Gathered, Halt> {
        let ambiguous = sides::ambiguous_keys(listing.values());
        let mut gathered = Gathered {
            input: PlanInput {
                closed_months: self.store.closed_months()?,
                resolutions: self.store.resolutions()?,
                ignored: self.store.ignored()?,
                ..PlanInput::default()
            },
            ..Gathered::default()
        };
        for conn in self.instances {
            let read = self.read_helpdesk(ctx, conn, &mut gathered).await?;
            self.judge_helpdesk(ctx, conn, read, &ambiguous, &mut gathered)
                .await?;
        }
        Ok(gathered)
    }

    /// Reads one helpdesk's tickets and keeps the entries of the months this run plans.
    async fn read_helpdesk(
        &self,
        ctx: &RunContext<'_>,
        conn: &InstanceConn,
        gathered: &mut Gathered,
    ) -> Result<HelpdeskRead, Halt> {
        let (key, horizon) = (conn.key.as_str(), &ctx.horizon);
        let links = self.store.links_for(key)?;
        // Every open month's links can be judged when their ticket is read; a full run
        // re-reads the tickets of links in the months it reads completely.
        let link_tickets = self.store.link_tickets(key, horizon.open)?;
        let reread_tickets = self.store.link_tickets(key, horizon.read)?;
        // Parked entries' tickets are re-read in every full run (and a mapping edit makes
        // the next run full): a parked entry deleted in Zammad is then gone (its parked row
        // settled), and one a new rule covers is booked, even when older than the horizon.
        let parked_tickets = self.store.parked_tickets(key)?;
        // An incremental read looks only at tickets updated since the cursor; a full one
        // also re-reads every ticket of a link in the horizon.
        let incremental = ctx.scope.zammad_since(key);
        let wanted: BTreeSet<i64> = match incremental {
            Some(_) => BTreeSet::new(),
            None => reread_tickets
                .values()
                .chain(parked_tickets.values())
                .copied()
                .collect(),
        };
        let search_since = incremental.map_or(horizon.since, |c| c.max(horizon.open_since));
        let (mut read, deleted_tickets) = read_zammad(&conn.client, search_since, &wanted)
            .await
            .map_err(|e| zammad_stop(&conn.key, &e))?;
        if let Some(t) = read.newest_update {
            gathered.newest.insert(key.to_string(), t);
        }
        same_user(conn, &read)?;
        // Every entry id the tickets read still hold, before the horizon filter: only an id
        // absent from a ticket read completely is a deleted entry.
        let present: BTreeSet<i64> = read.entries.iter().map(|e| e.id).collect();
        let mut held_by_ticket: BTreeMap<i64, BTreeSet<i64>> =
            read.tickets.keys().map(|t| (*t, BTreeSet::new())).collect();
        for entry in &read.entries {
            if let Some(ids) = held_by_ticket.get_mut(&entry.ticket_id) {
                ids.insert(entry.id);
            }
            gathered
                .tickets_of
                .insert((key.to_string(), entry.id), entry.ticket_id);
        }
        // Only the open months are ours to sync: older entries on a ticket that changed
        // recently are left alone (whole months, so corrections net correctly) — except
        // parked ones, which wait for the user however old they are.
        // A day laid out without overlaps needs all of the day's entries, which only a
        // complete read of its month has: settled months of such a helpdesk wait for the
        // deep run.
        let plan_from = match conn.settings.layout {
            Layout::NoOverlaps => horizon.since,
            Layout::EndAtBooking => horizon.open_since,
        };
        read.entries.retain(|e| {
            e.created_at >= plan_from
                || parked_tickets.contains_key(&SourceKey {
                    instance: key.to_string(),
                    time_accounting_id: e.id,
                })
        });
        Ok(HelpdeskRead {
            read,
            deleted_tickets,
            incremental: incremental.is_some(),
            links,
            link_tickets,
            parked_tickets,
            present,
            held_by_ticket,
        })
    }

    /// Turns one helpdesk's read into the planner's source side: entries that are provably
    /// gone marked, doubtful links given an unknown base, ambiguous ones parked, a changed
    /// unit noticed; records what Zammad said and adds everything to `gathered`.
    async fn judge_helpdesk(
        &self,
        ctx: &RunContext<'_>,
        conn: &InstanceConn,
        r: HelpdeskRead,
        ambiguous: &BTreeSet<SourceKey>,
        gathered: &mut Gathered,
    ) -> Result<(), Halt> {
        let key = conn.key.as_str();
        let instance_read = InstanceRead {
            instance: &conn.key,
            settings: &conn.settings,
            user_id: r.read.user_id,
            entries: &r.read.entries,
            tickets: &r.read.tickets,
            type_names: &r.read.type_names,
            tz: self.tz,
        };
        let mut source = build(&instance_read);
        let ticketless = if r.incremental {
            Vec::new()
        } else {
            self.store.ticketless_links(key, ctx.horizon.read)?
        };
        let created_here = self.store.created_here(&ticketless)?;
        let doubtful = sides::mark_gone(
            &mut source,
            &sides::Known {
                link_tickets: &r.link_tickets,
                parked_tickets: &r.parked_tickets,
                links: &r.links,
                present: &r.present,
                read: &r.read,
                deleted_tickets: &r.deleted_tickets,
                ticketless: &ticketless,
                created_here: &created_here,
            },
        );
        let mut links = r.links;
        for doubtful_key in &doubtful {
            if let Some(link) = links.get_mut(doubtful_key) {
                link.base_source = TimesheetFields::unknown();
                link.base_kimai = TimesheetFields::unknown();
            }
        }
        sides::park_ambiguous(&mut source, ambiguous, &links);
        // A full run checks the helpdesk's unit setting again (docs/sync-model.md).
        if !r.incremental {
            self.check_unit(ctx, conn, &mut source, &links).await?;
        }
        // What Zammad said about each entry, whatever the plan does with it (a preview
        // too: these are observations, not writes).
        let facts = crate::sync::facts::collect(&instance_read, &source);
        self.store.write(|w| {
            w.record_facts(&crate::store::facts::FactsRead {
                instance: key,
                facts: &facts,
                tickets: &r.held_by_ticket,
                unreadable: &r.read.unreadable,
                deleted: &r.deleted_tickets,
                now: ctx.now,
            })
        })?;
        self.learn_tickets(ctx, conn, &links, &r.link_tickets, gathered)?;
        for entry in source.keys() {
            let ticket = gathered
                .tickets_of
                .get(&(entry.instance.clone(), entry.time_accounting_id))
                .and_then(|t| r.read.tickets.get(t));
            if let Some(t) = ticket {
                let label = (t.facts.number.clone(), t.facts.title.clone());
                gathered.labels.insert(entry.clone(), label);
            }
        }
        gathered.input.source.extend(source);
        gathered.input.links.extend(links);
        Ok(())
    }

    /// The helpdesk's unit setting, read again: learned when first seen (not in a preview, nor
    /// before the first sync's go-ahead), and a change parks the entries booked under it.
    async fn check_unit(
        &self,
        ctx: &RunContext<'_>,
        conn: &InstanceConn,
        source: &mut BTreeMap<SourceKey, SourceSide>,
        links: &BTreeMap<SourceKey, Link>,
    ) -> Result<(), Halt> {
        match unit_check::check(conn).await {
            Ok(UnitCheck::Same) => {}
            Ok(UnitCheck::Learned(setting)) => {
                if ctx.mode == Mode::Apply && !conn.settings.awaiting_go_ahead {
                    unit_check::record(self.store, &conn.key, &setting)?;
                }
            }
            Ok(UnitCheck::Changed { was, now }) => {
                unit_check::park_new(source, links, &was, &now);
            }
            Err(e) => return Err(zammad_stop(&conn.key, &e).into()),
        }
        Ok(())
    }

    /// Links that do not know their ticket yet (adopted ones) learn it now, so a deleted
    /// ticket is noticed later.
    fn learn_tickets(
        &self,
        ctx: &RunContext<'_>,
        conn: &InstanceConn,
        links: &BTreeMap<SourceKey, Link>,
        link_tickets: &BTreeMap<SourceKey, i64>,
        gathered: &Gathered,
    ) -> Result<(), Halt> {
        let backfill: Vec<_> = links
            .keys()
            .filter_map(|key| {
                let t = gathered
                    .tickets_of
                    .get(&(key.instance.clone(), key.time_accounting_id))?;
                (link_tickets.get(key) != Some(t)).then(|| (key.clone(), *t))
            })
            .collect();
        if ctx.mode == Mode::Apply && !conn.settings.awaiting_go_ahead && !backfill.is_empty() {
            self.store.write(|w| {
                backfill
                    .iter()
                    .try_for_each(|(key, t)| w.set_link_ticket(key, *t))
            })?;
        }
        Ok(())
    }
}

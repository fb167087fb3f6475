//! From one Zammad instance's entries to what Kimai should hold: the Zammad side of the plan.
//!
//! The steps, in order (docs/sync-model.md): keep the connected agent's own entries; convert
//! `time_unit` with the instance's unit; net corrections within ticket, type and month; apply
//! the rounding rule; find the mapping; place the entry in the billing timezone; write the
//! description with its marker. Every entry ends up in exactly one state — wanted, parked
//! (with a reason), gone (nothing to book) or unread (its ticket was not read) — so nothing
//! is ever dropped silently.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::entries::{
    apply_corrections, describe, select_own, Effective, InstanceKey, Marker, Signed, SourceEntry,
    TicketFacts,
};
use super::mapping::{InstanceSettings, Layout, TicketScope};
use super::plan::{Desired, ParkReason, SourceKey, SourceSide, TimesheetFields};
use super::time::{lay_out_day, place_ending_at, to_whole_minutes, DayEntry, EntryId, Month, Span};

/// What the builder needs to know about a ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketInfo {
    /// Number, title, organization name (for the description).
    pub facts: TicketFacts,
    /// Organization, customer and group (for the mapping).
    pub scope: TicketScope,
}

/// One instance's state as read this run.
#[derive(Clone, Debug)]
pub struct InstanceRead<'a> {
    /// The helpdesk read.
    pub instance: &'a InstanceKey,
    /// Its settings as stored when the run began (mappings, unit, rounding, template).
    pub settings: &'a InstanceSettings,
    /// The connected agent (only their entries count).
    pub user_id: i64,
    /// Every entry read (all agents'; complete for the tickets read).
    pub entries: &'a [SourceEntry],
    /// The tickets read, by id.
    pub tickets: &'a BTreeMap<i64, TicketInfo>,
    /// Accounting type names by id (for descriptions).
    pub type_names: &'a BTreeMap<i64, String>,
    /// The billing timezone.
    pub tz: Tz,
}

fn key(read: &InstanceRead<'_>, id: i64) -> SourceKey {
    SourceKey {
        instance: read.instance.as_str().to_string(),
        time_accounting_id: id,
    }
}

fn invalid(detail: impl std::fmt::Display) -> SourceSide {
    SourceSide::Parked(ParkReason::Invalid {
        detail: detail.to_string(),
    })
}

/// An entry that survived corrections and rounding, with where it goes.
struct Bookable<'a> {
    entry: &'a SourceEntry,
    secs: i64,
    target: super::mapping::Target,
    ticket: &'a TicketInfo,
}

/// The Zammad side of the plan for one instance: the user's own entries in units and
/// months, corrections netted, rounded, mapped, then placed on the day.
pub fn build(read: &InstanceRead<'_>) -> BTreeMap<SourceKey, SourceSide> {
    let mut out = BTreeMap::new();
    // Units and months first: corrections net within a month.
    let (signed, by_id) = signed(read, &mut out);
    let corrected = apply_corrections(&signed);
    for id in corrected.cancelled.iter().chain(&corrected.ignored_zero) {
        out.insert(key(read, *id), SourceSide::Gone);
    }
    for u in &corrected.unapplied {
        out.insert(
            key(read, u.correction_id),
            SourceSide::Parked(ParkReason::UnappliedCorrection {
                secs_left: u.secs_left,
                month: signed
                    .iter()
                    .find(|s| s.id == u.correction_id)
                    .map(|s| s.month),
            }),
        );
    }
    // Corrections that were fully netted have no timesheet of their own.
    for s in signed.iter().filter(|s| s.secs < 0) {
        out.entry(key(read, s.id)).or_insert(SourceSide::Gone);
    }
    let mut bookable = bookable(read, &corrected.effective, &by_id, &mut out);
    if read.settings.exact_day_totals && read.settings.rounding == super::time::RoundingRule::none()
    {
        for id in exact_day_totals(read, &mut bookable) {
            out.insert(key(read, id), SourceSide::Gone);
        }
    }
    for (id, placed) in place_all(read, &bookable) {
        let side = match placed {
            Ok((span, b)) => SourceSide::Wanted(desired(read, b, span)),
            Err(detail) => invalid(detail),
        };
        out.insert(key(read, id), side);
    }
    out
}

/// The user's own entries of readable tickets with their signed seconds and month, by id;
/// an entry of an unread ticket or with a unit that cannot be read goes to `out` as such.
fn signed<'a>(
    read: &InstanceRead<'a>,
    out: &mut BTreeMap<SourceKey, SourceSide>,
) -> (Vec<Signed>, BTreeMap<i64, &'a SourceEntry>) {
    let mut signed = Vec::new();
    let mut by_id = BTreeMap::new();
    for entry in select_own(read.entries, read.user_id) {
        if !read.tickets.contains_key(&entry.ticket_id) {
            out.insert(key(read, entry.id), SourceSide::Unread);
            continue;
        }
        match read.settings.time_unit.duration_secs(entry.time_unit) {
            Ok(secs) => {
                let local = entry.created_at.with_timezone(&read.tz).date_naive();
                signed.push(Signed {
                    id: entry.id,
                    ticket_id: entry.ticket_id,
                    type_id: entry.type_id,
                    month: Month::of(local),
                    created_at: entry.created_at,
                    secs,
                });
                by_id.insert(entry.id, entry);
            }
            Err(e) => {
                out.insert(key(read, entry.id), invalid(e));
            }
        }
    }
    (signed, by_id)
}

/// The netted entries rounded and mapped: those with time left and a target; the others go
/// to `out` (rounded to nothing, or parked with why they cannot be mapped).
fn bookable<'a>(
    read: &InstanceRead<'a>,
    effective: &[Effective],
    by_id: &BTreeMap<i64, &'a SourceEntry>,
    out: &mut BTreeMap<SourceKey, SourceSide>,
) -> Vec<Bookable<'a>> {
    let mut bookable = Vec::new();
    for eff in effective {
        let entry = by_id[&eff.id];
        let secs = read.settings.rounding.apply(eff.secs);
        if secs <= 0 {
            out.insert(key(read, eff.id), SourceSide::Gone);
            continue;
        }
        let ticket = &read.tickets[&entry.ticket_id];
        match read.settings.resolve(&ticket.scope, entry.type_id) {
            Ok(target) => bookable.push(Bookable {
                entry,
                secs,
                target,
                ticket,
            }),
            Err(reason) => {
                out.insert(key(read, eff.id), SourceSide::Parked(reason));
            }
        }
    }
    bookable
}

/// Rounds each day's entries of one ticket, project and activity by their running sum (see
/// `time::running_minutes`); entries whose share is no whole minute leave `bookable` (their
/// time is in the entries around them). Returns those entries' ids. Per ticket, because a
/// ticket is always read with all its entries, while a day's entries of other tickets may be
/// unread in an incremental run: a group is never rounded from part of itself.
fn exact_day_totals(read: &InstanceRead<'_>, bookable: &mut Vec<Bookable<'_>>) -> Vec<i64> {
    type Group = (chrono::NaiveDate, i64, i64, i64);
    let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
    for (i, b) in bookable.iter().enumerate() {
        let day = b.entry.created_at.with_timezone(&read.tz).date_naive();
        groups
            .entry((day, b.entry.ticket_id, b.target.project, b.target.activity))
            .or_default()
            .push(i);
    }
    for members in groups.values_mut() {
        members.sort_by_key(|i| (bookable[*i].entry.created_at, bookable[*i].entry.id));
        let secs: Vec<i64> = members.iter().map(|i| bookable[*i].secs).collect();
        for (i, s) in members.iter().zip(super::time::running_minutes(&secs)) {
            bookable[*i].secs = s;
        }
    }
    let gone = bookable
        .iter()
        .filter(|b| b.secs <= 0)
        .map(|b| b.entry.id)
        .collect();
    bookable.retain(|b| b.secs > 0);
    gone
}

type Placed<'b, 'a> = Result<(Span, &'b Bookable<'a>), String>;

fn place_all<'b, 'a>(
    read: &InstanceRead<'_>,
    bookable: &'b [Bookable<'a>],
) -> Vec<(i64, Placed<'b, 'a>)> {
    match read.settings.layout {
        Layout::EndAtBooking => bookable
            .iter()
            .map(|b| {
                let placed = place_ending_at(b.entry.created_at, to_whole_minutes(b.secs), read.tz)
                    .map(|span| (span, b))
                    .map_err(|e| e.to_string());
                (b.entry.id, placed)
            })
            .collect(),
        Layout::NoOverlaps => {
            let mut days: BTreeMap<chrono::NaiveDate, Vec<&Bookable<'a>>> = BTreeMap::new();
            for b in bookable {
                days.entry(b.entry.created_at.with_timezone(&read.tz).date_naive())
                    .or_default()
                    .push(b);
            }
            let mut out = Vec::new();
            for (_, day) in days {
                let items: Vec<DayEntry> = day
                    .iter()
                    .map(|b| DayEntry {
                        id: EntryId(b.entry.id),
                        created_at: b.entry.created_at,
                        duration_secs: b.secs,
                    })
                    .collect();
                match lay_out_day(&items, read.tz) {
                    Ok(spans) => {
                        for (EntryId(id), span) in spans {
                            let b = day
                                .iter()
                                .find(|b| b.entry.id == id)
                                .expect("laid out from this day");
                            out.push((id, Ok((span, *b))));
                        }
                    }
                    Err(e) => out.extend(day.iter().map(|b| (b.entry.id, Err(e.to_string())))),
                }
            }
            out
        }
    }
}

fn desired(read: &InstanceRead<'_>, b: &Bookable<'_>, span: Span) -> Desired {
    let mut facts = b.ticket.facts.clone();
    facts.type_name = b
        .entry
        .type_id
        .and_then(|t| read.type_names.get(&t).cloned());
    let marker = Marker::new(read.instance.clone(), b.entry.id);
    let fields = TimesheetFields {
        begin: span.begin,
        end: span.end,
        project: b.target.project,
        activity: b.target.activity,
        description: describe(&read.settings.description, &facts, &marker),
        tags: read.settings.tags.clone(),
    }
    .normalized();
    Desired {
        fields,
        month: Month::of(span.date),
        edited_from: None,
    }
}

#[cfg(test)]
mod tests;

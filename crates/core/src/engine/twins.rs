//! Possible twins, before planning (`sync::twins`): the user's "same work" decisions become
//! links (with an unknown base, as adopted timesheets are: differences are decisions, never
//! overwrites), then every entry about to be created whose probable twin Kimai holds — a
//! timesheet without an origin marker — is parked as a possible twin instead of being created.
//! "Different work" lets the entry be created. A "same" answer is kept for good: the
//! timesheet carries no origin marker, and the lost-marker rule (`sides`) must still know it
//! is the entry's own.
//!
//! Matching runs for the first sync of a helpdesk (no link yet: everything it would create is
//! compared with what the user booked by hand before switching) and keeps every entry already
//! waiting as a possible twin waiting until the user decides. Later hand-made bookings are not
//! compared: once a helpdesk syncs, its work is booked by Timebridge.

use std::collections::{BTreeMap, BTreeSet};

use chrono_tz::Tz;
use timebridge_kimai::{KimaiError, ProjectQuery, Timesheet, Visibility};

use super::read::{kimai_record, read_kimai_ids};
use super::shared::Engine;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::twins::TwinDecision;
use crate::sync::entries::{LegacyMarker, Marker};
use crate::sync::plan::{Link, ParkReason, PlanInput, SourceKey, SourceSide, TimesheetFields};
use crate::sync::twins::{find_twins, NewEntry, Twin};
use crate::StoreError;

/// The consultant's stopped timesheets of `listing` no link stands for and no origin marker
/// names, as the planner compares them.
fn unmarked(
    listing: &BTreeMap<i64, Timesheet>,
    linked: &BTreeSet<i64>,
    tz: Tz,
) -> BTreeMap<i64, TimesheetFields> {
    listing
        .values()
        .filter(|ts| ts.end.is_some() && !linked.contains(&ts.id))
        .filter(|ts| {
            let text = ts.description.as_deref().unwrap_or_default();
            matches!(Marker::find(text), Ok(None)) && LegacyMarker::parse(text).is_none()
        })
        .map(|ts| (ts.id, kimai_record(ts, tz).fields))
        .collect()
}

/// Project → customer, for "the same customer" (empty when Kimai's list cannot be read: then
/// only the same project counts).
async fn customers(engine: &Engine<'_>) -> BTreeMap<i64, i64> {
    let query = ProjectQuery {
        visible: Some(Visibility::Both),
        ignore_dates: true,
        ..ProjectQuery::default()
    };
    match engine.kimai.projects(&query).await {
        Ok(list) => list.into_iter().map(|p| (p.id, p.customer)).collect(),
        Err(e) => {
            tracing::debug!(error = %e, "no project list for twin matching");
            BTreeMap::new()
        }
    }
}

/// Acts on "same work" decisions (stored as links for the helpdesks `persist` accepts) and
/// parks new entries with a probable twin. `fresh`: the
/// helpdesks that never completed a sync; `labels`: the ticket number and title of entries
/// read this run. Returns the timesheets the user confirmed as entries' own (kept by the
/// lost-marker rule although they carry no marker).
pub(super) async fn settle(
    engine: &Engine<'_>,
    persist: &(dyn Fn(&str) -> bool + Sync),
    run_id: i64,
    listing: &BTreeMap<i64, Timesheet>,
    input: &mut PlanInput,
    fresh: &BTreeSet<String>,
    labels: &BTreeMap<SourceKey, (String, String)>,
) -> Result<Result<BTreeMap<SourceKey, i64>, KimaiError>, StoreError> {
    let known = match Known::read(engine, listing).await? {
        Ok(known) => known,
        Err(e) => return Ok(Err(e)),
    };
    let (confirmed, linked) = known.link_confirmed(engine, persist, run_id, input)?;
    known
        .park_probable(engine, &linked, input, fresh, labels)
        .await;
    Ok(Ok(confirmed))
}

/// The user's answers, the entries waiting for one, and every timesheet either may name.
struct Known {
    decisions: BTreeMap<SourceKey, (i64, TwinDecision)>,
    /// Entries already waiting for the user's word, with the timesheet they were shown.
    waiting: BTreeMap<SourceKey, Twin>,
    /// This run's listing, plus the timesheets named above that lie outside it.
    sheets: BTreeMap<i64, Timesheet>,
}

impl Known {
    async fn read(
        engine: &Engine<'_>,
        listing: &BTreeMap<i64, Timesheet>,
    ) -> Result<Result<Self, KimaiError>, StoreError> {
        let decisions = engine.store.twin_decisions()?;
        let waiting: BTreeMap<SourceKey, Twin> = engine
            .store
            .parked()?
            .into_iter()
            .filter_map(|p| match p.reason {
                ParkReason::PossibleTwin { twin } => Some((p.key, twin)),
                _ => None,
            })
            .collect();
        let wanted: Vec<i64> = waiting
            .values()
            .map(|t| t.timesheet_id)
            .chain(
                decisions
                    .values()
                    .filter(|(_, d)| *d == TwinDecision::Same)
                    .map(|(id, _)| *id),
            )
            .filter(|id| !listing.contains_key(id))
            .collect();
        let looked_up = match read_kimai_ids(engine.kimai, wanted).await {
            Ok(found) => found,
            Err(e) => return Ok(Err(e)),
        };
        let mut sheets = listing.clone();
        sheets.extend(looked_up.into_iter().filter_map(|(id, ts)| Some((id, ts?))));
        Ok(Ok(Self {
            decisions,
            waiting,
            sheets,
        }))
    }

    /// Links each entry the user said is the same work as its timesheet (unless that
    /// timesheet is linked to another entry). Returns the confirmed links and every timesheet
    /// linked now.
    fn link_confirmed(
        &self,
        engine: &Engine<'_>,
        persist: &(dyn Fn(&str) -> bool + Sync),
        run_id: i64,
        input: &mut PlanInput,
    ) -> Result<(BTreeMap<SourceKey, i64>, BTreeSet<i64>), StoreError> {
        let mut linked: BTreeSet<i64> = input
            .links
            .values()
            .filter_map(|l| l.timesheet_id)
            .collect();
        let mut confirmed = BTreeMap::new();
        for (key, (id, decision)) in &self.decisions {
            if *decision != TwinDecision::Same {
                continue;
            }
            if input.links.get(key).and_then(|l| l.timesheet_id) == Some(*id) {
                confirmed.insert(key.clone(), *id);
                continue;
            }
            if input.links.contains_key(key) {
                continue;
            }
            let Some(ts) = self.sheets.get(id).filter(|_| !linked.contains(id)) else {
                continue;
            };
            let link = Link {
                timesheet_id: Some(*id),
                base_source: TimesheetFields::unknown(),
                base_kimai: TimesheetFields::unknown(),
            };
            if persist(&key.instance) {
                adopt(engine, run_id, key, &link, ts)?;
            }
            linked.insert(*id);
            confirmed.insert(key.clone(), *id);
            input.links.insert(key.clone(), link);
        }
        Ok((confirmed, linked))
    }

    /// Parks each new entry of a fresh helpdesk (or one already waiting) that has a probable
    /// twin among the unlinked, unmarked timesheets, for the user's word.
    async fn park_probable(
        &self,
        engine: &Engine<'_>,
        linked: &BTreeSet<i64>,
        input: &mut PlanInput,
        fresh: &BTreeSet<String>,
        labels: &BTreeMap<SourceKey, (String, String)>,
    ) {
        let candidates = unmarked(&self.sheets, linked, engine.tz);
        let new: Vec<(SourceKey, TimesheetFields)> = input
            .source
            .iter()
            .filter(|(key, _)| !input.links.contains_key(*key))
            .filter(|(key, _)| fresh.contains(&key.instance) || self.waiting.contains_key(*key))
            .filter(|(key, _)| !self.decisions.contains_key(*key))
            .filter_map(|(key, side)| match side {
                SourceSide::Wanted(d) => Some((key.clone(), d.fields.clone())),
                _ => None,
            })
            .collect();
        if new.is_empty() {
            return;
        }
        let customers = if candidates.is_empty() {
            BTreeMap::new()
        } else {
            customers(engine).await
        };
        let empty = (String::new(), String::new());
        let entries: Vec<NewEntry<'_>> = new
            .iter()
            .map(|(key, fields)| {
                let (number, title) = labels.get(key).unwrap_or(&empty);
                NewEntry {
                    key,
                    fields,
                    ticket_number: number,
                    ticket_title: title,
                }
            })
            .collect();
        let mut twins = find_twins(&entries, &candidates, |p| customers.get(&p).copied());
        // An entry already shown with a timesheet that still stands unlinked keeps waiting for
        // the answer, even when today's evidence is weaker: it is never booked unasked.
        let offered: BTreeSet<i64> = twins.values().map(|t| t.timesheet_id).collect();
        for (key, twin) in &self.waiting {
            let still = candidates.contains_key(&twin.timesheet_id)
                && !offered.contains(&twin.timesheet_id);
            if still && !twins.contains_key(key) && new.iter().any(|(k, _)| k == key) {
                twins.insert(key.clone(), twin.clone());
            }
        }
        for (key, twin) in twins {
            input
                .source
                .insert(key, SourceSide::Parked(ParkReason::PossibleTwin { twin }));
        }
    }
}

/// Stores the link of a confirmed twin with its `adopt` audit row, in one transaction.
fn adopt(
    engine: &Engine<'_>,
    run_id: i64,
    key: &SourceKey,
    link: &Link,
    ts: &Timesheet,
) -> Result<(), StoreError> {
    let fields = kimai_record(ts, engine.tz).fields;
    let month = fields.month();
    engine.store.write(|w| {
        w.upsert_link(key, link, Some(month))?;
        w.append_audit(&AuditEntry {
            run_id: Some(run_id),
            actor: engine.actor,
            action: AuditAction::Adopt,
            key: key.clone(),
            timesheet_id: link.timesheet_id,
            before: None,
            after: Some(fields.clone()),
        })
        .map(drop)
    })
}

/// The user's word on an entry waiting as a possible twin: `same` links it to that timesheet
/// at the next run, otherwise the next run books it. Works offline. `None` when the entry is
/// not waiting as a possible twin; else the timesheet concerned.
pub fn decide(
    store: &crate::Store,
    key: &SourceKey,
    same: bool,
) -> Result<Option<i64>, StoreError> {
    let twin = store.parked()?.into_iter().find_map(|p| match p.reason {
        ParkReason::PossibleTwin { twin } if p.key == *key => Some(twin),
        _ => None,
    });
    let Some(twin) = twin else {
        return Ok(None);
    };
    let decision = if same {
        TwinDecision::Same
    } else {
        TwinDecision::Different
    };
    // The answer is kept for good: a "same" timesheet carries no marker, and the lost-marker
    // rule must always know it is the entry's own.
    store.decide_twin(key, twin.timesheet_id, decision)?;
    store.write(|w| w.clear_parked(key))?;
    Ok(Some(twin.timesheet_id))
}

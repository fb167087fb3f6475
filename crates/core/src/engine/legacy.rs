//! Timesheets the previous web service wrote (`sync::entries::LegacyMarker`) are linked to
//! their entries at the start of a run, before anything is planned, so switching to Timebridge
//! never books them a second time.
//!
//! They are adopted like rebuilt links: with an **unknown base** on both sides, so the planner
//! takes equal sides as in step and turns every difference (the service's description, a begin
//! placed on the UTC day) into a decision for the user — never a silent overwrite. A timesheet
//! whose `Zammad URL` names no connected helpdesk is not ours; one that several helpdesks could
//! own (no URL line and more than one helpdesk, or two helpdesks on one host) is left alone and
//! reported; and a timesheet is linked only to an entry read on the very ticket it names. Each
//! adoption is audited (`adopt`).

use std::collections::{BTreeMap, BTreeSet};

use chrono_tz::Tz;
use timebridge_kimai::Timesheet;

use super::read::kimai_record;
use crate::store::audit::{Actor, AuditAction, AuditEntry};
use crate::sync::entries::{LegacyMarker, Marker};
use crate::sync::plan::{Link, SourceKey, TimesheetFields};
use crate::{Store, StoreError};

/// A connected helpdesk: its instance key and the host of its address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Helpdesk {
    /// The instance key.
    pub(super) key: String,
    /// Its host, lower case.
    pub(super) host: Option<String>,
    /// The user picked it as the owner of previous-service timesheets several helpdesks
    /// could own (`InstanceSettings::owns_previous_ambiguous`).
    pub(super) picked: bool,
}

/// Whose entry a previous-service timesheet names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Owner {
    /// That helpdesk's.
    One(String),
    /// More than one helpdesk could own it.
    Ambiguous,
    /// Its URL names a helpdesk not connected here.
    NotOurs,
}

/// The helpdesk whose URL matches the marker's, or the only helpdesk when it has none; of
/// several that match, the one the user picked, if exactly one of them is.
pub(super) fn owner(marker: &LegacyMarker, helpdesks: &[Helpdesk]) -> Owner {
    let matching: Vec<&Helpdesk> = match &marker.host {
        Some(host) => helpdesks
            .iter()
            .filter(|h| h.host.as_deref() == Some(host))
            .collect(),
        None => helpdesks.iter().collect(),
    };
    match matching.as_slice() {
        [one] => Owner::One(one.key.clone()),
        [] => Owner::NotOurs,
        several => match several.iter().filter(|h| h.picked).collect::<Vec<_>>()[..] {
            [picked] => Owner::One(picked.key.clone()),
            _ => Owner::Ambiguous,
        },
    }
}

/// What adoption did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct LegacyAdoption {
    /// Timesheets linked to their entries.
    pub adopted: u32,
    /// Timesheets more than one helpdesk could own (left alone), by id.
    pub ambiguous: Vec<i64>,
    /// `adopted` per helpdesk.
    pub by_instance: BTreeMap<String, u32>,
}

/// Links every unlinked previous-service timesheet of `listing` to its entry — only when the
/// entry was read this run on the ticket the timesheet names (`tickets_of`: entry → ticket),
/// so a timesheet of a helpdesk not connected here never meets an unrelated entry of the same
/// id. The links go into `links` (the planner's) and, for the helpdesks `persist` accepts
/// (not in a preview, not for one whose first sync waits), into the store with an audited
/// adoption.
#[allow(clippy::too_many_arguments)]
pub(super) fn adopt(
    store: &Store,
    run_id: i64,
    actor: Actor,
    listing: &BTreeMap<i64, Timesheet>,
    helpdesks: &[Helpdesk],
    tickets_of: &BTreeMap<(String, i64), i64>,
    links: &mut BTreeMap<SourceKey, Link>,
    persist: impl Fn(&str) -> bool,
    tz: Tz,
) -> Result<LegacyAdoption, StoreError> {
    let linked: BTreeSet<i64> = links.values().filter_map(|l| l.timesheet_id).collect();
    let mut out = LegacyAdoption::default();
    // Lowest id first: a second timesheet for one entry stays visible, unlinked.
    let mut found: BTreeMap<SourceKey, (&Timesheet, i64)> = BTreeMap::new();
    for ts in listing.values() {
        let text = ts.description.as_deref().unwrap_or_default();
        if linked.contains(&ts.id) || !matches!(Marker::find(text), Ok(None)) {
            continue;
        }
        let Some(marker) = LegacyMarker::parse(text) else {
            continue;
        };
        let key = match owner(&marker, helpdesks) {
            Owner::One(instance) => SourceKey {
                instance,
                time_accounting_id: marker.time_accounting_id,
            },
            Owner::Ambiguous => {
                out.ambiguous.push(ts.id);
                continue;
            }
            Owner::NotOurs => continue,
        };
        let on_its_ticket = tickets_of.get(&(key.instance.clone(), key.time_accounting_id))
            == Some(&marker.ticket_id);
        if on_its_ticket && !links.contains_key(&key) {
            found.entry(key).or_insert((ts, marker.ticket_id));
        }
    }
    for (key, (ts, _)) in &found {
        links.insert(
            key.clone(),
            Link {
                timesheet_id: Some(ts.id),
                base_source: TimesheetFields::unknown(),
                base_kimai: TimesheetFields::unknown(),
            },
        );
    }
    for key in found.keys() {
        *out.by_instance.entry(key.instance.clone()).or_default() += 1;
    }
    if found.keys().any(|k| persist(&k.instance)) {
        store.write(|w| {
            for (key, (ts, ticket)) in found.iter().filter(|(k, _)| persist(&k.instance)) {
                let fields = kimai_record(ts, tz).fields;
                let month = fields.month();
                w.upsert_link(key, &links[key], Some(month))?;
                w.set_link_ticket(key, *ticket)?;
                w.append_audit(&AuditEntry {
                    run_id: Some(run_id),
                    actor,
                    action: AuditAction::Adopt,
                    key: key.clone(),
                    timesheet_id: Some(ts.id),
                    before: None,
                    after: Some(fields),
                })?;
            }
            Ok(())
        })?;
    }
    out.adopted = found.len() as u32;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk(key: &str, host: &str) -> Helpdesk {
        Helpdesk {
            key: key.into(),
            host: Some(host.into()),
            picked: false,
        }
    }

    fn picked(mut h: Helpdesk) -> Helpdesk {
        h.picked = true;
        h
    }

    fn marker(host: Option<&str>) -> LegacyMarker {
        LegacyMarker {
            ticket_id: 1,
            time_accounting_id: 2,
            host: host.map(str::to_string),
        }
    }

    #[test]
    fn the_url_names_the_helpdesk_else_the_only_one_owns_it() {
        let two = [
            desk("acme", "z.acme.example"),
            desk("globex", "help.globex.example"),
        ];
        assert_eq!(
            owner(&marker(Some("help.globex.example")), &two),
            Owner::One("globex".into())
        );
        assert_eq!(owner(&marker(Some("other.example")), &two), Owner::NotOurs);
        assert_eq!(owner(&marker(None), &two), Owner::Ambiguous);
        assert_eq!(owner(&marker(None), &two[..1]), Owner::One("acme".into()));
        let same_host = [desk("a", "z.example"), desk("b", "z.example")];
        assert_eq!(
            owner(&marker(Some("z.example")), &same_host),
            Owner::Ambiguous
        );
    }

    #[test]
    fn the_users_pick_settles_only_among_the_helpdesks_that_match() {
        let same_host = [desk("a", "z.example"), picked(desk("b", "z.example"))];
        assert_eq!(
            owner(&marker(Some("z.example")), &same_host),
            Owner::One("b".into())
        );
        let two = [
            desk("acme", "z.acme.example"),
            picked(desk("globex", "g.example")),
        ];
        assert_eq!(owner(&marker(None), &two), Owner::One("globex".into()));
        assert_eq!(
            owner(&marker(Some("z.acme.example")), &two),
            Owner::One("acme".into()),
            "the URL still decides when it names one helpdesk"
        );
        assert_eq!(
            owner(&marker(Some("other.example")), &two),
            Owner::NotOurs,
            "a pick never claims another helpdesk's timesheets"
        );
        let both = [
            picked(desk("a", "z.example")),
            picked(desk("b", "z.example")),
        ];
        assert_eq!(owner(&marker(Some("z.example")), &both), Owner::Ambiguous);
    }
}

//! Entry facts (what Zammad last said about each of the agent's entries) and the tickets the
//! agent can no longer read. Written from every run's read, whatever the sync then did; read
//! by the Entries page and the month's reconciliation.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{params, Connection, Row};
use rust_decimal::Decimal;

use super::codec::{source_key, time, unknown_name};
use super::{Store, StoreError, WriteTxn};
use crate::sync::facts::{EntryFacts, Outcome};
use crate::sync::plan::SourceKey;
use crate::sync::time::Month;

const SELECT: &str = "SELECT instance, time_accounting_id, ticket_id, ticket_number, \
     ticket_title, organization, booked_at, day, time_unit, zammad_millis, outcome, \
     wanted_seconds, wanted_project FROM entry_facts";

fn conversion(idx: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
}

fn facts_row(r: &Row<'_>) -> rusqlite::Result<EntryFacts> {
    let day: String = r.get(7)?;
    let unit: String = r.get(8)?;
    let outcome: String = r.get(10)?;
    let wanted: Option<i64> = r.get(11)?;
    let project: Option<i64> = r.get(12)?;
    Ok(EntryFacts {
        key: source_key(r, 0)?,
        ticket_id: r.get(2)?,
        ticket_number: r.get(3)?,
        ticket_title: r.get(4)?,
        organization: r.get(5)?,
        booked_at: time(r, 6)?,
        day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| conversion(7, e))?,
        time_unit: Decimal::from_str(&unit).map_err(|e| conversion(8, e))?,
        zammad_millis: r.get(9)?,
        outcome: match (outcome.as_str(), wanted, project) {
            ("wanted", Some(seconds), Some(project)) => Outcome::Wanted { seconds, project },
            ("parked", ..) => Outcome::Parked,
            ("gone", ..) => Outcome::Gone,
            _ => return Err(conversion(10, unknown_name(&outcome))),
        },
    })
}

fn query(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<BTreeMap<SourceKey, EntryFacts>, StoreError> {
    let mut stmt = conn.prepare(&format!("{SELECT} {filter}"))?;
    let rows = stmt.query_map(args, facts_row)?;
    Ok(rows
        .map(|f| f.map(|f| (f.key.clone(), f)))
        .collect::<Result<_, _>>()?)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// What one run read of one instance, for [`WriteTxn::record_facts`].
#[derive(Debug)]
pub struct FactsRead<'a> {
    /// The Zammad instance key (`acme`) the facts were read from.
    pub instance: &'a str,
    /// The facts of the entries read.
    pub facts: &'a [EntryFacts],
    /// The tickets read completely, with every entry id they still hold (anyone's): an
    /// entry of such a ticket that is not among them was deleted in Zammad.
    pub tickets: &'a BTreeMap<i64, BTreeSet<i64>>,
    /// Tickets Zammad no longer showed the agent.
    pub unreadable: &'a BTreeSet<i64>,
    /// Tickets found deleted.
    pub deleted: &'a BTreeSet<i64>,
    /// When (for `unreadable_tickets.since`).
    pub now: DateTime<Utc>,
}

impl WriteTxn<'_> {
    /// Records a write Kimai refused in run `run_id`.
    pub fn record_refusal(
        &self,
        run_id: i64,
        key: &SourceKey,
        refusal: &crate::sync::refusal::Refusal,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO run_refusals (run_id, instance, time_accounting_id, \
             refusal_json) VALUES (?1, ?2, ?3, ?4)",
            params![
                run_id,
                key.instance,
                key.time_accounting_id,
                super::codec::to_json(refusal)?
            ],
        )?;
        Ok(())
    }

    /// Records one instance's read: new and changed facts, entries and tickets gone from
    /// Zammad forgotten, tickets no longer readable marked (their facts are kept: the user
    /// still needs to recognise the work).
    pub fn record_facts(&self, read: &FactsRead<'_>) -> Result<(), StoreError> {
        let c = self.conn();
        let mut upsert = c.prepare_cached(
            "INSERT INTO entry_facts (instance, time_accounting_id, ticket_id, ticket_number, \
             ticket_title, organization, booked_at, day, time_unit, zammad_millis, outcome, \
             wanted_seconds, wanted_project) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
             ON CONFLICT (instance, time_accounting_id) DO UPDATE SET ticket_id = ?3, \
             ticket_number = ?4, ticket_title = ?5, organization = ?6, booked_at = ?7, day = ?8, \
             time_unit = ?9, zammad_millis = ?10, outcome = ?11, wanted_seconds = ?12, \
             wanted_project = ?13, \
             seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        )?;
        for f in read.facts {
            let (wanted, project) = match f.outcome {
                Outcome::Wanted { seconds, project } => (Some(seconds), Some(project)),
                _ => (None, None),
            };
            upsert.execute(params![
                read.instance,
                f.key.time_accounting_id,
                f.ticket_id,
                f.ticket_number,
                f.ticket_title,
                f.organization,
                stamp(f.booked_at),
                f.day.format("%Y-%m-%d").to_string(),
                f.time_unit.normalize().to_string(),
                f.zammad_millis,
                f.outcome.as_str(),
                wanted,
                project,
            ])?;
        }
        let mut ids_of = c.prepare_cached(
            "SELECT time_accounting_id FROM entry_facts WHERE instance = ?1 AND ticket_id = ?2",
        )?;
        let mut forget = c.prepare_cached(
            "DELETE FROM entry_facts WHERE instance = ?1 AND time_accounting_id = ?2",
        )?;
        let mut readable = c.prepare_cached(
            "DELETE FROM unreadable_tickets WHERE instance = ?1 AND ticket_id = ?2",
        )?;
        for (ticket, present) in read.tickets {
            let known: Vec<i64> = ids_of
                .query_map(params![read.instance, ticket], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in known.iter().filter(|id| !present.contains(id)) {
                forget.execute(params![read.instance, id])?;
            }
            readable.execute(params![read.instance, ticket])?;
        }
        for ticket in read.deleted {
            c.execute(
                "DELETE FROM entry_facts WHERE instance = ?1 AND ticket_id = ?2",
                params![read.instance, ticket],
            )?;
            readable.execute(params![read.instance, ticket])?;
        }
        for ticket in read.unreadable {
            c.execute(
                "INSERT INTO unreadable_tickets (instance, ticket_id, since) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (instance, ticket_id) DO NOTHING",
                params![read.instance, ticket, stamp(read.now)],
            )?;
        }
        Ok(())
    }
}

impl Store {
    /// Every entry's facts.
    pub fn all_facts(&self) -> Result<BTreeMap<SourceKey, EntryFacts>, StoreError> {
        query(&self.conn.lock(), "", [])
    }

    /// The facts of the entries booked in `month` (billing timezone).
    pub fn facts_in_month(
        &self,
        month: Month,
    ) -> Result<BTreeMap<SourceKey, EntryFacts>, StoreError> {
        query(
            &self.conn.lock(),
            "WHERE substr(day, 1, 7) = ?1",
            [month.to_string()],
        )
    }

    /// The writes Kimai refused in run `run_id`, by entry.
    pub fn refusals_for_run(
        &self,
        run_id: i64,
    ) -> Result<Vec<(SourceKey, crate::sync::refusal::Refusal)>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, refusal_json FROM run_refusals \
             WHERE run_id = ?1 ORDER BY instance, time_accounting_id",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            Ok((source_key(r, 0)?, super::codec::json(r, 2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The tickets the agent can no longer read, per instance, with since when.
    pub fn unreadable_tickets(&self) -> Result<BTreeMap<(String, i64), DateTime<Utc>>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare("SELECT instance, ticket_id, since FROM unreadable_tickets")?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), time(r, 2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entries on tickets the agent can no longer read (from their facts or their link).
    pub fn unreadable_entries(&self) -> Result<BTreeSet<SourceKey>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT f.instance, f.time_accounting_id FROM entry_facts f JOIN unreadable_tickets u ON u.instance = f.instance AND u.ticket_id = f.ticket_id UNION SELECT l.instance, l.time_accounting_id FROM links l JOIN unreadable_tickets u ON u.instance = l.instance AND u.ticket_id = l.ticket_id",
        )?;
        let rows = stmt.query_map([], |r| source_key(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

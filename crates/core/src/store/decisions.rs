//! What waits for the user and what the user decided: open conflicts, parked entries,
//! resolutions and ignored entries. Decisions are stored at once (offline too) and applied
//! by the next run, which then removes the resolution.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, Row};

use super::codec::{
    from_serde_name, json, json_opt, now_sql, serde_name, source_key, time, to_json, to_json_opt,
};
use super::{Store, StoreError, WriteTxn};
use crate::sync::plan::{Action, ConflictKind, ParkReason, Resolution, SourceKey, TimesheetFields};

/// A conflict as the planner reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictRecord {
    /// The Zammad entry in conflict.
    pub key: SourceKey,
    /// What kind.
    pub kind: ConflictKind,
    /// The timesheet, if any.
    pub timesheet_id: Option<i64>,
    /// What Zammad wants now, if anything.
    pub source: Option<TimesheetFields>,
    /// What Kimai holds now, if anything.
    pub kimai: Option<TimesheetFields>,
    /// The last synced state, if any.
    pub base: Option<TimesheetFields>,
}

impl ConflictRecord {
    /// The record of an `Action::Conflict`; `None` for any other action.
    pub fn from_action(action: &Action) -> Option<Self> {
        match action {
            Action::Conflict {
                key,
                timesheet_id,
                kind,
                source,
                kimai,
                base,
            } => Some(Self {
                key: key.clone(),
                kind: *kind,
                timesheet_id: *timesheet_id,
                source: source.clone(),
                kimai: kimai.clone(),
                base: base.clone(),
            }),
            _ => None,
        }
    }
}

/// An open conflict as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredConflict {
    /// The conflict as the planner reported it: kind, timesheet and the three sides.
    pub record: ConflictRecord,
    /// When it was first seen (kept while its kind stays the same).
    pub detected_at: DateTime<Utc>,
    /// The run that last reported it.
    pub run_id: Option<i64>,
}

/// A parked entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParkedEntry {
    /// The Zammad entry that is parked.
    pub key: SourceKey,
    /// Why it is parked.
    pub reason: ParkReason,
    /// When it was first parked for this reason.
    pub detected_at: DateTime<Utc>,
}

fn conflict_row(row: &Row<'_>) -> rusqlite::Result<StoredConflict> {
    Ok(StoredConflict {
        record: ConflictRecord {
            key: source_key(row, 0)?,
            kind: from_serde_name(row, 2)?,
            timesheet_id: row.get(3)?,
            source: json_opt(row, 4)?,
            kimai: json_opt(row, 5)?,
            base: json_opt(row, 6)?,
        },
        detected_at: time(row, 7)?,
        run_id: row.get(8)?,
    })
}

fn key_params(key: &SourceKey) -> (&str, i64) {
    (key.instance.as_str(), key.time_accounting_id)
}

impl Store {
    /// Open conflicts, by key.
    pub fn conflicts(&self) -> Result<Vec<StoredConflict>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, kind, timesheet_id, source_json, kimai_json, \
             base_json, detected_at, run_id FROM conflicts ORDER BY instance, time_accounting_id",
        )?;
        let rows = stmt.query_map([], conflict_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Parked entries, by key.
    pub fn parked(&self) -> Result<Vec<ParkedEntry>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, reason_json, detected_at FROM parked \
             ORDER BY instance, time_accounting_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ParkedEntry {
                key: source_key(r, 0)?,
                reason: json(r, 2)?,
                detected_at: time(r, 3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores the user's decision on an entry (replacing an earlier one); the next run applies it.
    /// An edit's fields go with it (`edit_json`).
    pub fn resolve(&self, key: &SourceKey, resolution: Resolution) -> Result<(), StoreError> {
        let edit = match &resolution {
            Resolution::Edit(fields) => Some(to_json(fields)?),
            _ => None,
        };
        self.conn.lock().execute(
            concat!(
                "INSERT INTO resolutions (instance, time_accounting_id, resolution, edit_json) ",
                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (instance, time_accounting_id) DO UPDATE SET ",
                "resolution = excluded.resolution, edit_json = excluded.edit_json, decided_at = ",
                now_sql!()
            ),
            params![
                key.instance,
                key.time_accounting_id,
                resolution.name(),
                edit
            ],
        )?;
        Ok(())
    }

    /// The decisions not yet applied: the planner's `resolutions`.
    pub fn resolutions(&self) -> Result<BTreeMap<SourceKey, Resolution>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, resolution, edit_json FROM resolutions",
        )?;
        let rows = stmt.query_map([], |r| {
            let name: String = r.get(2)?;
            let resolution = if name == "edit" {
                Resolution::Edit(json(r, 3)?)
            } else {
                from_serde_name(r, 2)?
            };
            Ok((source_key(r, 0)?, resolution))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The Zammad ticket of each parked entry of `instance`, where known: re-read every run
    /// so an entry deleted in Zammad stops being shown as parked.
    pub fn parked_tickets(&self, instance: &str) -> Result<BTreeMap<SourceKey, i64>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, ticket_id FROM parked \
             WHERE instance = ?1 AND ticket_id IS NOT NULL",
        )?;
        let rows = stmt.query_map([instance], |r| Ok((source_key(r, 0)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Leaves the entry alone from now on (idempotent).
    pub fn ignore(&self, key: &SourceKey) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "INSERT INTO ignored (instance, time_accounting_id) VALUES (?1, ?2) \
             ON CONFLICT (instance, time_accounting_id) DO NOTHING",
            key_params(key),
        )?;
        Ok(())
    }

    /// Takes the entry back into the sync. Returns whether it was ignored.
    pub fn unignore(&self, key: &SourceKey) -> Result<bool, StoreError> {
        Ok(self.conn.lock().execute(
            "DELETE FROM ignored WHERE instance = ?1 AND time_accounting_id = ?2",
            key_params(key),
        )? > 0)
    }

    /// The ignored entries: the planner's `ignored`.
    pub fn ignored(&self) -> Result<BTreeSet<SourceKey>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare("SELECT instance, time_accounting_id FROM ignored")?;
        let rows = stmt.query_map([], |r| source_key(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTxn<'_> {
    /// Records (or refreshes) the open conflict of an entry.
    pub fn record_conflict(
        &self,
        run_id: Option<i64>,
        conflict: &ConflictRecord,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            concat!(
                "INSERT INTO conflicts (instance, time_accounting_id, kind, timesheet_id, ",
                "source_json, kimai_json, base_json, run_id) ",
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ",
                "ON CONFLICT (instance, time_accounting_id) DO UPDATE SET ",
                "detected_at = CASE WHEN kind = excluded.kind THEN detected_at ELSE ",
                now_sql!(),
                " END, kind = excluded.kind, timesheet_id = excluded.timesheet_id, ",
                "source_json = excluded.source_json, kimai_json = excluded.kimai_json, ",
                "base_json = excluded.base_json, run_id = excluded.run_id"
            ),
            params![
                conflict.key.instance,
                conflict.key.time_accounting_id,
                serde_name(&conflict.kind)?,
                conflict.timesheet_id,
                to_json_opt(conflict.source.as_ref())?,
                to_json_opt(conflict.kimai.as_ref())?,
                to_json_opt(conflict.base.as_ref())?,
                run_id
            ],
        )?;
        Ok(())
    }

    /// Closes the entry's conflict. Returns whether one was open.
    pub fn clear_conflict(&self, key: &SourceKey) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM conflicts WHERE instance = ?1 AND time_accounting_id = ?2",
            key_params(key),
        )? > 0)
    }

    /// Removes the entry's resolution once applied. Returns whether there was one.
    pub fn clear_resolution(&self, key: &SourceKey) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM resolutions WHERE instance = ?1 AND time_accounting_id = ?2",
            key_params(key),
        )? > 0)
    }

    /// Parks the entry (or refreshes its reason; the time is kept while the reason is the same).
    /// `ticket` is the entry's Zammad ticket, re-read by later runs so a deletion is noticed.
    pub fn set_parked(
        &self,
        key: &SourceKey,
        reason: &ParkReason,
        ticket: Option<i64>,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            concat!(
                "INSERT INTO parked (instance, time_accounting_id, reason_json, ticket_id) ",
                "VALUES (?1, ?2, ?3, ?4) ",
                "ON CONFLICT (instance, time_accounting_id) DO UPDATE SET ",
                "detected_at = CASE WHEN reason_json = excluded.reason_json THEN detected_at ",
                "ELSE ",
                now_sql!(),
                " END, reason_json = excluded.reason_json, ",
                "ticket_id = COALESCE(excluded.ticket_id, ticket_id)"
            ),
            params![
                key.instance,
                key.time_accounting_id,
                to_json(reason)?,
                ticket
            ],
        )?;
        Ok(())
    }

    /// Releases a parked entry. Returns whether it was parked.
    pub fn clear_parked(&self, key: &SourceKey) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM parked WHERE instance = ?1 AND time_accounting_id = ?2",
            key_params(key),
        )? > 0)
    }
}

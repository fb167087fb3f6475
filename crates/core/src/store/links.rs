//! Links: which Kimai timesheet stands for which Zammad entry, with the base of the
//! three-way merge. The planner reads them all; the executor writes one per action, inside
//! the transaction that confirms the remote write (never before: a link names a timesheet
//! that exists).

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::codec::{json, month_opt, now_sql, source_key, to_json};
use super::{Store, StoreError, WriteTxn};
use crate::sync::plan::{Link, SourceKey};
use crate::sync::time::Month;

const SELECT: &str = "SELECT instance, time_accounting_id, timesheet_id, base_source_json, \
                      base_kimai_json FROM links";

fn link_row(row: &Row<'_>) -> rusqlite::Result<(SourceKey, Link)> {
    Ok((
        source_key(row, 0)?,
        Link {
            timesheet_id: row.get(2)?,
            base_source: json(row, 3)?,
            base_kimai: json(row, 4)?,
        },
    ))
}

fn query(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<BTreeMap<SourceKey, Link>, StoreError> {
    let mut stmt = conn.prepare(&format!("{SELECT} {filter}"))?;
    let rows = stmt.query_map(args, link_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn link(conn: &Connection, key: &SourceKey) -> Result<Option<Link>, StoreError> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE instance = ?1 AND time_accounting_id = ?2"),
            params![key.instance, key.time_accounting_id],
            link_row,
        )
        .optional()?
        .map(|(_, link)| link))
}

impl Store {
    /// The links (tombstones included) of one Zammad instance.
    pub fn links_for(&self, instance: &str) -> Result<BTreeMap<SourceKey, Link>, StoreError> {
        query(&self.conn.lock(), "WHERE instance = ?1", [instance])
    }

    /// Every link of every instance (tombstones included): the planner's `links`.
    pub fn all_links(&self) -> Result<BTreeMap<SourceKey, Link>, StoreError> {
        query(&self.conn.lock(), "", [])
    }

    /// One link, if any.
    pub fn link(&self, key: &SourceKey) -> Result<Option<Link>, StoreError> {
        link(&self.conn.lock(), key)
    }

    /// The Zammad ticket of each link of `instance` whose month is `from_month` or later
    /// (`YYYY-MM`), where known: the tickets a run must re-read.
    pub fn link_tickets(
        &self,
        instance: &str,
        from_month: Month,
    ) -> Result<BTreeMap<SourceKey, i64>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, ticket_id FROM links \
             WHERE instance = ?1 AND ticket_id IS NOT NULL AND month >= ?2",
        )?;
        let rows = stmt.query_map(params![instance, from_month.to_string()], |row| {
            Ok((source_key(row, 0)?, row.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Links of `instance` to a live timesheet whose month is `from_month` or later but whose
    /// ticket is unknown (rebuilt or adopted links not yet read).
    pub fn ticketless_links(
        &self,
        instance: &str,
        from_month: Month,
    ) -> Result<Vec<SourceKey>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id FROM links WHERE instance = ?1 \
             AND ticket_id IS NULL AND timesheet_id IS NOT NULL AND month >= ?2",
        )?;
        let rows = stmt.query_map(params![instance, from_month.to_string()], |row| {
            source_key(row, 0)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The month stored with a link, if any.
    pub fn link_month(&self, key: &SourceKey) -> Result<Option<Month>, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row(
                "SELECT month FROM links WHERE instance = ?1 AND time_accounting_id = ?2",
                params![key.instance, key.time_accounting_id],
                |r| month_opt(r, 0),
            )
            .optional()?
            .flatten())
    }
}

impl WriteTxn<'_> {
    /// The link of `key` as this transaction sees it.
    pub fn link(&self, key: &SourceKey) -> Result<Option<Link>, StoreError> {
        link(self.conn(), key)
    }

    /// Writes the link of `key` (new or replacing), with the month its entry belongs to.
    /// Fails if another entry's link already names the same timesheet.
    pub fn upsert_link(
        &self,
        key: &SourceKey,
        link: &Link,
        month: Option<Month>,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            concat!(
                "INSERT INTO links (instance, time_accounting_id, timesheet_id, base_source_json, ",
                "base_kimai_json, month) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ",
                "ON CONFLICT (instance, time_accounting_id) DO UPDATE SET ",
                "timesheet_id = excluded.timesheet_id, ",
                "base_source_json = excluded.base_source_json, ",
                "base_kimai_json = excluded.base_kimai_json, month = excluded.month, updated_at = ",
                now_sql!()
            ),
            params![
                key.instance,
                key.time_accounting_id,
                link.timesheet_id,
                to_json(&link.base_source)?,
                to_json(&link.base_kimai)?,
                month.map(|m| m.to_string())
            ],
        )?;
        Ok(())
    }

    /// Records the Zammad ticket of a link's entry.
    pub fn set_link_ticket(&self, key: &SourceKey, ticket_id: i64) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE links SET ticket_id = ?3 WHERE instance = ?1 AND time_accounting_id = ?2",
            params![key.instance, key.time_accounting_id, ticket_id],
        )?;
        Ok(())
    }

    /// Turns the link into a tombstone (no timesheet; the entry is never created again).
    /// Returns whether a link existed.
    pub fn tombstone_link(&self, key: &SourceKey) -> Result<bool, StoreError> {
        let n = self.conn().execute(
            concat!(
                "UPDATE links SET timesheet_id = NULL, updated_at = ",
                now_sql!(),
                " WHERE instance = ?1 AND time_accounting_id = ?2"
            ),
            params![key.instance, key.time_accounting_id],
        )?;
        Ok(n > 0)
    }

    /// Forgets the link entirely. Returns whether a link existed.
    pub fn remove_link(&self, key: &SourceKey) -> Result<bool, StoreError> {
        let n = self.conn().execute(
            "DELETE FROM links WHERE instance = ?1 AND time_accounting_id = ?2",
            params![key.instance, key.time_accounting_id],
        )?;
        Ok(n > 0)
    }
}

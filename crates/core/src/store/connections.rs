//! The configured connections: one Kimai account and any number of Zammad instances, as rows
//! of `connections` (plus, for Zammad, the `zammad_instances` row that carries the marker key
//! and the mapping settings).
//!
//! Tokens are not here: they live in the OS keychain (see [`crate::secrets`]). The per-connection
//! opt-in to plain http to another machine is kept in the `settings` table
//! (`connection:<id>:allow_insecure_http`), because `connections` has no column for it and a
//! later "Test connection" must use the same opt-in the user gave when adding.
//!
//! Every change is one transaction, so a connection never exists without its instance row or
//! the other way round. Removing a connection leaves its links alone: they outlive connections
//! by design (adding the instance back under the same key must never duplicate timesheets).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::codec::{stored_names, time, to_json};
use super::{Store, StoreError};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::InstanceSettings;

/// Which server a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionKind {
    /// The user's Kimai (at most one).
    Kimai,
    /// One client's Zammad helpdesk.
    Zammad,
}

stored_names!(ConnectionKind {
    Kimai => "kimai",
    Zammad => "zammad",
});

/// One configured connection, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedConnection {
    /// The row id.
    pub id: i64,
    /// Kimai or Zammad.
    pub kind: ConnectionKind,
    /// The name the user gave it.
    pub name: String,
    /// The server address, as entered.
    pub base_url: String,
    /// Whether plain http to another machine was explicitly allowed for it.
    pub allow_insecure_http: bool,
    /// The instance key of a Zammad connection (`None` for Kimai).
    pub instance: Option<InstanceKey>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// The `settings` key holding a connection's insecure-http opt-in.
fn insecure_key(id: i64) -> String {
    format!("connection:{id}:allow_insecure_http")
}

/// The columns [`connection_row`] reads, with the opt-in and the instance key joined in.
const SELECT: &str = concat!(
    "SELECT c.id, c.kind, c.name, c.base_url, s.value, z.key, c.created_at ",
    "FROM connections c ",
    "LEFT JOIN settings s ON s.key = 'connection:' || c.id || ':allow_insecure_http' ",
    "LEFT JOIN zammad_instances z ON z.connection_id = c.id"
);

fn connection_row(row: &Row<'_>) -> rusqlite::Result<SavedConnection> {
    let instance: Option<String> = row.get(5)?;
    let instance = instance
        .map(|k| {
            InstanceKey::new(&k)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, Type::Text, Box::new(e)))
        })
        .transpose()?;
    Ok(SavedConnection {
        id: row.get(0)?,
        kind: row.get(1)?,
        name: row.get(2)?,
        base_url: row.get(3)?,
        allow_insecure_http: row.get::<_, Option<String>>(4)?.as_deref() == Some("true"),
        instance,
        created_at: time(row, 6)?,
    })
}

/// Inserts the `connections` row and the insecure-http opt-in; returns the new id.
fn insert_connection(
    conn: &Connection,
    kind: ConnectionKind,
    name: &str,
    base_url: &str,
    allow_insecure_http: bool,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO connections (kind, name, base_url) VALUES (?1, ?2, ?3)",
        params![kind, name, base_url],
    )?;
    let id = conn.last_insert_rowid();
    if allow_insecure_http {
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, 'true')",
            [insecure_key(id)],
        )?;
    }
    Ok(id)
}

impl Store {
    /// All connections, Kimai first, then by name.
    pub fn connections(&self) -> Result<Vec<SavedConnection>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY c.kind, c.name, c.id"))?;
        let rows = stmt.query_map([], connection_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds the Kimai connection, and sets the billing timezone to `billing_timezone` if none
    /// is set yet (the user's choice always wins over the Kimai user's timezone).
    ///
    /// `Ok(None)` when a Kimai connection exists already: there is only ever one Kimai, the
    /// one all timesheets go to, and the check runs in the same transaction as the insert so
    /// two processes cannot both add one.
    pub fn add_kimai_connection(
        &self,
        name: &str,
        base_url: &str,
        allow_insecure_http: bool,
        billing_timezone: Option<Tz>,
    ) -> Result<Option<i64>, StoreError> {
        self.write(|txn| {
            let conn = txn.conn();
            let exists: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM connections WHERE kind = 'kimai')",
                [],
                |r| r.get(0),
            )?;
            if exists {
                return Ok(None);
            }
            let id = insert_connection(
                conn,
                ConnectionKind::Kimai,
                name,
                base_url,
                allow_insecure_http,
            )?;
            if let Some(tz) = billing_timezone {
                conn.execute(
                    "UPDATE kimai_settings SET billing_timezone = ?1 \
                     WHERE id = 1 AND billing_timezone IS NULL",
                    [tz.name()],
                )?;
            }
            Ok(Some(id))
        })
    }

    /// Adds a Zammad connection with its instance row (`key`, `settings`) in one transaction;
    /// returns the connection id. A key or URL already in use fails as a constraint violation
    /// and leaves nothing behind.
    pub fn add_zammad_connection(
        &self,
        name: &str,
        base_url: &str,
        allow_insecure_http: bool,
        key: &InstanceKey,
        settings: &InstanceSettings,
    ) -> Result<i64, StoreError> {
        self.write(|txn| {
            let conn = txn.conn();
            let id = insert_connection(
                conn,
                ConnectionKind::Zammad,
                name,
                base_url,
                allow_insecure_http,
            )?;
            conn.execute(
                "INSERT INTO zammad_instances (key, connection_id, settings_json) \
                 VALUES (?1, ?2, ?3)",
                params![key.as_str(), id, to_json(settings)?],
            )?;
            Ok(id)
        })
    }

    /// Removes the connection, its instance row and its opt-in; `false` if there was none.
    /// Links, audit and decisions stay: they are keyed by instance key and outlive connections.
    pub fn remove_connection(&self, id: i64) -> Result<bool, StoreError> {
        self.write(|txn| {
            let conn = txn.conn();
            conn.execute(
                "DELETE FROM zammad_instances WHERE connection_id = ?1",
                [id],
            )?;
            conn.execute("DELETE FROM settings WHERE key = ?1", [insecure_key(id)])?;
            Ok(conn.execute("DELETE FROM connections WHERE id = ?1", [id])? > 0)
        })
    }

    /// The connection with this id, if any.
    pub fn connection(&self, id: i64) -> Result<Option<SavedConnection>, StoreError> {
        let conn = self.conn.lock();
        Ok(conn
            .query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], connection_row)
            .optional()?)
    }
}

#[cfg(test)]
#[path = "tests_connections.rs"]
mod tests;

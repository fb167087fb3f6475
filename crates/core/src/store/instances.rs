//! Zammad instances (marker key, connection, mapping settings) and the Kimai account's
//! billing timezone: the configuration a sync run reads before anything else.

use std::str::FromStr;

use chrono_tz::Tz;
use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension, Row};

use super::codec::{json, now_sql, to_json};
use super::{Store, StoreError};
use crate::sync::entries::InstanceKey;
use crate::sync::mapping::InstanceSettings;

/// One configured Zammad instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZammadInstance {
    /// The marker key; chosen once, never changed (it is inside every marker written).
    pub key: InstanceKey,
    /// The `connections` row (kind `zammad`) it belongs to.
    pub connection_id: i64,
    /// Mapping rules, units, description, rounding, tags, layout.
    pub settings: InstanceSettings,
}

fn instance_row(row: &Row<'_>) -> rusqlite::Result<ZammadInstance> {
    let key: String = row.get(0)?;
    let key = InstanceKey::new(&key)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))?;
    Ok(ZammadInstance {
        key,
        connection_id: row.get(1)?,
        settings: json(row, 2)?,
    })
}

impl Store {
    /// Adds the instance, or replaces its connection and settings if its key exists.
    pub fn save_instance(&self, instance: &ZammadInstance) -> Result<(), StoreError> {
        self.conn.lock().execute(
            concat!(
                "INSERT INTO zammad_instances (key, connection_id, settings_json) ",
                "VALUES (?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET ",
                "connection_id = excluded.connection_id, settings_json = excluded.settings_json, ",
                "updated_at = ",
                now_sql!()
            ),
            params![
                instance.key.as_str(),
                instance.connection_id,
                to_json(&instance.settings)?
            ],
        )?;
        Ok(())
    }

    /// The instance with this key, if configured.
    pub fn instance(&self, key: &InstanceKey) -> Result<Option<ZammadInstance>, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row(
                "SELECT key, connection_id, settings_json FROM zammad_instances WHERE key = ?1",
                [key.as_str()],
                instance_row,
            )
            .optional()?)
    }

    /// All instances, by key.
    pub fn instances(&self) -> Result<Vec<ZammadInstance>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT key, connection_id, settings_json FROM zammad_instances ORDER BY key",
        )?;
        let rows = stmt.query_map([], instance_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The billing timezone, `None` until set (then the Kimai user's timezone applies).
    pub fn billing_timezone(&self) -> Result<Option<Tz>, StoreError> {
        let name: Option<String> = self.conn.lock().query_row(
            "SELECT billing_timezone FROM kimai_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        name.map(|n| {
            Tz::from_str(&n).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)).into()
            })
        })
        .transpose()
    }

    /// Sets (or with `None` clears) the billing timezone.
    pub fn set_billing_timezone(&self, tz: Option<Tz>) -> Result<(), StoreError> {
        self.conn.lock().execute(
            concat!(
                "UPDATE kimai_settings SET billing_timezone = ?1, updated_at = ",
                now_sql!(),
                " WHERE id = 1"
            ),
            [tz.map(|t| t.name())],
        )?;
        Ok(())
    }
}

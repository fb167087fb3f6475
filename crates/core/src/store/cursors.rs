//! Incremental read positions (cursors) and billed months: small facts a run reads to know
//! where to start reading and which timesheets it must never write.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension};

use super::codec::{self, now_sql};
use super::{Store, StoreError, WriteTxn};
use crate::sync::time::Month;

impl Store {
    /// The value of a cursor (e.g. `zammad:acme:tickets_updated_at`), if set.
    pub fn cursor(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row("SELECT value FROM cursors WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The billed months: the planner's `closed_months`.
    pub fn closed_months(&self) -> Result<BTreeSet<Month>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare("SELECT month FROM closed_months")?;
        let rows = stmt.query_map([], |r| codec::month(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Closes a month, optionally naming the billing run; closing it again keeps the first
    /// record.
    pub fn close_month(&self, month: Month, billing_run_id: Option<i64>) -> Result<(), StoreError> {
        self.conn.lock().execute(
            "INSERT INTO closed_months (month, billing_run_id) VALUES (?1, ?2) \
             ON CONFLICT (month) DO NOTHING",
            params![month.to_string(), billing_run_id],
        )?;
        Ok(())
    }

    /// Reopens a month. Returns whether it was closed.
    pub fn reopen_month(&self, month: Month) -> Result<bool, StoreError> {
        Ok(self.conn.lock().execute(
            "DELETE FROM closed_months WHERE month = ?1",
            [month.to_string()],
        )? > 0)
    }
}

impl WriteTxn<'_> {
    /// Sets a cursor; commit it with the data read up to it.
    pub fn set_cursor(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.conn().execute(
            concat!(
                "INSERT INTO cursors (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE ",
                "SET value = excluded.value, updated_at = ",
                now_sql!()
            ),
            params![name, value],
        )?;
        Ok(())
    }
}

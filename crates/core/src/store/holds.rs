//! Entries the sync leaves alone, and why: the user said "ignore" (`user`), or an undo
//! reversed what a run did to the entry and holds it (`undo`) so the next sync does not simply
//! write it again. Both keep the planner away (`Store::ignored`); releasing either takes the
//! entry back into the sync.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::codec::{source_key, time};
use super::{Store, StoreError, WriteTxn};
use crate::sync::plan::SourceKey;

/// Why an entry is left alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// The user chose to ignore it.
    User,
    /// An undo reversed a run's write to it; released by the user.
    Undo,
}

impl HoldReason {
    fn sql(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Undo => "undo",
        }
    }
}

/// An entry left alone, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldEntry {
    /// The Zammad entry the sync leaves alone.
    pub key: SourceKey,
    /// Why.
    pub reason: HoldReason,
    /// Since when.
    pub since: DateTime<Utc>,
}

impl Store {
    /// Every entry left alone, oldest first.
    pub fn held(&self) -> Result<Vec<HeldEntry>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, reason, ignored_at FROM ignored \
             ORDER BY ignored_at, instance, time_accounting_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let reason: String = r.get(2)?;
            Ok(HeldEntry {
                key: source_key(r, 0)?,
                reason: if reason == "undo" {
                    HoldReason::Undo
                } else {
                    HoldReason::User
                },
                since: time(r, 3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTxn<'_> {
    /// Leaves the entry alone for `reason`. Returns `false` if it already was (for any
    /// reason; the first reason stays).
    pub fn hold(&self, key: &SourceKey, reason: HoldReason) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "INSERT INTO ignored (instance, time_accounting_id, reason) VALUES (?1, ?2, ?3) \
             ON CONFLICT (instance, time_accounting_id) DO NOTHING",
            params![key.instance, key.time_accounting_id, reason.sql()],
        )? > 0)
    }

    /// Takes the entry back into the sync. Returns whether it was held.
    pub fn release(&self, key: &SourceKey) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM ignored WHERE instance = ?1 AND time_accounting_id = ?2",
            params![key.instance, key.time_accounting_id],
        )? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64) -> SourceKey {
        SourceKey {
            instance: "acme".into(),
            time_accounting_id: id,
        }
    }

    #[test]
    fn holds_keep_their_first_reason_and_keep_the_planner_away_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        store.ignore(&key(1)).unwrap();
        let added = store
            .write(|w| {
                Ok((
                    w.hold(&key(1), HoldReason::Undo)?,
                    w.hold(&key(2), HoldReason::Undo)?,
                ))
            })
            .unwrap();
        assert_eq!(added, (false, true));
        let held: Vec<_> = store
            .held()
            .unwrap()
            .into_iter()
            .map(|h| (h.key.time_accounting_id, h.reason))
            .collect();
        assert!(held.contains(&(1, HoldReason::User)) && held.contains(&(2, HoldReason::Undo)));
        assert_eq!(store.ignored().unwrap().len(), 2, "the planner skips both");
        assert!(store.write(|w| w.release(&key(2))).unwrap());
        assert!(!store.write(|w| w.release(&key(2))).unwrap());
        assert_eq!(store.ignored().unwrap().len(), 1);
    }
}

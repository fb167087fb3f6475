//! The user's word on possible twins (`sync::twins`), kept for good: a "same" timesheet never
//! carries a marker, so the lost-marker rule must keep knowing it is the entry's own.

use std::collections::BTreeMap;

use rusqlite::params;

use super::codec::source_key;
use super::{Store, StoreError};
use crate::sync::plan::SourceKey;

/// What the user said about an entry and a timesheet that may record the same work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwinDecision {
    /// The same work: link the entry to the timesheet.
    Same,
    /// Different work: book the entry as well.
    Different,
}

impl Store {
    /// Records the user's word on `key` and `timesheet_id` (works offline; the next run acts).
    pub fn decide_twin(
        &self,
        key: &SourceKey,
        timesheet_id: i64,
        decision: TwinDecision,
    ) -> Result<(), StoreError> {
        let word = match decision {
            TwinDecision::Same => "same",
            TwinDecision::Different => "different",
        };
        self.conn.lock().execute(
            "INSERT OR REPLACE INTO twin_decisions (instance, time_accounting_id, timesheet_id, \
             decision) VALUES (?1, ?2, ?3, ?4)",
            params![key.instance, key.time_accounting_id, timesheet_id, word],
        )?;
        Ok(())
    }

    /// Every decision, by entry: the timesheet and the word.
    pub fn twin_decisions(&self) -> Result<BTreeMap<SourceKey, (i64, TwinDecision)>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, timesheet_id, decision FROM twin_decisions",
        )?;
        let rows = stmt.query_map([], |r| {
            let word: String = r.get(3)?;
            let decision = if word == "same" {
                TwinDecision::Same
            } else {
                TwinDecision::Different
            };
            Ok((source_key(r, 0)?, (r.get(2)?, decision)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

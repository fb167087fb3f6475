//! Billing runs and their per-timesheet journal (schema v4), plus the few reads billing needs
//! from the sync's tables (link months). The journal is written before each remote step, so
//! an interrupted run resumes from it and a reverse knows the before-state.

use std::collections::BTreeMap;

use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension, Row};

use super::codec::{
    json, json_opt, month, month_opt, now_sql, source_key, time, time_opt, to_json,
};
use super::{Store, StoreError, WriteTxn};
use crate::billing::{BillingRun, Blocker, JournalRow, JournalState, RunState, Sheet};
use crate::sync::plan::{Link, SourceKey};
use crate::sync::time::Month;

const RUN_COLUMNS: &str = "id, month, customers_json, tag, state, override_reason, \
    blockers_json, error, started_at, finished_at, reversed_at, report_csv, report_html";
const JOURNAL_COLUMNS: &str =
    "run_id, timesheet_id, customer_id, state, record_json, after_json, error";

fn bad_name(idx: usize, name: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        format!("unknown stored state {name:?}").into(),
    )
}

fn run_row(row: &Row<'_>) -> rusqlite::Result<BillingRun> {
    let state: String = row.get(4)?;
    Ok(BillingRun {
        id: row.get(0)?,
        month: month(row, 1)?,
        customers: json(row, 2)?,
        tag: row.get(3)?,
        state: RunState::parse(&state).ok_or_else(|| bad_name(4, &state))?,
        override_reason: row.get(5)?,
        overridden: json::<Vec<Blocker>>(row, 6)?,
        error: row.get(7)?,
        started_at: time(row, 8)?,
        finished_at: time_opt(row, 9)?,
        reversed_at: time_opt(row, 10)?,
        report_csv: row.get(11)?,
        report_html: row.get(12)?,
    })
}

fn journal_row(row: &Row<'_>) -> rusqlite::Result<JournalRow> {
    let state: String = row.get(3)?;
    Ok(JournalRow {
        run_id: row.get(0)?,
        timesheet_id: row.get(1)?,
        customer_id: row.get(2)?,
        state: JournalState::parse(&state).ok_or_else(|| bad_name(3, &state))?,
        before: json::<Sheet>(row, 4)?,
        after: json_opt::<Sheet>(row, 5)?,
        error: row.get(6)?,
    })
}

impl Store {
    /// Billing runs, newest first.
    pub fn billing_runs(&self) -> Result<Vec<BillingRun>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {RUN_COLUMNS} FROM billing_runs ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([], run_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One billing run.
    pub fn billing_run(&self, id: i64) -> Result<Option<BillingRun>, StoreError> {
        Ok(self
            .conn
            .lock()
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM billing_runs WHERE id = ?1"),
                [id],
                run_row,
            )
            .optional()?)
    }

    /// A run's journal, by timesheet id.
    pub fn billing_journal(&self, run_id: i64) -> Result<Vec<JournalRow>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {JOURNAL_COLUMNS} FROM billing_journal WHERE run_id = ?1 ORDER BY timesheet_id"
        ))?;
        let rows = stmt.query_map([run_id], journal_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The links (tombstones included) whose entry belongs to `month`.
    pub fn links_in_month(&self, month: Month) -> Result<BTreeMap<SourceKey, Link>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT instance, time_accounting_id, timesheet_id, base_source_json, \
             base_kimai_json FROM links WHERE month = ?1",
        )?;
        let rows = stmt.query_map([month.to_string()], |r| {
            Ok((
                source_key(r, 0)?,
                Link {
                    timesheet_id: r.get(2)?,
                    base_source: json(r, 3)?,
                    base_kimai: json(r, 4)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The month of every link (`None` when unknown).
    pub fn link_months(&self) -> Result<BTreeMap<SourceKey, Option<Month>>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare("SELECT instance, time_accounting_id, month FROM links")?;
        let rows = stmt.query_map([], |r| Ok((source_key(r, 0)?, month_opt(r, 2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTxn<'_> {
    /// Starts a billing run; returns its id.
    pub fn start_billing_run(
        &self,
        month: Month,
        customers: &[i64],
        tag: &str,
        override_reason: Option<&str>,
        overridden: &[Blocker],
    ) -> Result<i64, StoreError> {
        self.conn().execute(
            "INSERT INTO billing_runs (month, customers_json, tag, override_reason, \
             blockers_json) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                month.to_string(),
                to_json(customers)?,
                tag,
                override_reason,
                to_json(overridden)?
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Adds a timesheet to a run's journal as `planned`, with its before-state.
    pub fn plan_billing_row(
        &self,
        run_id: i64,
        customer_id: i64,
        before: &Sheet,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO billing_journal (run_id, timesheet_id, customer_id, before_tags_json, \
             before_exported, record_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                run_id,
                before.id,
                customer_id,
                to_json(&before.tags)?,
                before.exported,
                to_json(before)?
            ],
        )?;
        Ok(())
    }

    /// Moves a journal row on (forward only), recording the after-state and error if given.
    pub fn set_billing_row(
        &self,
        run_id: i64,
        timesheet_id: i64,
        state: JournalState,
        after: Option<&Sheet>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let after = after.map(to_json).transpose()?;
        self.conn().execute(
            concat!(
                "UPDATE billing_journal SET state = ?3, after_json = COALESCE(?4, after_json), ",
                "error = ?5, updated_at = ",
                now_sql!(),
                " WHERE run_id = ?1 AND timesheet_id = ?2"
            ),
            params![run_id, timesheet_id, state.as_str(), after, error],
        )?;
        Ok(())
    }

    /// Ends (or re-opens, for `Running`) a billing run.
    pub fn set_billing_run_state(
        &self,
        run_id: i64,
        state: RunState,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let sql = match state {
            RunState::Running => "UPDATE billing_runs SET state = ?2, error = ?3 WHERE id = ?1",
            RunState::Done | RunState::Failed => concat!(
                "UPDATE billing_runs SET state = ?2, error = ?3, finished_at = ",
                now_sql!(),
                " WHERE id = ?1"
            ),
            RunState::Reversed | RunState::PartlyReversed => concat!(
                "UPDATE billing_runs SET state = ?2, error = ?3, reversed_at = ",
                now_sql!(),
                " WHERE id = ?1"
            ),
        };
        self.conn()
            .execute(sql, params![run_id, state.as_str(), error])?;
        Ok(())
    }

    /// Records where a run's report files are (relative to the data directory).
    pub fn set_billing_report(&self, run_id: i64, csv: &str, html: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE billing_runs SET report_csv = ?2, report_html = ?3 WHERE id = ?1",
            params![run_id, csv, html],
        )?;
        Ok(())
    }

    /// Closes a month for the billing run that billed its last timesheets (keeps an earlier
    /// closure).
    pub fn close_billed_month(&self, month: Month, billing_run_id: i64) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO closed_months (month, billing_run_id) VALUES (?1, ?2) \
             ON CONFLICT (month) DO NOTHING",
            params![month.to_string(), billing_run_id],
        )?;
        Ok(())
    }

    /// Reopens a month; returns whether it was closed.
    pub fn reopen_billed_month(&self, month: Month) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM closed_months WHERE month = ?1",
            [month.to_string()],
        )? > 0)
    }
}

//! Reversing a billing run from its journal: each record's before-state (tags, exported) is
//! written back — un-export first (an exported record cannot be edited), then the tags — but
//! only where Kimai holds nothing except the run's own changes (or part of their reversal,
//! so a reverse interrupted half way is simply run again). A record changed since is left
//! as it is and named with what changed. The month is reopened for the sync.

use serde::Serialize;
use timebridge_kimai::{KimaiError, TimesheetPatch};

use super::plan::{reverse_step, Restore};
use super::{Billing, BillingError, BillingRun, JournalRow, JournalState, RunState, Sheet};
use crate::engine::lock_store;
use crate::sync::time::Month;

/// A record a reverse left as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// The Kimai timesheet id.
    pub timesheet_id: i64,
    /// `changed_since`, `deleted_in_kimai` or `forbidden`.
    pub reason: String,
    /// In words (which fields changed, what Kimai said).
    pub message: String,
}

/// What a reverse did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReverseReport {
    /// The billing run.
    pub run_id: i64,
    /// The run's month, `YYYY-MM`.
    pub month: Month,
    /// How the run stands now: `reversed` or `partly_reversed`.
    pub state: RunState,
    /// Records restored (un-exported and untagged).
    pub reversed: Vec<i64>,
    /// Records left as they are, with the reason.
    pub refused: Vec<Refused>,
    /// Whether the month was reopened for the sync.
    pub month_reopened: bool,
}

impl Billing<'_> {
    /// Reverses billing run `run_id`.
    pub async fn reverse(&self, run_id: i64) -> Result<ReverseReport, BillingError> {
        let _lock = lock_store(self.store)?;
        let run = self
            .store
            .billing_run(run_id)?
            .ok_or(BillingError::NoSuchRun(run_id))?;
        let mut report = ReverseReport {
            run_id,
            month: run.month,
            state: RunState::Reversed,
            reversed: Vec::new(),
            refused: Vec::new(),
            month_reopened: false,
        };
        let rows = self.store.billing_journal(run_id)?;
        for row in rows.iter().filter(|r| r.state != JournalState::Reversed) {
            match self.reverse_row(&run, row).await? {
                None => report.reversed.push(row.timesheet_id),
                Some(refused) => report.refused.push(refused),
            }
        }
        self.finish_reverse(&run, &mut report)?;
        Ok(report)
    }

    /// Restores one record's before-state in Kimai and marks its journal row reversed;
    /// `Some`: left as it is, and why.
    async fn reverse_row(
        &self,
        run: &BillingRun,
        row: &JournalRow,
    ) -> Result<Option<Refused>, BillingError> {
        let id = row.timesheet_id;
        let refuse = |reason: &str, message: String| {
            Some(Refused {
                timesheet_id: row.timesheet_id,
                reason: reason.into(),
                message,
            })
        };
        let current = match self.kimai.timesheet(id).await {
            Ok(ts) => Sheet::from_kimai(&ts, self.tz),
            Err(KimaiError::NotFound) => {
                return Ok(refuse(
                    "deleted_in_kimai",
                    "the timesheet was deleted in Kimai".into(),
                ));
            }
            Err(e) => return Err(BillingError::kimai(e, None)),
        };
        let Restore { unexport, tags } = match reverse_step(row, &current, &run.tag) {
            Ok(r) => r,
            Err(fields) => {
                return Ok(refuse(
                    "changed_since",
                    format!("changed in Kimai since the run: {}", fields.join(", ")),
                ));
            }
        };
        let outcome = async {
            if unexport {
                self.kimai.ensure_exported(id, false).await?;
            }
            if let Some(tags) = tags {
                let patch = TimesheetPatch {
                    tags: Some(tags),
                    ..TimesheetPatch::default()
                };
                self.kimai.update_timesheet(id, &patch).await?;
            }
            Ok::<(), KimaiError>(())
        }
        .await;
        match outcome {
            Ok(()) => {
                self.store.write(|w| {
                    w.set_billing_row(run.id, row.timesheet_id, JournalState::Reversed, None, None)
                })?;
                Ok(None)
            }
            Err(e @ (KimaiError::Locked | KimaiError::Forbidden { .. })) => Ok(refuse(
                "forbidden",
                format!("Kimai refused (un-exporting needs edit_exported_timesheet): {e}"),
            )),
            Err(e) => Err(BillingError::kimai(e, None)),
        }
    }

    /// The run's new state (partly reversed when a record was left, with the reasons) and,
    /// once anything of it was reversed, its month reopened for the sync.
    fn finish_reverse(
        &self,
        run: &BillingRun,
        report: &mut ReverseReport,
    ) -> Result<(), BillingError> {
        if !report.refused.is_empty() {
            report.state = RunState::PartlyReversed;
        }
        let error = (!report.refused.is_empty()).then(|| {
            report
                .refused
                .iter()
                .map(|r| format!("timesheet {}: {}", r.timesheet_id, r.message))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let any = !report.reversed.is_empty() || run.state == RunState::PartlyReversed;
        report.month_reopened = self.store.write(|w| {
            w.set_billing_run_state(run.id, report.state, error.as_deref())?;
            if any {
                w.reopen_billed_month(run.month)
            } else {
                Ok(false)
            }
        })?;
        Ok(())
    }
}

//! Applying a billing run: preflight (no other run unfinished, no blockers unless a reason is
//! recorded, the tag existing or created), the journal written with every record's
//! before-state, then per record tag → export, each step decided from Kimai's current state
//! and recorded before the next one. A crash or lost connection leaves the run `running`; the
//! next apply of the same month and scope resumes it without repeating or flipping anything.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::plan::{plan, BillingInput};
use super::report::{self, ReportFiles};
use super::{read, Billing, BillingError, BillingRun, JournalState, Preview, RunState};
use crate::engine::lock_store;
use crate::sync::time::Month;

/// A record Kimai refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowFailure {
    /// The Kimai timesheet id.
    pub timesheet_id: i64,
    /// Why.
    pub error: String,
}

/// What an apply did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// The billing run (`None` when there was nothing to bill).
    pub run_id: Option<i64>,
    /// Whether an interrupted run was carried on.
    pub resumed: bool,
    /// How the run stands now.
    pub state: Option<RunState>,
    /// Whether the tag had to be created.
    pub tag_created: bool,
    /// Tag writes made by this call.
    pub tagged: u32,
    /// Export toggles made by this call.
    pub exported: u32,
    /// Records this run billed (tagged and exported).
    pub billed: Vec<i64>,
    /// Records Kimai refused (the run ends `failed`; apply again to retry them).
    pub failed: Vec<RowFailure>,
    /// Whether the month is now closed for the sync (every timesheet of it billed).
    pub month_closed: bool,
    /// The reason recorded for billing despite blockers.
    pub override_reason: Option<String>,
    /// The report files, once the run is done.
    pub report: Option<ReportFiles>,
    /// The preview the run started from.
    pub preview: Preview,
}

impl Billing<'_> {
    /// Bills `month` for `customers` (empty = all). Blockers stop it unless `override_reason`
    /// is given (it is recorded with them). A fresh sync first is the caller's job.
    pub async fn apply(
        &self,
        month: Month,
        customers: &BTreeSet<i64>,
        override_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ApplyReport, BillingError> {
        let _lock = lock_store(self.store)?;
        let input = read::input(self, month, customers, now).await?;
        let preview = plan(&input);
        let scope: Vec<i64> = customers.iter().copied().collect();
        let mut resume: Option<BillingRun> = None;
        for run in self.store.billing_runs()? {
            if !run.state.resumable() {
                continue;
            }
            if run.month != preview.month || run.customers != scope {
                return Err(BillingError::Unfinished {
                    id: run.id,
                    month: run.month,
                });
            }
            resume = Some(run);
        }
        let mut report = ApplyReport {
            run_id: None,
            resumed: resume.is_some(),
            state: None,
            tag_created: false,
            tagged: 0,
            exported: 0,
            billed: Vec::new(),
            failed: Vec::new(),
            month_closed: false,
            override_reason: resume
                .as_ref()
                .and_then(|r| r.override_reason.clone())
                .or(override_reason.map(str::to_string)),
            report: None,
            preview,
        };
        let run_id = match resume {
            Some(run) => {
                report.tag_created = self.ensure_tag(&run.tag).await?;
                run.id
            }
            None => {
                let p = &report.preview;
                if p.to_bill.is_empty() {
                    return Ok(report);
                }
                if !p.blockers.is_empty() && override_reason.is_none() {
                    return Err(BillingError::Blocked {
                        month: p.month,
                        blockers: p.blockers.clone(),
                    });
                }
                report.tag_created = self.ensure_tag(&p.tag).await?;
                self.start(&input, &report.preview, override_reason)?
            }
        };
        report.run_id = Some(run_id);
        self.carry_out(run_id, &input.sheets, &mut report).await?;
        self.finish(run_id, &input, &mut report)?;
        Ok(report)
    }

    /// Creates the tag unless Kimai has it; returns whether it was created.
    async fn ensure_tag(&self, tag: &str) -> Result<bool, BillingError> {
        let err = |source| BillingError::Tag {
            tag: tag.to_string(),
            source,
        };
        let tags = self.kimai.tags().await.map_err(err)?;
        if tags.iter().any(|t| t == tag) {
            return Ok(false);
        }
        self.kimai.create_tag(tag).await.map_err(err)?;
        Ok(true)
    }

    /// Writes the run and its journal (every record `planned` with its before-state) in one
    /// transaction, before anything is written to a timesheet.
    fn start(
        &self,
        input: &BillingInput,
        preview: &Preview,
        override_reason: Option<&str>,
    ) -> Result<i64, BillingError> {
        let scope: Vec<i64> = input.customers.iter().copied().collect();
        Ok(self.store.write(|w| {
            let id = w.start_billing_run(
                preview.month,
                &scope,
                &preview.tag,
                override_reason,
                &preview.blockers,
            )?;
            let sheets: std::collections::BTreeMap<i64, &super::Sheet> =
                input.sheets.iter().map(|s| (s.id, s)).collect();
            for b in &preview.to_bill {
                if let Some(sheet) = sheets.get(&b.timesheet_id) {
                    w.plan_billing_row(id, b.customer_id, sheet)?;
                }
            }
            Ok(id)
        })?)
    }

    /// Ends the run: every record exported → `done`, the month closed when all of its
    /// timesheets are billed, the report written; otherwise `failed` (resumable).
    fn finish(
        &self,
        run_id: i64,
        input: &BillingInput,
        report: &mut ApplyReport,
    ) -> Result<(), BillingError> {
        let rows = self.store.billing_journal(run_id)?;
        let complete = rows
            .iter()
            .all(|r| matches!(r.state, JournalState::Exported | JournalState::Done));
        if !complete {
            let failed: Vec<String> = rows
                .iter()
                .filter(|r| r.state == JournalState::Failed)
                .map(|r| {
                    format!(
                        "timesheet {}: {}",
                        r.timesheet_id,
                        r.error.as_deref().unwrap_or("")
                    )
                })
                .collect();
            let text = format!("Kimai refused: {}", failed.join("; "));
            self.store
                .write(|w| w.set_billing_run_state(run_id, RunState::Failed, Some(&text)))?;
            report.state = Some(RunState::Failed);
            return Ok(());
        }
        let billed: BTreeSet<i64> = rows.iter().map(|r| r.timesheet_id).collect();
        let closes = input
            .sheets
            .iter()
            .all(|s| s.exported || billed.contains(&s.id));
        let month = report.preview.month;
        let files = report::write(self, run_id, input, &rows)?;
        self.store.write(|w| {
            for r in &rows {
                w.set_billing_row(run_id, r.timesheet_id, JournalState::Done, None, None)?;
            }
            w.set_billing_run_state(run_id, RunState::Done, None)?;
            w.set_billing_report(run_id, &files.csv, &files.html)?;
            if closes {
                w.close_billed_month(month, run_id)?;
            }
            Ok(())
        })?;
        report.state = Some(RunState::Done);
        report.billed = billed.into_iter().collect();
        report.month_closed = closes;
        report.report = Some(files);
        Ok(())
    }
}

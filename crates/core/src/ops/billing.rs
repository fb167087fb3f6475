//! Month-end billing from either front end: the Kimai client and the billing timezone from
//! what is stored, the month defaulting to the previous one in that timezone, and the rule
//! that a billing run asked to sync first bills nothing unless that sync ended ok.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{OpError, Workspace};
use crate::billing::{
    default_month, ApplyReport, Billing, BillingError, BillingRun, Preview, ReverseReport,
    DEFAULT_STALE_AFTER,
};
use crate::engine::Mode;
use crate::setup::kimai_setup;
use crate::sync::time::Month;
use crate::{RunOutcome, RunTrigger};

/// What to bill.
#[derive(Clone, Debug, Default)]
pub struct BillingOrder<'r> {
    /// The month; the previous month in the billing timezone without one.
    pub month: Option<Month>,
    /// Only these Kimai customers (all without any).
    pub customers: BTreeSet<i64>,
    /// Bill despite blockers, for this reason (recorded with the run).
    pub override_reason: Option<&'r str>,
    /// Sync first, recorded with this trigger; billing goes on only if it ends ok.
    pub sync_first: Option<RunTrigger>,
}

/// A billing run carried out.
#[derive(Debug)]
pub struct Billed {
    /// The sync run before it, if one was asked for.
    pub sync_run_id: Option<i64>,
    /// What was tagged and locked (or why not, per timesheet).
    pub report: ApplyReport,
}

impl Workspace<'_> {
    /// `month` (the previous one in the billing timezone without it) as billing would find it
    /// in Kimai now: totals, differences to Zammad, blockers. Writes nothing.
    pub async fn billing_preview(
        &self,
        month: Option<Month>,
        customers: &BTreeSet<i64>,
        now: DateTime<Utc>,
    ) -> Result<Preview, OpError> {
        let (kimai, tz) = kimai_setup(self.store, self.secrets)?;
        let month = month.unwrap_or_else(|| default_month(tz, now));
        Ok(self
            .billing(&kimai, tz)
            .preview(month, customers, now)
            .await?)
    }

    /// Bills a month: the sync first when asked (it must end ok), then tag and export-lock.
    /// A blocked month needs an override reason. The report's paths are full paths.
    pub async fn billing_apply(
        &self,
        order: &BillingOrder<'_>,
        now: DateTime<Utc>,
    ) -> Result<Billed, OpError> {
        let sync_run_id = match order.sync_first {
            Some(trigger) => {
                let report = self.sync(now, Mode::Apply, trigger).await?;
                if report.outcome != RunOutcome::Ok {
                    return Err(OpError::SyncBeforeBilling {
                        run_id: report.run_id,
                        detail: report.error,
                    });
                }
                Some(report.run_id)
            }
            None => None,
        };
        let (kimai, tz) = kimai_setup(self.store, self.secrets)?;
        let month = order.month.unwrap_or_else(|| default_month(tz, now));
        let reason = order.override_reason.filter(|r| !r.trim().is_empty());
        let mut report = self
            .billing(&kimai, tz)
            .apply(month, &order.customers, reason, now)
            .await?;
        if let Some(files) = &mut report.report {
            files.csv = self.full_path(&files.csv);
            files.html = self.full_path(&files.html);
        }
        Ok(Billed {
            sync_run_id,
            report,
        })
    }

    /// Reverses billing run `run_id` where nothing changed since.
    pub async fn billing_reverse(&self, run_id: i64) -> Result<ReverseReport, OpError> {
        let (kimai, tz) = kimai_setup(self.store, self.secrets)?;
        Ok(self.billing(&kimai, tz).reverse(run_id).await?)
    }

    fn billing<'k>(
        &'k self,
        kimai: &'k timebridge_kimai::KimaiClient,
        tz: chrono_tz::Tz,
    ) -> Billing<'k> {
        Billing {
            store: self.store,
            kimai,
            tz,
            data_dir: self.data_dir.to_path_buf(),
            stale_after: DEFAULT_STALE_AFTER,
        }
    }
}

impl Workspace<'_> {
    /// Every billing run, newest first, with its reports' full paths (in the data
    /// directory), so a user can open them from wherever they asked.
    pub fn billing_runs(&self) -> Result<Vec<BillingRun>, OpError> {
        let mut runs = self.store.billing_runs()?;
        for run in &mut runs {
            self.resolve_reports(run);
        }
        Ok(runs)
    }

    /// Billing run `id` as [`Workspace::billing_runs`] gives it.
    pub fn billing_run(&self, id: i64) -> Result<BillingRun, OpError> {
        let mut run = self
            .store
            .billing_run(id)?
            .ok_or(BillingError::NoSuchRun(id))?;
        self.resolve_reports(&mut run);
        Ok(run)
    }

    fn resolve_reports(&self, run: &mut BillingRun) {
        for path in [&mut run.report_csv, &mut run.report_html]
            .into_iter()
            .flatten()
        {
            *path = self.full_path(path);
        }
    }

    /// A path stored relative to the data directory, in full.
    fn full_path(&self, relative: &str) -> String {
        self.data_dir.join(relative).display().to_string()
    }
}

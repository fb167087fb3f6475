//! Month-end billing runs: preview a month, then tag every one of the consultant's
//! Kimai timesheets of that month (optionally only some customers) with `billed:YYYY-MM` and
//! mark it exported, so nothing billed changes silently afterwards.
//!
//! - [`plan`]: the pure part — totals, scope, blockers, reconciliation, and the per-record
//!   steps of apply and reverse, decided from Kimai's current state;
//! - `read`: Kimai's month and catalog plus the sync's open business → the planner's input;
//! - `apply`: preflight, then per timesheet tag → export, journaled in the local database
//!   before each remote step (resumable, never toggling blindly, a no-op when repeated);
//! - `reverse`: the journal's before-state restored where nothing changed since;
//! - `report`: CSV and printable HTML per run in the data directory.
//!
//! Billing takes the sync's lock, so a billing run and a sync never run at once. See
//! docs/billing.md.

mod apply;
mod apply_steps;
mod input;
pub mod ledger;
mod model;
pub mod plan;
mod preview;
mod read;
mod reconcile;
mod report;
mod reverse;
mod steps;

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use timebridge_kimai::{KimaiClient, KimaiError};

pub use apply::{ApplyReport, RowFailure};
pub use model::{billing_tag, BillingRun, JournalRow, JournalState, RunState, Sheet};
pub use preview::{
    blocker_causes, hours, park_words, ActivityTotals, Blocker, CustomerTotals, Difference,
    Preview, ProjectTotals, Reconciliation, ToBill, Totals,
};
pub use report::ReportFiles;
pub use reverse::{Refused, ReverseReport};

use crate::engine::EngineError;
use crate::sync::time::Month;
use crate::{Store, StoreError};

/// A complete sync older than this blocks billing by default.
pub const DEFAULT_STALE_AFTER: Duration = Duration::hours(1);

/// What stops a billing command.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// The local database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The sync lock (another sync or billing run is going on, or the lock file failed).
    #[error(transparent)]
    Lock(#[from] EngineError),
    /// Kimai could not be read or written; `run_id` names the billing run it interrupted
    /// (apply again to resume it).
    #[error("Kimai: {source}{}", run_id.map(|id| format!(" (billing run {id} stopped; apply again to resume it)")).unwrap_or_default())]
    Kimai {
        /// What Kimai said.
        source: KimaiError,
        /// The interrupted run.
        run_id: Option<i64>,
    },
    /// The Kimai user's timezone is not the billing timezone: months would be cut wrongly.
    #[error("the Kimai user's timezone is {kimai}, but the billing timezone is {billing}; set them to the same zone")]
    Timezone {
        /// The Kimai user's timezone (an IANA name such as `Europe/Berlin`).
        kimai: String,
        /// The billing timezone set in Timebridge (an IANA name).
        billing: String,
    },
    /// Blockers and no override reason.
    #[error("billing {month} is blocked: {}", blockers.iter().map(Blocker::describe).collect::<Vec<_>>().join("; "))]
    Blocked {
        /// The month that was to be billed, `YYYY-MM`.
        month: Month,
        /// What blocks it.
        blockers: Vec<Blocker>,
    },
    /// Kimai refused the first export: the user lacks the permission to export.
    #[error("Kimai refused to export timesheet {timesheet_id} (403): your Kimai user has no permission to export timesheets (edit_export); billing run {run_id} stopped (ask an admin, then apply again, or reverse it)")]
    NoExportPermission {
        /// The billing run that stopped (now `failed`: apply again, or reverse it).
        run_id: i64,
        /// The first record refused.
        timesheet_id: i64,
    },
    /// The tag neither exists nor can be created.
    #[error("the tag {tag} does not exist in Kimai and cannot be created: {source}")]
    Tag {
        /// The missing billing tag, `billed:YYYY-MM`.
        tag: String,
        /// What Kimai said.
        source: KimaiError,
    },
    /// A billing run of another month or scope is unfinished.
    #[error("billing run {id} ({month}) is unfinished; apply it again (same month and customers) or reverse it first")]
    Unfinished {
        /// The unfinished billing run's id.
        id: i64,
        /// The month it bills, `YYYY-MM`.
        month: Month,
    },
    /// Customers not in Kimai's list.
    #[error("unknown Kimai customer(s): {0:?}")]
    UnknownCustomers(Vec<i64>),
    /// No such billing run.
    #[error("no billing run {0}")]
    NoSuchRun(i64),
    /// The report files could not be written.
    #[error("cannot write the billing report {path}: {source}")]
    Report {
        /// The report file: its full path, or only its name when the CSV could not be built.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl BillingError {
    pub(crate) fn kimai(source: KimaiError, run_id: Option<i64>) -> Self {
        Self::Kimai { source, run_id }
    }
}

/// Billing over one Kimai account.
#[derive(Debug)]
pub struct Billing<'a> {
    /// The local state.
    pub store: &'a Store,
    /// The consultant's Kimai.
    pub kimai: &'a KimaiClient,
    /// The billing timezone (the Kimai user's must be the same).
    pub tz: Tz,
    /// The data directory (reports go to `reports/` in it).
    pub data_dir: PathBuf,
    /// A complete sync older than this is a blocker.
    pub stale_after: Duration,
}

/// The previous month in `tz` as of `now`: what a month-end run bills by default.
pub fn default_month(tz: Tz, now: DateTime<Utc>) -> Month {
    Month::of(now.with_timezone(&tz).date_naive()).previous()
}

impl Billing<'_> {
    /// The preview of `month` for `customers` (empty = all): reads Kimai and the local state,
    /// writes nothing.
    pub async fn preview(
        &self,
        month: Month,
        customers: &BTreeSet<i64>,
        now: DateTime<Utc>,
    ) -> Result<Preview, BillingError> {
        let input = read::input(self, month, customers, now).await?;
        Ok(plan::plan(&input))
    }

    /// Every billing run, newest first.
    pub fn runs(&self) -> Result<Vec<BillingRun>, BillingError> {
        Ok(self.store.billing_runs()?)
    }
}

#[cfg(test)]
mod tests_ledger;
#[cfg(test)]
mod tests_plan;
#[cfg(test)]
mod tests_step;

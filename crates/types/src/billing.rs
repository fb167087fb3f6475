//! Month-end billing as the UI shows it: a mirror of the core's billing preview, apply,
//! reverse and run list (docs/billing.md). Hours are exact decimal strings.

use serde::{Deserialize, Serialize};

use crate::dashboard::ReconciliationView;

/// `billing_preview` request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BillingQuery {
    /// `YYYY-MM`; `None` = the previous month in the billing timezone.
    pub month: Option<String>,
    /// Kimai customer ids; empty = every customer.
    pub customers: Vec<i64>,
}

/// `billing_apply` request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BillingApplyRequest {
    /// The month and customers.
    pub query: BillingQuery,
    /// Bill despite blockers; recorded with the run.
    pub override_reason: Option<String>,
    /// Sync first (the default in the UI).
    pub sync_first: bool,
}

/// Totals of a month, customer, project or activity.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TotalsView {
    /// Timesheets.
    pub entries: u32,
    /// Hours.
    pub hours: String,
    /// Billable hours.
    pub billable_hours: String,
    /// Amount, when Kimai has rates.
    pub amount: Option<String>,
}

/// One customer's totals with its projects.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CustomerTotalsView {
    /// The Kimai customer id.
    pub customer_id: i64,
    /// The customer's name in Kimai (`customer <id>` if the catalog lacks it).
    pub customer: String,
    /// Totals.
    pub totals: TotalsView,
    /// Per project: (name, totals).
    pub projects: Vec<ProjectTotalsView>,
}

/// One project's totals.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProjectTotalsView {
    /// The Kimai project id.
    pub project_id: i64,
    /// The project's name in Kimai (`project <id>` if the catalog lacks it).
    pub project: String,
    /// Totals.
    pub totals: TotalsView,
}

/// Why a month cannot be billed yet.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockerView {
    /// `pending_write`, `conflict`, `parked`, `held`, `running_timesheet`, `unknown_project`,
    /// `stale_sync`, `never_synced` (the core's `Blocker` kind).
    pub kind: String,
    /// In words.
    pub text: String,
    /// The entry (`acme#4711`), when the blocker is about one.
    #[serde(default)]
    pub entry: Option<String>,
    /// The timesheet, when known.
    #[serde(default)]
    pub timesheet_id: Option<i64>,
    /// The entry's month (`YYYY-MM`), when known.
    #[serde(default)]
    pub month: Option<String>,
    /// The particulars: the conflict kind or park reason (snake_case), the unknown project's
    /// id, or when the last complete sync ran (RFC 3339).
    #[serde(default)]
    pub detail: Option<String>,
}

/// The preview of a month (nothing written).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BillingPreviewView {
    /// The month, `YYYY-MM` (the previous month in the billing timezone when none was asked).
    pub month: String,
    /// The customer scope (empty = all).
    pub customers: Vec<i64>,
    /// The tag apply writes (`billed:2026-03`).
    pub tag: String,
    /// Per customer.
    pub by_customer: Vec<CustomerTotalsView>,
    /// All customers in scope.
    pub total: TotalsView,
    /// Timesheets apply would tag and export.
    pub to_bill: u32,
    /// Already billed (tagged and exported).
    pub already_billed: u32,
    /// Zammad vs Kimai per customer.
    pub reconciliation: Vec<ReconciliationView>,
    /// Where every second of the month's Zammad time went.
    #[serde(default)]
    pub ledger: Vec<crate::dashboard::LedgerRowView>,
    /// What stops apply (unless overridden).
    pub blockers: Vec<BlockerView>,
    /// Whether apply closes the month.
    pub closes_month: bool,
}

/// A billing run.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BillingRunView {
    /// The billing run's id (`billing_reverse`, `open_report`; `bill reverse <id>` in the CLI).
    pub id: i64,
    /// The billed month, `YYYY-MM` in the billing timezone.
    pub month: String,
    /// Customer scope (empty = all).
    pub customers: Vec<i64>,
    /// The tag it puts on each timesheet, `billed:YYYY-MM`.
    pub tag: String,
    /// `running`, `done`, `failed`, `reversed`, `partly_reversed`.
    pub state: String,
    /// The recorded override reason.
    pub override_reason: Option<String>,
    /// Why it stopped.
    pub error: Option<String>,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339.
    pub finished_at: Option<String>,
    /// RFC 3339.
    pub reversed_at: Option<String>,
    /// The CSV report, absolute path.
    pub report_csv: Option<String>,
    /// The printable HTML report, absolute path.
    pub report_html: Option<String>,
}

/// What an apply or a reverse did.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BillingResultView {
    /// The run as it now stands.
    pub run: BillingRunView,
    /// Timesheets changed (tagged/exported, or restored).
    pub changed: u32,
    /// Timesheets left alone, with why.
    pub skipped: Vec<String>,
}

/// Which report of a billing run (`open_report`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// The CSV file.
    Csv,
    /// The printable HTML page.
    Html,
}

/// `open_report` request: the shell opens the run's report file with the system's default
/// application. The UI names the run, never a path, so the webview cannot open arbitrary files.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OpenReportRequest {
    /// The billing run.
    pub run_id: i64,
    /// Which file.
    pub format: ReportFormat,
}

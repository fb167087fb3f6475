//! The billing run's plain data: a Kimai timesheet as billing sees it, the journal's states
//! and rows, the runs. The store writes these; the CLI and the UI show them (serde forms are
//! part of the CLI's JSON).

use crate::sync::time::Month;
use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The tag a billing run puts on every timesheet of `month` (`YYYY-MM`).
pub fn billing_tag(month: Month) -> String {
    format!("billed:{month}")
}

/// One of the consultant's Kimai timesheets, with wall-clock times in the billing timezone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// The Kimai id.
    pub id: i64,
    /// Begin (billing timezone).
    pub begin: NaiveDateTime,
    /// End; `None` while running.
    pub end: Option<NaiveDateTime>,
    /// Kimai's duration in seconds (0 while running).
    pub seconds: i64,
    /// Project id.
    pub project: i64,
    /// Activity id.
    pub activity: i64,
    /// Its description as Kimai has it (with the marker, when synced).
    pub description: String,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// Exported (billed, locked for ordinary users).
    pub exported: bool,
    /// Whether Kimai counts it as billable (the totals count billable time apart).
    pub billable: bool,
    /// The record's amount, when the Kimai user may see rates.
    pub rate: Option<Decimal>,
}

impl Sheet {
    /// The record as Kimai sent it, in the billing timezone.
    pub fn from_kimai(ts: &timebridge_kimai::Timesheet, tz: chrono_tz::Tz) -> Self {
        let mut tags = ts.tags.clone();
        tags.sort();
        tags.dedup();
        Self {
            id: ts.id,
            begin: ts.begin.with_timezone(&tz).naive_local(),
            end: ts.end.map(|e| e.with_timezone(&tz).naive_local()),
            seconds: ts.duration.unwrap_or(0).max(0),
            project: ts.project,
            activity: ts.activity,
            description: ts.description.clone().unwrap_or_default(),
            tags,
            exported: ts.exported,
            billable: ts.billable,
            rate: ts.rate,
        }
    }

    /// Whether the record carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The fields a billing run never changes (what a reverse compares): begin, end, project,
    /// activity, description and duration.
    pub fn same_content(&self, other: &Sheet) -> bool {
        (
            self.begin,
            self.end,
            self.project,
            self.activity,
            &self.description,
            self.seconds,
        ) == (
            other.begin,
            other.end,
            other.project,
            other.activity,
            &other.description,
            other.seconds,
        )
    }
}

/// How far one timesheet of a run has come. Moves forward only (a trigger enforces it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalState {
    /// Written before anything remote: the before-state is recorded; next: add the tag.
    Planned,
    /// The tag is on the record; next: set exported.
    Tagged,
    /// Exported; the after-state is recorded.
    Exported,
    /// The run completed with this record billed.
    Done,
    /// Kimai refused this record (locked, deleted…); retried when the run is resumed.
    Failed,
    /// A reverse restored the before-state.
    Reversed,
}

impl JournalState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Tagged => "tagged",
            Self::Exported => "exported",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Reversed => "reversed",
        }
    }

    /// The state of a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Planned,
            Self::Tagged,
            Self::Exported,
            Self::Done,
            Self::Failed,
            Self::Reversed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// One timesheet in a run's journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalRow {
    /// The billing run this journal row belongs to.
    pub run_id: i64,
    /// The Kimai timesheet id.
    pub timesheet_id: i64,
    /// Its customer (the run's scope).
    pub customer_id: i64,
    /// How far it has come.
    pub state: JournalState,
    /// The record when planned (before any write): tags and exported are restored by a
    /// reverse, the rest must be unchanged for a reverse to touch it.
    pub before: Sheet,
    /// The record as the run left it (after the export), if it got that far.
    pub after: Option<Sheet>,
    /// Why Kimai refused it, for `Failed`.
    pub error: Option<String>,
}

/// How a billing run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Started, or stopped by a crash or a lost connection: the next apply of the same month
    /// and scope resumes it.
    Running,
    /// Every timesheet is tagged and exported.
    Done,
    /// Stopped on a refusal (no permission to export, records locked); resumable.
    Failed,
    /// Reversed completely.
    Reversed,
    /// Reversed except records changed since.
    PartlyReversed,
}

impl RunState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Reversed => "reversed",
            Self::PartlyReversed => "partly_reversed",
        }
    }

    /// The state of a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Running,
            Self::Done,
            Self::Failed,
            Self::Reversed,
            Self::PartlyReversed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Whether an apply of the same month and scope carries this run on.
    pub fn resumable(self) -> bool {
        matches!(self, Self::Running | Self::Failed)
    }
}

/// A billing run as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingRun {
    /// The billing run's id (`bill list`, `bill reverse <id>`).
    pub id: i64,
    /// The month (`YYYY-MM`).
    pub month: Month,
    /// The customer scope; empty = every customer.
    pub customers: Vec<i64>,
    /// The tag it writes.
    pub tag: String,
    /// How it stands.
    pub state: RunState,
    /// The reason given to bill despite blockers.
    pub override_reason: Option<String>,
    /// The blockers that reason overrode.
    pub overridden: Vec<super::Blocker>,
    /// Why it stopped, if it did.
    pub error: Option<String>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended (done or failed).
    pub finished_at: Option<DateTime<Utc>>,
    /// When it was reversed.
    pub reversed_at: Option<DateTime<Utc>>,
    /// The CSV report: stored relative to the data directory; the workspace's reads
    /// (`Workspace::billing_runs`) give the full path.
    pub report_csv: Option<String>,
    /// The HTML report, stored and read like `report_csv`.
    pub report_html: Option<String>,
}

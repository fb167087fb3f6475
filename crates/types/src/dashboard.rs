//! The dashboard: last and next sync, counts by state, this month's hours per customer and the
//! Zammad-vs-Kimai reconciliation with each difference explained.

use serde::{Deserialize, Serialize};

use crate::sync::ScheduleView;

/// How many entries are in each state (the same states the entries filter offers).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct StateCounts {
    /// Linked to a Kimai timesheet that matches.
    pub synced: u32,
    /// Waiting for the next sync (a write in the outbox, or a decision to apply).
    pub pending: u32,
    /// Parked until a mapping exists.
    pub needs_mapping: u32,
    /// Open conflicts.
    pub conflicts: u32,
    /// Refused by Kimai (held with Kimai's answer until something changes).
    #[serde(default)]
    pub refused: u32,
    /// Parked for another reason, or a write that failed.
    pub errors: u32,
    /// On tickets no longer readable in Zammad (their changes stopped flowing).
    #[serde(default)]
    pub unreadable: u32,
    /// 1 when the last run could not reach a server (then nothing else is known to be new).
    pub offline: u32,
}

/// Hours of one Kimai customer in a month.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CustomerHours {
    /// The Kimai customer id.
    pub customer_id: i64,
    /// The customer's name in Kimai (`customer <id>` if the catalog lacks it).
    pub customer: String,
    /// Hours, exact decimal string.
    pub hours: String,
    /// Seconds, for charts.
    pub seconds: i64,
}

/// One difference between Zammad and Kimai, explained.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DifferenceView {
    /// `missing_in_kimai`, `differs` or `accepted_deletion` (the core's `Difference` kind).
    pub kind: String,
    /// The entry (`acme#4711`).
    pub entry: String,
    /// The timesheet, if any.
    pub timesheet_id: Option<i64>,
    /// The difference in plain words.
    pub explanation: String,
    /// Zammad's seconds minus Kimai's for this entry.
    pub delta_seconds: i64,
    /// For `differs`: the fields that differ (`begin`, `end`, `project`, `activity`).
    #[serde(default)]
    pub fields: Vec<String>,
}

/// Zammad vs Kimai for one customer and month.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReconciliationView {
    /// The Kimai customer id (`0` when a project's customer is not known).
    pub customer_id: i64,
    /// The customer's name in Kimai (`customer <id>` if the catalog lacks it).
    pub customer: String,
    /// What Zammad's entries add up to (after rounding), hours.
    pub zammad_hours: String,
    /// What the linked Kimai timesheets hold, hours.
    pub kimai_hours: String,
    /// Kimai time of this customer not from Zammad (booked by hand), hours.
    pub kimai_other_hours: String,
    /// Zammad minus linked Kimai, hours (`"0"` when they agree).
    pub difference_hours: String,
    /// Every entry that explains the difference.
    pub differences: Vec<DifferenceView>,
}

/// One entry's share of a ledger part.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntryView {
    /// The Zammad time entry.
    pub key: crate::EntryKey,
    /// `#31010 VPN outage`.
    pub ticket: String,
    /// The Zammad booking day, `YYYY-MM-DD` (billing timezone).
    pub day: String,
    /// Its share, milliseconds.
    pub millis: i64,
    /// Its timesheet, when linked.
    pub timesheet_id: Option<i64>,
}

/// One part of a ledger row.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LedgerPartView {
    /// `booked`, `changed_in_kimai`, `waiting`, `not_in_month`, `refused`, `parked`, `held`,
    /// `conflict`, `rounding`.
    pub kind: String,
    /// For `refused` and `parked`: the code (`project_ended`, `needs_mapping`, …).
    pub reason: Option<String>,
    /// Whether this time is missing from Kimai until someone acts.
    pub missing: bool,
    /// The sum, milliseconds.
    pub millis: i64,
    /// The entries that make up `millis`, each with its share.
    pub entries: Vec<LedgerEntryView>,
}

/// Where one customer's and project's Zammad time of a month went (no project: entries
/// without a mapping): the parts add up to `zammad_millis`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LedgerRowView {
    /// The Kimai customer.
    pub customer_id: Option<i64>,
    /// The customer's name in Kimai (`customer <id>` if unknown there); `None` without an id.
    pub customer: Option<String>,
    /// The Kimai project.
    pub project_id: Option<i64>,
    /// The project's name in Kimai (`project <id>` if unknown there); `None` without a mapping.
    pub project: Option<String>,
    /// Zammad's exact time, milliseconds.
    pub zammad_millis: i64,
    /// Where the time went, one part per kind and reason; they add up to `zammad_millis`.
    pub parts: Vec<LedgerPartView>,
    /// Time not in Kimai until someone acts, milliseconds.
    pub missing_millis: i64,
    /// Kimai time of the project no entry stands for, milliseconds.
    pub kimai_only_millis: i64,
    /// Those timesheets.
    pub kimai_only: u32,
}

/// `dashboard` request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct DashboardQuery {
    /// `YYYY-MM`; `None` = the current month in the billing timezone.
    pub month: Option<String>,
}

/// Everything the dashboard shows.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    /// The month shown.
    pub month: String,
    /// Last and next sync, pause, errors.
    pub schedule: ScheduleView,
    /// Entries by state.
    pub counts: StateCounts,
    /// This month's hours per customer (from Kimai), for the chart.
    pub hours_by_customer: Vec<CustomerHours>,
    /// Zammad vs Kimai per customer.
    pub reconciliation: Vec<ReconciliationView>,
    /// Where every second of the month's Zammad time went.
    #[serde(default)]
    pub ledger: Vec<LedgerRowView>,
    /// The oldest month a full sync reads (`YYYY-MM`): every month from it on is booked.
    #[serde(default)]
    pub oldest_open_month: Option<String>,
    /// Why the hours and the reconciliation are missing (Kimai offline…), else `None`.
    pub totals_unavailable: Option<String>,
    /// Helpdesks whose first sync waits for the user's go-ahead.
    #[serde(default)]
    pub first_sync: Vec<FirstSyncView>,
}

/// A helpdesk whose first sync waits for the user's go-ahead, and what it would do (as the
/// last run planned it; `planned` is `false` until a run has).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct FirstSyncView {
    /// The helpdesk's key.
    pub instance: String,
    /// Its connection's name.
    pub name: String,
    /// Whether a run has planned it yet (the counts are zero until then).
    pub planned: bool,
    /// Timesheets it would create.
    pub creates: u32,
    /// Timesheets already in Kimai it would link instead of creating.
    pub adopted: u32,
    /// Of those: written by the previous sync service.
    pub adopted_previous: u32,
    /// Of those: whose description and day could be rewritten to Timebridge's.
    pub rewritable: u32,
    /// Whether the helpdesk rewrites them (its setting).
    pub rewrite_previous: bool,
    /// Entries that would wait as possible twins of hand-made bookings.
    pub possible_twins: u32,
    /// Differences between linked timesheets and Zammad, to decide.
    pub conflicts: u32,
    /// Entries parked for another reason (no mapping, …).
    pub parked: u32,
    /// Changes to timesheets already in Kimai (updates and deletes where Zammad differs).
    #[serde(default)]
    pub other_writes: u32,
}

/// `first_sync_go_ahead` request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GoAheadRequest {
    /// The helpdesk's key.
    pub instance: String,
    /// Also rewrite the previous service's timesheets (description and day) where allowed.
    pub rewrite_previous: bool,
}

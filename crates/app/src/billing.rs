//! Month-end billing from the app: the core's preview, apply, reverse and run list, mirrored
//! into DTOs (hours as exact decimal strings). The reconciliation doubles as the dashboard's
//! Zammad-vs-Kimai table.

use std::collections::BTreeSet;
use std::str::FromStr;

use timebridge_types::billing::{
    BillingApplyRequest, BillingPreviewView, BillingQuery, BillingResultView, BillingRunView,
    BlockerView, CustomerTotalsView, ProjectTotalsView, TotalsView,
};
use timebridge_types::dashboard::{
    DifferenceView, LedgerEntryView, LedgerPartView, LedgerRowView, ReconciliationView,
};
use timebridge_types::{ApiError, ErrorCode};

use super::views::{hours, key_view, name_of, rfc3339};
use super::{api_error, App};
use timebridge_core::billing::ledger::LedgerRow;
use timebridge_core::billing::{BillingRun, Blocker, Difference, Preview, Reconciliation, Totals};
use timebridge_core::ops::BillingOrder;
use timebridge_core::sync::time::Month;
use timebridge_core::RunTrigger;

fn totals(t: &Totals) -> TotalsView {
    TotalsView {
        entries: t.entries,
        hours: t.hours.normalize().to_string(),
        billable_hours: t.billable_hours.normalize().to_string(),
        amount: t.amount.map(|a| a.normalize().to_string()),
    }
}

/// The tag of an internally tagged enum (`#[serde(tag = "kind")]`). `name_of` takes an
/// object's first value, and serde_json's map is sorted by key: for `{"entry", "kind", …}`
/// that is the entry, not the kind.
fn tag_of<T: serde::Serialize>(value: &T, tag: &str) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map
            .get(tag)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => name_of(value),
    }
}

fn difference(d: &Difference) -> DifferenceView {
    let fields = match d {
        Difference::Differs { fields, .. } => fields.clone(),
        _ => Vec::new(),
    };
    let (entry, timesheet_id, explanation, delta) = match d {
        Difference::MissingInKimai {
            entry,
            timesheet_id,
            zammad_seconds,
        } => (
            entry,
            Some(*timesheet_id),
            format!(
                "{entry}: its timesheet {timesheet_id} is not in Kimai this month (deleted, or \
                 moved to another month); Zammad has {} h",
                hours(*zammad_seconds)
            ),
            *zammad_seconds,
        ),
        Difference::Differs {
            entry,
            timesheet_id,
            fields,
            zammad_seconds,
            kimai_seconds,
        } => (
            entry,
            Some(*timesheet_id),
            format!(
                "{entry}: timesheet {timesheet_id} differs from Zammad in {} (Zammad {} h, \
                 Kimai {} h)",
                fields.join(", "),
                hours(*zammad_seconds),
                hours(*kimai_seconds)
            ),
            zammad_seconds - kimai_seconds,
        ),
        Difference::AcceptedDeletion { entry } => (
            entry,
            None,
            format!("{entry}: you accepted that its timesheet is gone"),
            0,
        ),
    };
    DifferenceView {
        kind: tag_of(d, "kind"),
        entry: entry.clone(),
        timesheet_id,
        explanation,
        delta_seconds: delta,
        fields,
    }
}

/// The reconciliation rows as the dashboard and billing show them.
pub(super) fn reconciliation(r: &[Reconciliation]) -> Vec<ReconciliationView> {
    r.iter()
        .map(|c| ReconciliationView {
            customer_id: c.customer_id,
            customer: c.customer.clone(),
            zammad_hours: c.zammad_hours.normalize().to_string(),
            kimai_hours: c.kimai_linked_hours.normalize().to_string(),
            kimai_other_hours: hours(c.kimai_other_seconds),
            difference_hours: hours(c.zammad_seconds - c.kimai_linked_seconds),
            differences: c.differences.iter().map(difference).collect(),
        })
        .collect()
}

/// The ledger rows as the dashboard and billing show them.
pub(super) fn ledger(rows: &[LedgerRow]) -> Vec<LedgerRowView> {
    rows.iter()
        .map(|r| LedgerRowView {
            customer_id: r.customer_id,
            customer: r.customer.clone(),
            project_id: r.project_id,
            project: r.project.clone(),
            zammad_millis: r.zammad_millis,
            parts: r
                .parts
                .iter()
                .map(|p| LedgerPartView {
                    kind: name_of(&p.kind),
                    reason: p.reason.clone(),
                    missing: p.kind.is_missing(),
                    millis: p.millis,
                    entries: p
                        .entries
                        .iter()
                        .map(|e| LedgerEntryView {
                            key: key_view(&e.key),
                            ticket: e.ticket.clone(),
                            day: e.day.to_string(),
                            millis: e.millis,
                            timesheet_id: e.timesheet_id,
                        })
                        .collect(),
                })
                .collect(),
            missing_millis: r.missing_millis,
            kimai_only_millis: r.kimai_only_millis,
            kimai_only: r.kimai_only.len() as u32,
        })
        .collect()
}

/// A blocker with its particulars, so the UI can say it in its own language.
fn blocker(b: &Blocker) -> BlockerView {
    let (entry, timesheet_id, month, detail) = match b {
        Blocker::PendingWrite { entry, month } | Blocker::Held { entry, month } => {
            (Some(entry.clone()), None, *month, None)
        }
        Blocker::Conflict {
            entry,
            conflict,
            timesheet_id,
            month,
        } => (
            Some(entry.clone()),
            *timesheet_id,
            *month,
            Some(name_of(conflict)),
        ),
        Blocker::Parked {
            entry,
            reason,
            month,
        } => (
            Some(entry.clone()),
            None,
            *month,
            Some(tag_of(reason, "reason")),
        ),
        Blocker::RunningTimesheet { timesheet_id } => (None, Some(*timesheet_id), None, None),
        Blocker::UnknownProject {
            timesheet_id,
            project,
        } => (None, Some(*timesheet_id), None, Some(project.to_string())),
        Blocker::StaleSync { last_full_sync } => (None, None, None, Some(rfc3339(*last_full_sync))),
        Blocker::NeverSynced => (None, None, None, None),
        Blocker::AwaitingGoAhead { instance } => (None, None, None, Some(instance.clone())),
    };
    BlockerView {
        kind: tag_of(b, "kind"),
        text: b.describe(),
        entry,
        timesheet_id,
        month: month.map(|m| m.to_string()),
        detail,
    }
}

fn preview_view(p: &Preview) -> BillingPreviewView {
    BillingPreviewView {
        month: p.month.to_string(),
        customers: p.customers.clone(),
        tag: p.tag.clone(),
        by_customer: p
            .by_customer
            .iter()
            .map(|c| CustomerTotalsView {
                customer_id: c.customer_id,
                customer: c.customer.clone(),
                totals: totals(&c.totals),
                projects: c
                    .projects
                    .iter()
                    .map(|p| ProjectTotalsView {
                        project_id: p.project_id,
                        project: p.project.clone(),
                        totals: totals(&p.totals),
                    })
                    .collect(),
            })
            .collect(),
        total: totals(&p.total),
        to_bill: p.to_bill.len() as u32,
        already_billed: p.already_billed.len() as u32,
        reconciliation: reconciliation(&p.reconciliation),
        ledger: ledger(&p.ledger),
        blockers: p.blockers.iter().map(blocker).collect(),
        closes_month: p.closes_month,
    }
}

/// The query's month; `None` (the previous month in the billing timezone) when it names none.
fn month_of(q: &BillingQuery) -> Result<Option<Month>, ApiError> {
    q.month
        .as_deref()
        .map(|m| {
            Month::from_str(m).map_err(|e| {
                ApiError::new(ErrorCode::Validation, format!("{m:?} is not a month: {e}"))
            })
        })
        .transpose()
}

impl App {
    fn run_view(&self, r: &BillingRun) -> BillingRunView {
        BillingRunView {
            id: r.id,
            month: r.month.to_string(),
            customers: r.customers.clone(),
            tag: r.tag.clone(),
            state: r.state.as_str().to_string(),
            override_reason: r.override_reason.clone(),
            error: r.error.clone(),
            started_at: rfc3339(r.started_at),
            finished_at: r.finished_at.map(rfc3339),
            reversed_at: r.reversed_at.map(rfc3339),
            report_csv: r.report_csv.clone(),
            report_html: r.report_html.clone(),
        }
    }

    /// The preview of a month (reads Kimai, writes nothing).
    pub async fn billing_preview(&self, q: &BillingQuery) -> Result<BillingPreviewView, ApiError> {
        Ok(preview_view(&self.preview_of(q).await?))
    }

    pub(super) async fn preview_of(&self, q: &BillingQuery) -> Result<Preview, ApiError> {
        let customers: BTreeSet<i64> = q.customers.iter().copied().collect();
        self.workspace()
            .billing_preview(month_of(q)?, &customers, self.now())
            .await
            .map_err(api_error)
    }

    /// Bills a month: a full sync first (when asked; it must end ok), then tag and export.
    /// Blocked months need an override reason (`blocked` otherwise).
    pub async fn billing_apply(
        &self,
        req: &BillingApplyRequest,
    ) -> Result<BillingResultView, ApiError> {
        let order = BillingOrder {
            month: month_of(&req.query)?,
            customers: req.query.customers.iter().copied().collect(),
            override_reason: req.override_reason.as_deref(),
            sync_first: req.sync_first.then_some(RunTrigger::Manual),
        };
        let billed = self
            .workspace()
            .billing_apply(&order, self.now())
            .await
            .map_err(api_error)?;
        let report = billed.report;
        let run_id = report.run_id.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Validation,
                "there was nothing to bill in this month",
            )
        })?;
        Ok(BillingResultView {
            run: self.billing_run(run_id)?,
            changed: report.billed.len() as u32,
            skipped: report
                .failed
                .iter()
                .map(|f| format!("timesheet {}: {}", f.timesheet_id, f.error))
                .collect(),
        })
    }

    /// Reverses a billing run where nothing changed since.
    pub async fn billing_reverse(&self, run_id: i64) -> Result<BillingResultView, ApiError> {
        let report = self
            .workspace()
            .billing_reverse(run_id)
            .await
            .map_err(api_error)?;
        Ok(BillingResultView {
            run: self.billing_run(run_id)?,
            changed: report.reversed.len() as u32,
            skipped: report
                .refused
                .iter()
                .map(|r| format!("timesheet {}: {}", r.timesheet_id, r.message))
                .collect(),
        })
    }

    fn billing_run(&self, id: i64) -> Result<BillingRunView, ApiError> {
        let run = self.workspace().billing_run(id).map_err(api_error)?;
        Ok(self.run_view(&run))
    }

    /// Every billing run, newest first.
    pub fn billing_runs(&self) -> Result<Vec<BillingRunView>, ApiError> {
        let runs = self.workspace().billing_runs().map_err(api_error)?;
        Ok(runs.iter().map(|r| self.run_view(r)).collect())
    }
}

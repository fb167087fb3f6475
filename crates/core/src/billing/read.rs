//! Gathering the planner's input: the consultant's Kimai timesheets that begin in the month
//! (Kimai's `begin`/`end` filters are wall times in the Kimai user's timezone, which must be
//! the billing timezone), Kimai's catalog for names and customers, and the sync's local state.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveTime, Utc};
use timebridge_kimai::{
    ActivityQuery, CustomerQuery, ProjectQuery, Timesheet, TimesheetQuery, Visibility,
};

use super::ledger::LedgerInput;
use super::plan::{BillingInput, Catalog, LocalState};
use super::{Billing, BillingError, Sheet};
use crate::engine::scope::last_full_reconcile;
use crate::store::holds::HoldReason;
use crate::sync::time::Month;

/// The Kimai user's timezone must be the billing timezone.
pub(super) async fn check_timezone(b: &Billing<'_>) -> Result<(), BillingError> {
    let me = b
        .kimai
        .me()
        .await
        .map_err(|e| BillingError::kimai(e, None))?;
    if me.timezone != b.tz.name() {
        return Err(BillingError::Timezone {
            kimai: me.timezone,
            billing: b.tz.name().to_string(),
        });
    }
    Ok(())
}

/// The consultant's timesheets beginning in `month` (billing timezone), all pages.
pub(super) async fn month_timesheets(
    b: &Billing<'_>,
    month: Month,
) -> Result<Vec<Timesheet>, BillingError> {
    let query = TimesheetQuery {
        begin: Some(month.first_day().and_time(NaiveTime::MIN)),
        end: Some(
            month
                .last_day()
                .and_hms_opt(23, 59, 59)
                .unwrap_or_else(|| month.last_day().and_time(NaiveTime::MIN)),
        ),
        ..TimesheetQuery::default()
    };
    let list = b
        .kimai
        .timesheets_all(&query)
        .await
        .map_err(|e| BillingError::kimai(e, None))?;
    // Kimai filtered on its wall times; keep exactly the month's begins in the billing zone.
    Ok(list
        .into_iter()
        .filter(|t| month.contains(t.begin.with_timezone(&b.tz).date_naive()))
        .collect())
}

async fn catalog(b: &Billing<'_>) -> Result<Catalog, BillingError> {
    let k = |e| BillingError::kimai(e, None);
    let customers = b
        .kimai
        .customers(&CustomerQuery {
            visible: Some(Visibility::Both),
            ..CustomerQuery::default()
        })
        .await
        .map_err(k)?;
    let projects = b
        .kimai
        .projects(&ProjectQuery {
            visible: Some(Visibility::Both),
            ignore_dates: true,
            ..ProjectQuery::default()
        })
        .await
        .map_err(k)?;
    let activities = b
        .kimai
        .activities(&ActivityQuery {
            visible: Some(Visibility::Both),
            ..ActivityQuery::default()
        })
        .await
        .map_err(k)?;
    Ok(Catalog {
        customers: customers.into_iter().map(|c| (c.id, c.name)).collect(),
        projects: projects
            .into_iter()
            .map(|p| (p.id, (p.name, p.customer)))
            .collect(),
        activities: activities.into_iter().map(|a| (a.id, a.name)).collect(),
    })
}

/// The sync's open business.
pub(super) fn local_state(b: &Billing<'_>) -> Result<LocalState, BillingError> {
    let s = b.store;
    Ok(LocalState {
        outbox: s.pending_outbox()?,
        conflicts: s.conflicts()?.into_iter().map(|c| c.record).collect(),
        parked: s.parked()?,
        held: s
            .held()?
            .into_iter()
            .filter(|h| h.reason == HoldReason::Undo)
            .map(|h| h.key)
            .collect(),
        link_months: s.link_months()?,
        fact_months: s
            .all_facts()?
            .into_iter()
            .map(|(k, f)| (k, f.month()))
            .collect(),
        last_full_sync: last_full_reconcile(s)?,
        awaiting_go_ahead: crate::engine::first_sync::awaiting(s)?
            .into_keys()
            .collect(),
    })
}

/// The month's entry facts and what the sync knows of each.
fn ledger_input(b: &Billing<'_>, month: Month) -> Result<LedgerInput, BillingError> {
    let s = b.store;
    let facts = s.facts_in_month(month)?;
    let all = s.all_links()?;
    let linked_timesheets = all.values().filter_map(|l| l.timesheet_id).collect();
    let links = all
        .into_iter()
        .filter(|(k, _)| facts.contains_key(k))
        .collect();
    Ok(LedgerInput {
        facts,
        links,
        held: s.held()?.into_iter().map(|h| h.key).collect(),
        linked_timesheets,
    })
}

/// Everything the planner needs for `month` and `customers`, read now. Unknown customer ids
/// are refused.
pub(super) async fn input(
    b: &Billing<'_>,
    month: Month,
    customers: &BTreeSet<i64>,
    now: DateTime<Utc>,
) -> Result<BillingInput, BillingError> {
    check_timezone(b).await?;
    let catalog = catalog(b).await?;
    let unknown: Vec<i64> = customers
        .iter()
        .copied()
        .filter(|c| !catalog.customers.contains_key(c))
        .collect();
    if !unknown.is_empty() {
        return Err(BillingError::UnknownCustomers(unknown));
    }
    let sheets: Vec<Sheet> = month_timesheets(b, month)
        .await?
        .iter()
        .map(|t| Sheet::from_kimai(t, b.tz))
        .collect();
    let links: BTreeMap<_, _> = b.store.links_in_month(month)?;
    let ledger = ledger_input(b, month)?;
    Ok(BillingInput {
        month,
        customers: customers.clone(),
        sheets,
        catalog,
        links,
        local: local_state(b)?,
        ledger,
        now,
        stale_after: b.stale_after,
    })
}

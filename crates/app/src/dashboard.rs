//! The dashboard: the schedule, counts by state (from the local state, so they show offline)
//! and, from Kimai, the month's hours per customer and the Zammad-vs-Kimai reconciliation
//! (the billing preview's numbers). When Kimai cannot be read the local half still shows, with
//! the reason in `totals_unavailable`.

use timebridge_types::billing::BillingQuery;
use timebridge_types::dashboard::{CustomerHours, DashboardQuery, DashboardView, StateCounts};
use timebridge_types::entries::EntryState;
use timebridge_types::ApiError;

use super::views::hours;
use super::{api_error, App};
use timebridge_core::sync::time::Month;
use timebridge_core::RunOutcome;

impl App {
    /// Counts by state, computed from the local state only.
    pub fn state_counts(&self) -> Result<StateCounts, ApiError> {
        let mut counts = StateCounts::default();
        for (_, k) in self.entry_index.get(self.store())?.iter() {
            match k.state {
                EntryState::Synced => counts.synced += 1,
                EntryState::Pending => counts.pending += 1,
                EntryState::NeedsMapping => counts.needs_mapping += 1,
                EntryState::Conflict => counts.conflicts += 1,
                EntryState::Refused => counts.refused += 1,
                EntryState::Error => counts.errors += 1,
                EntryState::Unreadable => counts.unreadable += 1,
                EntryState::Held => {}
            }
        }
        let last = self.workspace().runs(1).map_err(api_error)?;
        if last
            .first()
            .is_some_and(|r| r.outcome == RunOutcome::Offline)
        {
            counts.offline = 1;
        }
        Ok(counts)
    }

    /// Everything the dashboard shows for `q.month` (default: this month).
    pub async fn dashboard(&self, q: &DashboardQuery) -> Result<DashboardView, ApiError> {
        let counts = self.state_counts()?;
        let dates = self
            .workspace()
            .billing_dates(self.now())
            .map_err(api_error)?;
        let tz = dates.timezone;
        let month = q.month.clone().unwrap_or_else(|| {
            let now = self.now();
            let date = match tz {
                Some(tz) => now.with_timezone(&tz).date_naive(),
                None => now.date_naive(),
            };
            Month::of(date).to_string()
        });
        let query = BillingQuery {
            month: Some(month.clone()),
            customers: Vec::new(),
        };
        let (hours_by_customer, reconciliation, ledger, unavailable) =
            match self.preview_of(&query).await {
                Ok(p) => (
                    p.by_customer
                        .iter()
                        .map(|c| CustomerHours {
                            customer_id: c.customer_id,
                            customer: c.customer.clone(),
                            hours: hours(c.totals.seconds),
                            seconds: c.totals.seconds,
                        })
                        .collect(),
                    super::billing::reconciliation(&p.reconciliation),
                    super::billing::ledger(&p.ledger),
                    None,
                ),
                Err(e) => (Vec::new(), Vec::new(), Vec::new(), Some(e.message)),
            };
        Ok(DashboardView {
            month,
            schedule: self.schedule_status(),
            counts,
            hours_by_customer,
            reconciliation,
            ledger,
            oldest_open_month: dates.oldest_open_month.map(|m| m.to_string()),
            totals_unavailable: unavailable,
            first_sync: self.first_sync_views()?,
        })
    }
}

//! Settings whose rules both front ends must apply alike. "Book time from" is a day that has
//! begun (UTC's calendar): a day still to come would mean "book nothing yet", which no user
//! means, and the oldest open month derived from it would lie in the future. The billing
//! dates (timezone, "book time from", the oldest month a full sync reads) are read here once,
//! so the desktop's settings page and `timebridge status` cannot derive them differently.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{OpError, Workspace};
use crate::sync::time::Month;

/// Refuses a "book time from" day that has not begun at `now`; nothing is stored.
pub fn check_book_from(day: NaiveDate, now: DateTime<Utc>) -> Result<(), OpError> {
    if day > now.date_naive() {
        return Err(OpError::BookFromInFuture(day));
    }
    Ok(())
}

/// The dates that decide what a full sync reads and books.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingDates {
    /// The billing timezone (months and days are counted in it); `None` until set.
    pub timezone: Option<Tz>,
    /// "Book time from"; `None` when unset (then only this and last month are booked).
    pub book_from: Option<NaiveDate>,
    /// The oldest month a full sync reads now: the first month since "book time from" that
    /// no billing run closed, or last month. `None` while no billing timezone is set.
    pub oldest_open_month: Option<Month>,
}

impl Workspace<'_> {
    /// Sets "book time from" to `day` (see [`check_book_from`]): full syncs then book every
    /// month since that no billing run has closed.
    pub fn set_book_from(&self, day: NaiveDate, now: DateTime<Utc>) -> Result<(), OpError> {
        check_book_from(day, now)?;
        self.store.set_book_from(day)?;
        Ok(())
    }

    /// Sets the billing timezone. A sync refuses to run while it differs from the Kimai
    /// user's, so a wrong one stops runs instead of booking days into the wrong month.
    pub fn set_billing_timezone(&self, tz: Tz) -> Result<(), OpError> {
        Ok(self.store.set_billing_timezone(Some(tz))?)
    }

    /// The billing dates as of `now`.
    pub fn billing_dates(&self, now: DateTime<Utc>) -> Result<BillingDates, OpError> {
        let timezone = self.store.billing_timezone()?;
        let oldest_open_month = match timezone {
            Some(tz) => Some(crate::engine::oldest_open_month(self.store, tz, now)?),
            None => None,
        };
        Ok(BillingDates {
            timezone,
            book_from: self.store.book_from()?,
            oldest_open_month,
        })
    }
}

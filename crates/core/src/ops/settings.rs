//! Settings whose rules both front ends must apply alike. "Book time from" is a day that has
//! begun (UTC's calendar): a day still to come would mean "book nothing yet", which no user
//! means, and the oldest open month derived from it would lie in the future.

use chrono::{DateTime, NaiveDate, Utc};

use super::{OpError, Workspace};

/// Refuses a "book time from" day that has not begun at `now`; nothing is stored.
pub fn check_book_from(day: NaiveDate, now: DateTime<Utc>) -> Result<(), OpError> {
    if day > now.date_naive() {
        return Err(OpError::BookFromInFuture(day));
    }
    Ok(())
}

impl Workspace<'_> {
    /// Sets "book time from" to `day` (see [`check_book_from`]): full syncs then book every
    /// month since that no billing run has closed.
    pub fn set_book_from(&self, day: NaiveDate, now: DateTime<Utc>) -> Result<(), OpError> {
        check_book_from(day, now)?;
        self.store.set_book_from(day)?;
        Ok(())
    }
}

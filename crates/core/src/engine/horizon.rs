//! The horizon: the months every full run re-reads completely, in the billing timezone — this
//! and last month, and further back every month from the user's "book time from" day that no
//! billing run has closed (so a month the app was not run in is still booked) — and where
//! exactly it begins when local midnight does not exist.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::settled;
use super::shared::Engine;
use crate::sync::time::Month;
use crate::StoreError;

/// The oldest month a full run must read: the month of `book_from`, or the first month after
/// it that no billing run closed (closed months before the first open one are done). `None`
/// without a "book time from" day.
pub(crate) fn open_from(
    book_from: Option<chrono::NaiveDate>,
    closed: &std::collections::BTreeSet<Month>,
    last_month: Month,
) -> Option<Month> {
    let mut month = Month::of(book_from?);
    while month < last_month && closed.contains(&month) {
        month = month.next();
    }
    Some(month)
}

/// The oldest month a full sync reads now: the first month since "book time from" that no
/// billing run closed, or last month (in `tz`, as of `now`).
pub fn oldest_open_month(
    store: &crate::Store,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Month, crate::StoreError> {
    let last_month = Month::of(now.with_timezone(&tz).date_naive()).previous();
    let open = open_from(store.book_from()?, &store.closed_months()?, last_month);
    Ok(open.map_or(last_month, |m| m.min(last_month)))
}

/// The first day of the horizon, local midnight: last month's, or `open_from`'s when that is
/// older (see [`open_from`]): what every full run re-reads completely. Where
/// local midnight falls into a DST gap, the day starts at its first existing minute — never
/// later: a later start would hide entries and make them look deleted.
pub(crate) fn horizon_from(
    tz: Tz,
    now: DateTime<Utc>,
    open_from: Option<Month>,
) -> (Month, DateTime<Utc>, chrono::NaiveDateTime) {
    let last_month = Month::of(now.with_timezone(&tz).date_naive()).previous();
    let month = open_from.map_or(last_month, |m| m.min(last_month));
    let local = month.first_day().and_time(NaiveTime::MIN);
    let utc = (0..=180)
        .find_map(|m| {
            tz.from_local_datetime(&(local + chrono::Duration::minutes(m)))
                .earliest()
        })
        .map_or_else(
            || Utc.from_utc_datetime(&local) - chrono::Duration::hours(14),
            |t| t.with_timezone(&Utc),
        );
    (month, utc, local)
}

/// The months of one run (see [`Engine::horizon`]).
pub(super) struct Horizon {
    /// The oldest open month and where it begins: entries from there on are planned.
    pub(super) open: Month,
    pub(super) open_since: DateTime<Utc>,
    /// The first month a full run reads completely, where it begins (UTC and wall-clock).
    pub(super) read: Month,
    pub(super) since: DateTime<Utc>,
    pub(super) from_local: chrono::NaiveDateTime,
    pub(super) last_month: Month,
    /// The settled months before this run.
    pub(super) settled: Option<settled::Settled>,
}

impl Engine<'_> {
    /// The months this run covers: every open month (from the oldest one since "book time
    /// from", or last month) is planned; a full run reads completely from `read` on — the
    /// open months minus the settled ones (`engine::settled`).
    pub(super) fn horizon(&self, now: DateTime<Utc>, fresh: bool) -> Result<Horizon, StoreError> {
        // The same month `timebridge status` shows as the oldest open one.
        let open = oldest_open_month(self.store, self.tz, now)?;
        let last_month = Month::of(now.with_timezone(&self.tz).date_naive()).previous();
        let settled = settled::load(self.store)?;
        // A helpdesk's first sync reads every open month: nothing of it is settled yet.
        let read = if fresh {
            open
        } else {
            settled::read_from(open, last_month, settled.as_ref(), now)
        };
        let (open, open_since, _) = horizon_from(self.tz, now, Some(open));
        let (read, since, from_local) = horizon_from(self.tz, now, Some(read));
        Ok(Horizon {
            open,
            open_since,
            read,
            since,
            from_local,
            last_month,
            settled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_horizon_starts_at_local_midnight_of_last_month() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let (month, since, _) = horizon_from(chrono_tz::Europe::Berlin, now, None);
        assert_eq!(month.to_string(), "2026-10");
        assert_eq!(since, Utc.with_ymd_and_hms(2026, 9, 30, 22, 0, 0).unwrap());
    }

    #[test]
    fn a_midnight_in_a_dst_gap_starts_the_horizon_at_the_first_existing_minute() {
        // Paraguay moved its clocks from 00:00 to 01:00 on 2023-10-01.
        let now = Utc.with_ymd_and_hms(2023, 11, 15, 12, 0, 0).unwrap();
        let (month, since, _) = horizon_from(chrono_tz::America::Asuncion, now, None);
        assert_eq!(month.to_string(), "2023-10");
        assert_eq!(
            since,
            Utc.with_ymd_and_hms(2023, 10, 1, 4, 0, 0).unwrap(),
            "01:00 -03"
        );
        assert!(
            since < now - chrono::Duration::days(30),
            "never the run's own time"
        );
    }
}

#[cfg(test)]
mod open_from_tests {
    use std::collections::BTreeSet;
    use std::str::FromStr;

    use super::*;

    fn m(s: &str) -> Month {
        Month::from_str(s).unwrap()
    }

    #[test]
    fn the_horizon_reaches_back_to_the_oldest_open_month_since_book_from() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 7, 15);
        let last = m("2026-10");
        let none = BTreeSet::new();
        assert_eq!(open_from(None, &none, last), None, "no setting: last month");
        assert_eq!(open_from(day, &none, last), Some(m("2026-07")));
        let closed: BTreeSet<Month> = ["2026-07", "2026-08"].map(m).into();
        assert_eq!(open_from(day, &closed, last), Some(m("2026-09")));
        let all: BTreeSet<Month> = ["2026-07", "2026-08", "2026-09", "2026-10"].map(m).into();
        assert_eq!(
            open_from(day, &all, last),
            Some(last),
            "never past last month"
        );

        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(horizon_from(tz, now, Some(m("2026-07"))).0, m("2026-07"));
        assert_eq!(
            horizon_from(tz, now, Some(m("2026-11"))).0,
            m("2026-10"),
            "a book-from day this month still reads last month"
        );
    }
}

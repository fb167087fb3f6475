//! The horizon: the months every full run re-reads completely (this and last month, in the
//! billing timezone), and where exactly it begins when local midnight does not exist.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::sync::time::Month;

/// The first day of last month, local midnight: what every run re-reads completely. Where
/// local midnight falls into a DST gap, the day starts at its first existing minute — never
/// later: a later start would hide entries and make them look deleted.
pub(crate) fn horizon(tz: Tz, now: DateTime<Utc>) -> (Month, DateTime<Utc>, chrono::NaiveDateTime) {
    let month = Month::of(now.with_timezone(&tz).date_naive()).previous();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_horizon_starts_at_local_midnight_of_last_month() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let (month, since, _) = horizon(chrono_tz::Europe::Berlin, now);
        assert_eq!(month.to_string(), "2026-10");
        assert_eq!(since, Utc.with_ymd_and_hms(2026, 9, 30, 22, 0, 0).unwrap());
    }

    #[test]
    fn a_midnight_in_a_dst_gap_starts_the_horizon_at_the_first_existing_minute() {
        // Paraguay moved its clocks from 00:00 to 01:00 on 2023-10-01.
        let now = Utc.with_ymd_and_hms(2023, 11, 15, 12, 0, 0).unwrap();
        let (month, since, _) = horizon(chrono_tz::America::Asuncion, now);
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

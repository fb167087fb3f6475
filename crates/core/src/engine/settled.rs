//! Settled months: what keeps a full run's cost bounded when many months are open.
//!
//! Zammad stamps an entry's `created_at` when it is booked, so once a month has ended no entry
//! can be added to it; it can only change by edits and deletions, and those move their
//! ticket's `updated_at`, which every run's ticket search finds. A month that a complete full
//! run read *after it ended* is therefore **settled**: later full runs no longer list it (nor
//! re-read its links' tickets one by one); entries of it on tickets that changed are still read
//! and planned, by full and incremental runs alike. What only a complete read sees — a whole
//! ticket deleted, a change of an entry's type alone (it leaves the ticket's `updated_at`), a
//! timesheet deleted in Kimai — waits for the next **deep** full run, which reads every open
//! month again at least every [`DEEP_EVERY`]. This and last month are read by every full run.

use chrono::{DateTime, Duration, Utc};

use crate::sync::time::Month;
use crate::{Store, StoreError};

/// A deep full run (every open month read completely) happens at least this often.
pub const DEEP_EVERY: Duration = Duration::days(7);

const CURSOR: &str = "settled_months";

/// The settled months `from..=through`, and when the deep run that settled `from` ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Settled {
    /// The first settled month.
    pub(crate) from: Month,
    /// The last settled month.
    pub(crate) through: Month,
    /// When the deep run that read `from` onwards ran.
    pub(crate) deep_at: DateTime<Utc>,
}

impl Settled {
    fn encode(&self) -> String {
        format!(
            "{}..{}@{}",
            self.from,
            self.through,
            self.deep_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        )
    }

    fn decode(text: &str) -> Option<Self> {
        let (months, at) = text.split_once('@')?;
        let (from, through) = months.split_once("..")?;
        Some(Self {
            from: from.parse().ok()?,
            through: through.parse().ok()?,
            deep_at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        })
    }
}

/// The settled months as stored (`None`: none yet, or an unreadable value).
pub(crate) fn load(store: &Store) -> Result<Option<Settled>, StoreError> {
    Ok(store.cursor(CURSOR)?.as_deref().and_then(Settled::decode))
}

/// The first month a full run reads completely: the oldest open month, or the month after
/// the settled ones when they cover it and the last deep run is recent. Never later than last
/// month.
pub(crate) fn read_from(
    open: Month,
    last_month: Month,
    settled: Option<&Settled>,
    now: DateTime<Utc>,
) -> Month {
    let Some(s) = settled else {
        return open;
    };
    let deep_due = now - s.deep_at >= DEEP_EVERY;
    if deep_due || open < s.from || open > s.through {
        return open;
    }
    s.through.next().min(last_month).max(open)
}

/// After a complete full run that read from `read` on (and every month before `last_month`
/// ended before it began): the settled months now reach `last_month`. A deep run (`read` is
/// the oldest open month `open`) starts a new settled range and its clock.
pub(crate) fn record(
    store: &Store,
    open: Month,
    read: Month,
    last_month: Month,
    previous: Option<&Settled>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let settled = match previous {
        Some(p) if read > open => Settled {
            from: p.from,
            through: last_month,
            deep_at: p.deep_at,
        },
        _ => Settled {
            from: open,
            through: last_month,
            deep_at: now,
        },
    };
    store.write(|w| w.set_cursor(CURSOR, &settled.encode()))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use chrono::TimeZone;

    use super::*;

    fn m(s: &str) -> Month {
        Month::from_str(s).unwrap()
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
    }

    #[test]
    fn settled_months_are_skipped_until_a_deep_run_is_due() {
        let open = m("2024-12");
        let last = m("2026-10");
        assert_eq!(
            read_from(open, last, None, at(20)),
            open,
            "nothing settled yet"
        );
        let s = Settled {
            from: open,
            through: last,
            deep_at: at(10),
        };
        assert_eq!(
            read_from(open, last, Some(&s), at(12)),
            last,
            "all settled but last month"
        );
        assert_eq!(
            read_from(open, last, Some(&s), at(17)),
            open,
            "deep run due after 7 days"
        );
        // Book-from moved back before the settled range: those months were never read.
        assert_eq!(
            read_from(m("2024-06"), last, Some(&s), at(12)),
            m("2024-06")
        );
        // Billing closed months: the open range starts later, still settled.
        assert_eq!(read_from(m("2025-06"), last, Some(&s), at(12)), last);
        // A new month began: last month is read; the one before stays settled.
        let s_old = Settled {
            through: m("2026-09"),
            ..s
        };
        assert_eq!(read_from(open, last, Some(&s_old), at(12)), last);
        let s_older = Settled {
            through: m("2026-07"),
            ..s
        };
        assert_eq!(read_from(open, last, Some(&s_older), at(12)), m("2026-08"));
    }

    #[test]
    fn the_stored_range_round_trips() {
        let s = Settled {
            from: m("2025-01"),
            through: m("2026-10"),
            deep_at: at(3),
        };
        assert_eq!(Settled::decode(&s.encode()), Some(s));
        assert_eq!(Settled::decode("garbage"), None);
    }
}

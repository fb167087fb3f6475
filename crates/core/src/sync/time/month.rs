//! Calendar months, the unit of billing. A month is cut by the *local* date in the billing
//! timezone (see the placement rules), never by the UTC date.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month. Ordered chronologically; serialised as the string `"YYYY-MM"`.
///
/// Any month of chrono's date range can be represented; `"YYYY-MM"` parsing accepts
/// four-digit years only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

/// Why a month could not be built or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    /// The text is not `YYYY-MM` (four-digit year, two-digit month).
    #[error("invalid month {0:?}: expected YYYY-MM, e.g. 2026-03")]
    Format(String),
    /// Month number outside 1–12, or a year outside the supported calendar.
    #[error("invalid month {year}-{month}: month must be 1-12 within the supported years")]
    OutOfRange {
        /// The year given.
        year: i32,
        /// The month number given.
        month: u32,
    },
}

impl Month {
    /// The month `month` (1–12) of `year`.
    ///
    /// # Errors
    /// [`MonthError::OutOfRange`] for a month outside 1–12 or a year chrono cannot represent.
    pub fn new(year: i32, month: u32) -> Result<Self, MonthError> {
        match NaiveDate::from_ymd_opt(year, month, 1) {
            Some(_) if (1..=12).contains(&month) => Ok(Self { year, month }),
            _ => Err(MonthError::OutOfRange { year, month }),
        }
    }

    /// The month containing `date`.
    #[must_use]
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1–12.
    #[must_use]
    pub const fn month(self) -> u32 {
        self.month
    }

    /// The first day of the month.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        // Exists: every `Month` is built from a valid date or checked in `new`.
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the month (28–31).
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        let first = self.first_day();
        (28..=31)
            .rev()
            .find_map(|day| first.with_day(day))
            .unwrap_or(first)
    }

    /// The month before; the first representable month is its own predecessor.
    #[must_use]
    pub fn previous(self) -> Self {
        self.first_day().pred_opt().map_or(self, Self::of)
    }

    /// The month after; the last representable month is its own successor.
    #[must_use]
    pub fn next(self) -> Self {
        self.last_day().succ_opt().map_or(self, Self::of)
    }

    /// Whether `date` falls in this month.
    #[must_use]
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::of(date) == self
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let format = || MonthError::Format(s.to_owned());
        let bytes = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        if bytes.len() != 7 || bytes[4] != b'-' || !digits(0..4) || !digits(5..7) {
            return Err(format());
        }
        let year = s[0..4].parse().map_err(|_| format())?;
        let month = s[5..7].parse().map_err(|_| format())?;
        Self::new(year, month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

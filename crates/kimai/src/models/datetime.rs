//! Kimai's date formats: it sends `Y-m-d\TH:i:sO` (`+0100`, no colon — RFC 3339 parsers reject
//! it) and accepts naive wall times in the user's timezone.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};

const KIMAI: &str = "%Y-%m-%dT%H:%M:%S%z";

/// Parses a Kimai datetime (`%z` also accepts `+01:00`).
pub(crate) fn parse(s: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
    DateTime::parse_from_str(s, KIMAI)
}

/// Formats a wall time the way Kimai's API form and filters expect it.
pub(crate) fn format_local(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Serde: a required Kimai datetime.
pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let s = String::deserialize(d)?;
    parse(&s).map_err(|e| serde::de::Error::custom(format!("{e} in {s:?}")))
}

/// Serde: a nullable Kimai datetime.
pub(crate) fn optional<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse(&s)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("{e} in {s:?}"))),
    }
}

/// Serde: a nullable day, `Y-m-d` or a full datetime (only the date part is kept).
pub(crate) fn optional_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => s
            .get(..10)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {s:?}"))),
    }
}

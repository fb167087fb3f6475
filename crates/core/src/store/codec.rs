//! How Rust values become column values and back, in one place, so every table stores JSON,
//! times, keys and enum names the same way and a bad stored value surfaces as a typed
//! conversion error (never a panic, never a silent default).

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSqlError, Type};
use rusqlite::Row;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::sync::plan::SourceKey;
use crate::sync::time::Month;

/// The SQL expression for "now" in the store's time format (UTC, milliseconds, `Z`).
macro_rules! now_sql {
    () => {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    };
}
pub(super) use now_sql;

/// A value as JSON text for a `*_json` column.
pub(super) fn to_json<T: Serialize + ?Sized>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// An optional value as JSON text, `None` as SQL NULL.
pub(super) fn to_json_opt<T: Serialize>(value: Option<&T>) -> rusqlite::Result<Option<String>> {
    value.map(to_json).transpose()
}

/// Reads a `*_json` column.
pub(super) fn json<T: DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads a nullable `*_json` column.
pub(super) fn json_opt<T: DeserializeOwned>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
    })
    .transpose()
}

/// Reads a time written by [`now_sql!`].
pub(super) fn time(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    parse_time(&text, idx)
}

/// Reads a nullable time.
pub(super) fn time_opt(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| parse_time(&t, idx)).transpose()
}

fn parse_time(text: &str, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads a month stored as `YYYY-MM`.
pub(super) fn month(row: &Row<'_>, idx: usize) -> rusqlite::Result<Month> {
    let text: String = row.get(idx)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads a nullable month stored as `YYYY-MM`.
pub(super) fn month_opt(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Month>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        t.parse()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
    })
    .transpose()
}

/// Reads `(instance, time_accounting_id)` from two adjacent columns starting at `idx`.
pub(super) fn source_key(row: &Row<'_>, idx: usize) -> rusqlite::Result<SourceKey> {
    Ok(SourceKey {
        instance: row.get(idx)?,
        time_accounting_id: row.get(idx + 1)?,
    })
}

/// The error for a text column holding a name no variant has.
pub(super) fn unknown_name(found: &str) -> FromSqlError {
    FromSqlError::Other(format!("unknown stored name {found:?}").into())
}

/// Declares how a fieldless enum is stored: one fixed snake_case name per variant, written and
/// read through `ToSql`/`FromSql`, so the names in SQL `CHECK`s and in Rust cannot drift apart
/// unnoticed (a stored unknown name is a conversion error).
macro_rules! stored_names {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// The name stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }

        impl rusqlite::types::ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $ty {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                match value.as_str()? {
                    $($name => Ok(Self::$variant),)+
                    other => Err($crate::store::codec::unknown_name(other)),
                }
            }
        }
    };
}
pub(super) use stored_names;

/// The serde name of a planner enum stored as plain text (e.g. `both_changed`), so the store
/// and the JSON the UI sees use one spelling.
pub(super) fn serde_name<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Ok(name),
        Ok(other) => Err(rusqlite::Error::ToSqlConversionFailure(
            format!("{other} is not stored as a name").into(),
        )),
        Err(e) => Err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))),
    }
}

/// Reads a text column written by [`serde_name`].
pub(super) fn from_serde_name<T: DeserializeOwned>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let name: String = row.get(idx)?;
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

//! Time accounting entries (`Ticket::TimeAccounting`) and their activity types. An entry has
//! no start, end, date or comment: only `created_at` and a unitless `time_unit` (docs/api-notes.md §1, §8).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One time accounting entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TimeAccounting {
    /// The entry id (a PostgreSQL sequence: never reused).
    pub id: i64,
    /// The ticket it belongs to.
    pub ticket_id: i64,
    /// The article it was booked with, if any.
    #[serde(default)]
    pub ticket_article_id: Option<i64>,
    /// The amount: unitless, may be zero or negative (corrections).
    #[serde(deserialize_with = "crate::models::decimal::required")]
    pub time_unit: Decimal,
    /// The activity type, if any.
    #[serde(default)]
    pub type_id: Option<i64>,
    /// Who booked it (always the caller at creation time).
    pub created_by_id: i64,
    /// When it was booked (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
}

/// The body of a create request (`ticket_id` comes from the path).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewTimeAccounting {
    /// The amount, sent as a decimal string.
    pub time_unit: Decimal,
    /// The activity type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_id: Option<i64>,
    /// The article to attach it to (must belong to the same ticket, once per article).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_article_id: Option<i64>,
}

/// An activity type (`GET /api/v1/time_accounting/types`, admin only).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TimeAccountingType {
    /// The type id (`type_id` of entries).
    pub id: i64,
    /// The name, unique case-insensitively.
    pub name: String,
    /// Free-text note.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether it can still be chosen.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

//! Tickets and organizations: the context a time entry is booked against.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

/// A ticket (plain attributes of `GET /api/v1/tickets/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Ticket {
    /// The ticket id (used in API paths).
    pub id: i64,
    /// The ticket number shown to humans, e.g. `"31001"`. A string in Zammad.
    pub number: String,
    /// The title.
    #[serde(default)]
    pub title: String,
    /// The group.
    pub group_id: i64,
    /// The customer's organization, if any.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// The organization's name, when the answer was expanded (`expand=true`).
    #[serde(default, deserialize_with = "crate::models::ticket::name_or_none")]
    pub organization: Option<String>,
    /// The customer.
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// The owner (agent).
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// The state.
    #[serde(default)]
    pub state_id: Option<i64>,
    /// Sum of all time accountings; `null` before the first entry. Display unit: see config.
    #[serde(default, deserialize_with = "crate::models::decimal::optional")]
    pub time_unit: Option<Decimal>,
    /// Creation time (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC). Bumped by a time entry only if the ticket total changed.
    pub updated_at: DateTime<Utc>,
}

/// An organization (`GET /api/v1/organizations/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Organization {
    /// The organization id.
    pub id: i64,
    /// The name.
    pub name: String,
    /// Whether it is active.
    #[serde(default = "yes")]
    pub active: bool,
    /// Free-text note.
    #[serde(default)]
    pub note: Option<String>,
    /// Last change (UTC), when sent.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

fn yes() -> bool {
    true
}

/// An expanded name: a string, or nothing for `null` or any other shape (an unexpected shape
/// only costs a lookup, never a failed read).
pub(crate) fn name_or_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(value.as_str().map(str::to_string))
}

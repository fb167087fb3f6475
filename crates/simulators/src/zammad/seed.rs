//! The seed: a whole Zammad instance as JSON, so tests and the demo describe a world in data
//! rather than code. Ids are given explicitly; users' permissions are Zammad permission names
//! (`ticket.agent`, `admin.time_accounting`, `admin.user`, or a parent such as `admin`).
//!
//! ```json
//! {"settings": {"time_accounting": true, "unit": "minute", "unit_custom": "", "types": true},
//!  "groups": [{"id": 1, "name": "Support"}],
//!  "organizations": [{"id": 1, "name": "Acme GmbH"}],
//!  "users": [{"id": 2, "login": "consultant", "token": "t0k",
//!             "permissions": ["ticket.agent"], "token_permissions": ["ticket.agent"],
//!             "group_access": {"1": ["full"]}}],
//!  "types": [{"id": 1, "name": "Remote"}],
//!  "tickets": [{"id": 1, "number": "31001", "title": "Printer", "group_id": 1,
//!               "organization_id": 1, "customer_id": 9, "created_at": "2026-01-05T09:00:00Z"}],
//!  "time_accountings": [{"id": 1, "ticket_id": 1, "time_unit": "15.0", "type_id": 1,
//!                        "created_by_id": 2, "created_at": "2026-01-05T10:00:00Z"}]}
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A whole simulated Zammad instance.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ZammadSeed {
    /// System settings.
    #[serde(default)]
    pub settings: SeedSettings,
    /// Users (agents, admins, customers).
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// Organizations.
    #[serde(default)]
    pub organizations: Vec<SeedOrganization>,
    /// Tickets.
    #[serde(default)]
    pub tickets: Vec<SeedTicket>,
    /// Time accounting activity types.
    #[serde(default)]
    pub types: Vec<SeedType>,
    /// Existing time accountings (the ticket totals are computed from them).
    #[serde(default)]
    pub time_accountings: Vec<SeedTimeAccounting>,
}

/// System settings that matter for time accounting.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedSettings {
    /// Setting `time_accounting` (default on in the simulator; off in a fresh Zammad).
    #[serde(default = "yes")]
    pub time_accounting: bool,
    /// Setting `time_accounting_unit`: `""`, `hour`, `quarter`, `minute` or `custom`.
    #[serde(default)]
    pub unit: String,
    /// Setting `time_accounting_unit_custom`.
    #[serde(default)]
    pub unit_custom: String,
    /// Setting `time_accounting_types`.
    #[serde(default)]
    pub types: bool,
    /// Simulate a configured Elasticsearch: `query` understands field syntax. Off by default:
    /// then `query` is a plain substring match (docs/api-notes.md §26).
    #[serde(default)]
    pub elasticsearch: bool,
}

impl Default for SeedSettings {
    fn default() -> Self {
        Self {
            time_accounting: true,
            unit: String::new(),
            unit_custom: String::new(),
            types: false,
            elasticsearch: false,
        }
    }
}

fn yes() -> bool {
    true
}

/// A user and their personal access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedUser {
    /// The user id.
    pub id: i64,
    /// The login.
    pub login: String,
    /// First name.
    #[serde(default)]
    pub firstname: String,
    /// Last name.
    #[serde(default)]
    pub lastname: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Inactive users get 401.
    #[serde(default = "yes")]
    pub active: bool,
    /// The user's permissions, e.g. `["ticket.agent", "admin.time_accounting", "admin.user"]`.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// The personal access token, if any.
    #[serde(default)]
    pub token: Option<String>,
    /// The permissions stored on the token (`None`: all of the user's permissions).
    #[serde(default)]
    pub token_permissions: Option<Vec<String>>,
    /// Group access: group id (as text) → `["full"]`, `["read"]`, `["change"]`…
    #[serde(default)]
    pub group_access: BTreeMap<String, Vec<String>>,
    /// The user's organization.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// Role ids (informational).
    #[serde(default)]
    pub role_ids: Vec<i64>,
}

/// A group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedGroup {
    /// The group id.
    pub id: i64,
    /// The name.
    pub name: String,
}

/// An organization.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedOrganization {
    /// The organization id.
    pub id: i64,
    /// The name.
    pub name: String,
}

/// A ticket.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedTicket {
    /// The ticket id.
    pub id: i64,
    /// The number (default: `31000 + id`).
    #[serde(default)]
    pub number: Option<String>,
    /// The title.
    pub title: String,
    /// The group.
    pub group_id: i64,
    /// The organization.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// The customer user id.
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// The owner user id.
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change (default: the latest of `created_at` and its entries' `created_at`).
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An activity type.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedType {
    /// The type id.
    pub id: i64,
    /// The name.
    pub name: String,
    /// Whether it can be chosen.
    #[serde(default = "yes")]
    pub active: bool,
}

/// An existing time accounting.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedTimeAccounting {
    /// The entry id.
    pub id: i64,
    /// The ticket.
    pub ticket_id: i64,
    /// The amount.
    pub time_unit: Decimal,
    /// The activity type.
    #[serde(default)]
    pub type_id: Option<i64>,
    /// Who booked it.
    pub created_by_id: i64,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let doc: String = include_str!("seed.rs")
            .lines()
            .skip_while(|l| !l.starts_with("//! ```json"))
            .skip(1)
            .take_while(|l| !l.starts_with("//! ```"))
            .map(|l| l.trim_start_matches("//!"))
            .collect();
        let seed: ZammadSeed = serde_json::from_str(&doc).unwrap();
        assert_eq!(
            seed.users[0].token_permissions,
            Some(vec!["ticket.agent".into()])
        );
        assert_eq!(seed.time_accountings[0].time_unit, Decimal::new(150, 1));
        assert!(seed.settings.time_accounting && !seed.settings.elasticsearch);
    }
}

//! The simulator's data: the seed JSON shape (what a test or the demo loads) and the stored
//! records. Kept separate from the HTTP layer so tests can build seeds without a server.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A Kimai role; Kimai's permission table for the default roles hangs off it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Role {
    /// `ROLE_USER`: own timesheets only, no rates, no export.
    #[default]
    #[serde(rename = "ROLE_USER")]
    User,
    /// `ROLE_TEAMLEAD`: other users' timesheets, rates visible, export.
    #[serde(rename = "ROLE_TEAMLEAD")]
    Teamlead,
    /// `ROLE_ADMIN`: also edits rates, exported records and locked periods.
    #[serde(rename = "ROLE_ADMIN")]
    Admin,
    /// `ROLE_SUPER_ADMIN`: like admin.
    #[serde(rename = "ROLE_SUPER_ADMIN")]
    SuperAdmin,
}

impl Role {
    /// The role name as Kimai spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "ROLE_USER",
            Self::Teamlead => "ROLE_TEAMLEAD",
            Self::Admin => "ROLE_ADMIN",
            Self::SuperAdmin => "ROLE_SUPER_ADMIN",
        }
    }
    fn at_least_teamlead(self) -> bool {
        !matches!(self, Self::User)
    }
    fn at_least_admin(self) -> bool {
        matches!(self, Self::Admin | Self::SuperAdmin)
    }
    /// `view_other_timesheet` / `create_other_timesheet`.
    pub fn other_timesheets(self) -> bool {
        self.at_least_teamlead()
    }
    /// `view_rate_own/other_timesheet`.
    pub fn view_rate(self) -> bool {
        self.at_least_teamlead()
    }
    /// `edit_rate_*`.
    pub fn edit_rate(self) -> bool {
        self.at_least_admin()
    }
    /// `edit_export_*`.
    pub fn edit_export(self) -> bool {
        self.at_least_teamlead()
    }
    /// `edit_exported_timesheet`.
    pub fn edit_exported(self) -> bool {
        self.at_least_admin()
    }
    /// `edit_billable_*`.
    pub fn edit_billable(self) -> bool {
        self.at_least_teamlead()
    }
    /// `lockdown_override_timesheet`.
    pub fn lockdown_override(self) -> bool {
        self.at_least_admin()
    }
}

/// A user and their API token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedUser {
    /// Id.
    pub id: u64,
    /// Login name.
    pub username: String,
    /// The Bearer API token.
    pub token: String,
    /// Role.
    #[serde(default)]
    pub role: Role,
    /// IANA timezone, e.g. `Europe/Berlin`; wall times are read and written in it.
    #[serde(default = "default_tz")]
    pub timezone: String,
}

fn default_tz() -> String {
    "Europe/Berlin".to_string()
}
fn yes() -> bool {
    true
}

/// A customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedCustomer {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Visible (default true).
    #[serde(default = "yes")]
    pub visible: bool,
}

/// A project; `start`/`end` bound when it is listed and bookable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedProject {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Customer id.
    pub customer: u64,
    /// First day (inclusive), if any.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// Last day (inclusive), if any.
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Whether global activities may be booked on it (default true).
    #[serde(default = "yes")]
    pub global_activities: bool,
    /// Visible (default true).
    #[serde(default = "yes")]
    pub visible: bool,
    /// Hourly rate used to compute `rate`.
    #[serde(default)]
    pub hourly_rate: Option<Decimal>,
}

/// An activity: global (`project: null`) or bound to one project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedActivity {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Owning project, `None` for a global activity.
    #[serde(default)]
    pub project: Option<u64>,
    /// Visible (default true).
    #[serde(default = "yes")]
    pub visible: bool,
}

/// A tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimTag {
    /// Id.
    pub id: u64,
    /// Name (2–100 chars, no comma).
    pub name: String,
}

/// A stored timesheet, as the simulator keeps it (times in UTC, plus the record's timezone).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimTimesheet {
    /// Id from the sequence.
    pub id: u64,
    /// Owner.
    pub user: u64,
    /// Project id.
    pub project: u64,
    /// Activity id.
    pub activity: u64,
    /// Begin instant.
    pub begin: DateTime<Utc>,
    /// End instant; `None` while running.
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// The owner's timezone at save time; offsets in output follow it. Empty = owner's now.
    #[serde(default)]
    pub timezone: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Tag names.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Exported flag.
    #[serde(default)]
    pub exported: bool,
    /// Billable flag (default true).
    #[serde(default = "yes")]
    pub billable: bool,
    /// Fixed rate, if set.
    #[serde(default)]
    pub fixed_rate: Option<Decimal>,
    /// Hourly rate, if set on the record.
    #[serde(default)]
    pub hourly_rate: Option<Decimal>,
    /// Meta field values by name.
    #[serde(default)]
    pub meta: std::collections::BTreeMap<String, String>,
    /// Last modification (never exposed; drives `modified_after`). Defaults to the seed time.
    #[serde(default)]
    pub modified_at: Option<DateTime<Utc>>,
}

impl SimTimesheet {
    /// Seconds between begin and end (no breaks in the simulator), `None` while running.
    pub fn duration(&self) -> Option<i64> {
        self.end.map(|e| (e - self.begin).num_seconds())
    }
}

/// Everything a simulator starts with. JSON shape:
/// `{"users":[{"id":1,"username":"u","token":"t","role":"ROLE_USER","timezone":"Europe/Berlin"}],
///   "customers":[{"id":1,"name":"Acme"}],
///   "projects":[{"id":1,"name":"P","customer":1,"start":"2026-01-01","end":null}],
///   "activities":[{"id":1,"name":"Support","project":null}],
///   "tags":["zammad"], "meta_fields":["zammad_id"],
///   "timesheets":[{"id":1,"user":1,"project":1,"activity":1,"begin":"2026-03-02T08:00:00Z",
///                  "end":"2026-03-02T09:00:00Z","description":"…","tags":["zammad"]}]}`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KimaiSeed {
    /// Users with tokens.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Customers.
    #[serde(default)]
    pub customers: Vec<SeedCustomer>,
    /// Projects.
    #[serde(default)]
    pub projects: Vec<SeedProject>,
    /// Activities.
    #[serde(default)]
    pub activities: Vec<SeedActivity>,
    /// Tag names.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Registered (visible) timesheet meta field names; others are 404 on `PATCH /meta`.
    #[serde(default)]
    pub meta_fields: Vec<String>,
    /// Timesheets.
    #[serde(default)]
    pub timesheets: Vec<SimTimesheet>,
}

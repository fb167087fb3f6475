//! Server and account information: version, the current user (whose timezone every wall time
//! is in) and the timesheet configuration.

use serde::Deserialize;

/// `GET /api/version`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    /// E.g. `2.66.0`.
    pub version: String,
    /// E.g. `26600`.
    pub version_id: u64,
    /// Copyright line.
    #[serde(default)]
    pub copyright: Option<String>,
}

/// `GET /api/users/me`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display alias.
    #[serde(default)]
    pub alias: Option<String>,
    /// IANA timezone; Kimai reads and writes wall times in it.
    pub timezone: String,
    /// UI language.
    #[serde(default)]
    pub language: Option<String>,
    /// Whether the account is enabled.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Roles, e.g. `ROLE_USER`.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// `GET /api/config/timesheet` (no rounding, no lockdown: Kimai does not expose them).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimesheetConfig {
    /// `default`, `punch`, `duration_fixed_begin`…
    pub tracking_mode: String,
    /// E.g. `now` or `08:00`.
    #[serde(default)]
    pub default_begin_time: Option<String>,
    /// How many running timers a user may have.
    pub active_entries_hard_limit: u32,
    /// Whether times in the future are allowed.
    pub is_allow_future_times: bool,
    /// Whether overlapping records are allowed.
    pub is_allow_overlapping: bool,
}

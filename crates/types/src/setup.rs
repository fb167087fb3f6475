//! The first-run wizard and the connections screen: forms the user fills in, the check's
//! specific diagnosis (the core's `CheckProblem` codes), the Kimai catalog and mapping
//! suggestions the user confirms (never applied on their own).
//!
//! Tokens travel only UI → shell, inside a form; no answer ever carries one back.

use serde::{Deserialize, Serialize};

use crate::common::Named;

/// What a Zammad `time_unit` means in one helpdesk (Zammad never converts).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeUnitDto {
    /// One unit is a minute.
    Minutes,
    /// One unit is an hour.
    Hours,
    /// One unit is 15 minutes.
    QuarterHours,
    /// One unit is this many minutes (a decimal string, e.g. `"7.5"`).
    Custom {
        /// Minutes per unit, positive.
        minutes_per_unit: String,
    },
}

/// The Kimai form.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KimaiForm {
    /// A name for people (`Kimai`).
    pub name: String,
    /// The address opened in the browser (`https://kimai.example.com`).
    pub url: String,
    /// The API token; goes to the keychain, never to the database or back to the UI.
    pub token: String,
    /// Allow plain http to another machine (off by default).
    #[serde(default)]
    pub allow_insecure_http: bool,
}

/// `confirm_unit`: what one unit of a helpdesk means, after its unit setting changed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmUnitRequest {
    /// The instance key.
    pub instance: String,
    /// What one unit means from now on.
    pub unit: TimeUnitDto,
}

/// One Zammad form.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ZammadForm {
    /// A name for people (`Acme helpdesk`).
    pub name: String,
    /// The short key in every marker (`acme`): lowercase letters and digits, at most 12;
    /// fixed once used.
    pub key: String,
    /// The helpdesk's address.
    pub url: String,
    /// The API token.
    pub token: String,
    /// What `time_unit` means there.
    pub time_unit: TimeUnitDto,
    /// Allow plain http to another machine.
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// The user confirmed a unit other than the one the helpdesk's own setting names.
    #[serde(default)]
    pub unit_differs_from_zammad: bool,
}

/// Why a check failed, specifically enough to act on.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CheckProblemView {
    /// `invalid_url`, `dns`, `refused`, `tls`, `timeout`, `unreachable`, `auth_failed`,
    /// `forbidden`, `not_kimai`, `not_zammad`, `rate_limited`, `server_error`,
    /// `unexpected_response` (the core's `CheckProblem::code`). The UI branches on it.
    pub code: String,
    /// What is wrong and what to do, for people.
    pub message: String,
    /// For `forbidden`: the missing permission, when known.
    pub permission: Option<String>,
    /// Whether trying again later may work without changing anything.
    pub transient: bool,
}

/// The outcome of "Test connection".
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CheckView {
    /// Whether the connection works for the sync.
    pub ok: bool,
    /// Why not, when not.
    pub problem: Option<CheckProblemView>,
    /// What was found, in one line (`Kimai 2.66 as anna, timezone Europe/Berlin`).
    pub summary: Option<String>,
    /// The Kimai user's timezone (suggested as the billing timezone).
    pub timezone: Option<String>,
    /// Warnings that do not stop the sync (Zammad: not admin, groups read-only…).
    pub warnings: Vec<String>,
    /// Zammad: the unit the helpdesk's time accounting setting names (minute, quarter,
    /// hour), when it names one; the form starts with it.
    #[serde(default)]
    pub time_unit: Option<TimeUnitDto>,
    /// Zammad: the time accounting unit setting as the helpdesk has it (`minute`, `unset`,
    /// `custom:Stunden`…); with no `time_unit`, only the user knows what one unit is.
    #[serde(default)]
    pub unit_setting: Option<String>,
}

/// Which server a connection talks to.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKindDto {
    /// The one Kimai.
    Kimai,
    /// A Zammad helpdesk.
    Zammad,
}

/// A stored connection (never its token).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// Its id (for remove / test).
    pub id: i64,
    /// Kimai or Zammad.
    pub kind: ConnectionKindDto,
    /// The name the user gave the connection.
    pub name: String,
    /// The server's base URL, as stored.
    pub url: String,
    /// For Zammad: the instance key.
    pub instance_key: Option<String>,
    /// For Zammad: the time unit.
    pub time_unit: Option<TimeUnitDto>,
    /// Whether a token is stored (keychain, or the demo's memory store).
    pub token_stored: bool,
}

/// What the app runs on.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AppMode {
    /// Nothing set up yet: show the wizard (with "Try with demo data").
    FirstRun,
    /// The user's own connections.
    Normal,
    /// The built-in simulators with demo data, in a separate data directory.
    Demo,
}

/// The app's mode and set-up state, fetched first to pick the start page.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AppStateView {
    /// What the app runs on.
    pub mode: AppMode,
    /// A Kimai connection exists.
    pub has_kimai: bool,
    /// How many Zammad helpdesks are connected.
    pub zammad_count: u32,
    /// The billing timezone, once known.
    pub billing_timezone: Option<String>,
    /// The data directory in use.
    pub data_dir: String,
}

/// A Kimai project with its customer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProjectView {
    /// The Kimai project id.
    pub id: i64,
    /// The project's name in Kimai.
    pub name: String,
    /// Its customer's Kimai id.
    pub customer: i64,
}

/// A Kimai activity; global ones have no project.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ActivityView {
    /// The Kimai activity id.
    pub id: i64,
    /// The activity's name in Kimai.
    pub name: String,
    /// The project it belongs to; `None` for a global activity.
    pub project: Option<i64>,
}

/// Kimai's customers, projects and activities (visible ones), for the mapping pickers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct KimaiCatalogView {
    /// Customers.
    pub customers: Vec<Named>,
    /// Projects.
    pub projects: Vec<ProjectView>,
    /// Activities.
    pub activities: Vec<ActivityView>,
}

/// A mapping the core proposes from names (a Zammad organization that looks like a Kimai
/// customer). Shown for the user to confirm; never applied on its own.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MappingSuggestion {
    /// The helpdesk's instance key (`acme`).
    pub instance: String,
    /// The Zammad organization.
    pub organization: Named,
    /// The Kimai customer it resembles.
    pub customer: Named,
    /// The customer's project proposed (its only or first visible project).
    pub project: Option<Named>,
    /// Why, in words (`same name`, `"Acme" is part of "Acme GmbH"`).
    pub reason: String,
}

/// `remove_connection` / `test_connection` take the connection id.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionId {
    /// The stored connection's id.
    pub id: i64,
}

//! Mappings (per helpdesk) and the app's settings.

use serde::{Deserialize, Serialize};

use crate::setup::TimeUnitDto;

/// What a mapping rule applies to.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// One ticket.
    Ticket,
    /// A Zammad organization.
    Organization,
    /// A Zammad customer (user).
    Customer,
    /// A Zammad group.
    Group,
}

/// One mapping rule.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MappingRuleView {
    /// What it applies to.
    pub scope: ScopeKind,
    /// The Zammad id of the scope.
    pub scope_id: i64,
    /// Kimai customer.
    pub customer: i64,
    /// Kimai project.
    pub project: i64,
    /// An activity overriding the type mapping.
    pub activity: Option<i64>,
}

/// A Zammad time accounting type → Kimai activity.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TypeActivity {
    /// The Zammad type id.
    pub type_id: i64,
    /// The Kimai activity.
    pub activity: i64,
}

/// One helpdesk's mappings (`get_mappings` returns one per instance; `save_mappings` takes
/// one and replaces that instance's rules and activities).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InstanceMappingsView {
    /// The instance key.
    pub instance: String,
    /// What `time_unit` means there (read-only here).
    pub time_unit: Option<TimeUnitDto>,
    /// Rules, most specific first.
    pub rules: Vec<MappingRuleView>,
    /// Type → activity.
    pub activity_by_type: Vec<TypeActivity>,
    /// The activity of entries without a type.
    pub activity_without_type: Option<i64>,
}

/// How often the background sync runs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SchedulePreset {
    /// Every 5 minutes.
    Every5Minutes,
    /// Every 15 minutes (the default).
    Every15Minutes,
    /// Every 30 minutes.
    Every30Minutes,
    /// Every hour.
    Hourly,
    /// Six cron fields with seconds, UTC (`sec min hour day month weekday`).
    Custom {
        /// The expression, e.g. `0 */10 * * * *` (every 10 minutes); outer spaces are ignored.
        cron: String,
    },
}

/// Light, dark, or as the system.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// The UI language.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// German.
    De,
}

/// The app's settings (`get_settings`, `save_settings`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The background schedule.
    pub schedule: SchedulePreset,
    /// Background sync paused (manual sync still works).
    pub paused: bool,
    /// Desktop notifications (new conflicts, a rejected token, a failing schedule).
    pub notifications: bool,
    /// Start with the session (opt-in).
    pub launch_at_login: bool,
    /// Ask the release server for a new version at start and daily (on unless switched off;
    /// installing is always the user's choice).
    #[serde(default = "yes")]
    pub check_for_updates: bool,
    /// Theme.
    pub theme: Theme,
    /// Language.
    pub language: Language,
    /// The billing timezone (IANA name).
    pub billing_timezone: Option<String>,
    /// "Book time from" (`YYYY-MM-DD`): full syncs book every month since then that no
    /// billing run has closed. Saving `None` keeps the stored day.
    #[serde(default)]
    pub book_from: Option<String>,
    /// The oldest month a full sync reads now (`YYYY-MM`; read-only, ignored when saved).
    #[serde(default)]
    pub oldest_open_month: Option<String>,
}

/// `true`, for settings stored before a field that defaults to on existed.
fn yes() -> bool {
    true
}

//! Small values every area shares: an entry's key, a timesheet's fields as the UI shows them,
//! Kimai names next to their ids. Times cross as strings (wasm has no chrono here): instants
//! in RFC 3339 UTC, wall times as `YYYY-MM-DDTHH:MM:SS` in the billing timezone, hours as
//! exact decimal strings (`"7.25"`), so nothing is rounded on the way.

use serde::{Deserialize, Serialize};

/// One Zammad time entry: its helpdesk's key and its time accounting id (`acme#4711`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct EntryKey {
    /// The Zammad instance key (`acme`).
    pub instance: String,
    /// The time accounting id in that instance.
    pub time_accounting_id: i64,
}

impl EntryKey {
    /// `acme#4711`, as the CLI and the history show it.
    pub fn label(&self) -> String {
        format!("{}#{}", self.instance, self.time_accounting_id)
    }
}

/// A Kimai object named for people, with its id for actions.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    /// The Kimai id.
    pub id: i64,
    /// Its name; `"#<id>"` when Kimai's catalog does not know it (offline, deleted).
    pub name: String,
}

/// A timesheet's content (Zammad's wish, Kimai's record or the last synced base).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FieldsView {
    /// Start, wall time in the billing timezone (`2026-03-02T09:00:00`).
    pub begin: String,
    /// End, wall time in the billing timezone.
    pub end: String,
    /// `end - begin` in seconds.
    pub duration_seconds: i64,
    /// The Kimai project.
    pub project: Named,
    /// The Kimai activity.
    pub activity: Named,
    /// The timesheet description.
    pub description: String,
    /// Kimai tags.
    pub tags: Vec<String>,
    /// `true` for a base rebuilt from Kimai (the last synced state is not known).
    pub unknown: bool,
}

/// Which side of a timesheet a field comparison looks at.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Start time.
    Begin,
    /// End time.
    End,
    /// Project.
    Project,
    /// Activity.
    Activity,
    /// Description.
    Description,
    /// Tags.
    Tags,
}

/// A month, `YYYY-MM`.
pub type MonthString = String;

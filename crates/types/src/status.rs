//! The status page's read model.

use serde::{Deserialize, Serialize};

/// What the status page shows: which build is running on which data.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    /// The running app's version (Cargo package version).
    pub app_version: String,
    /// The data directory (database, logs, reports).
    pub data_dir: String,
    /// The SQLite database file.
    pub database_file: String,
    /// The newest migration applied to the database file, read from the file itself.
    pub schema_version: i32,
    /// The newest migration this build knows; equal to `schema_version` after start-up.
    pub latest_schema_version: i32,
    /// The SQLite journal mode in use (`wal` when all is well).
    pub journal_mode: String,
    /// How many Zammad and Kimai connections are configured.
    pub connections: u32,
    /// Where the log files are written, if file logging could be set up.
    pub log_dir: Option<String>,
}

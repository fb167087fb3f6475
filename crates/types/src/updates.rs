//! Updates of the desktop app: what the Settings page shows and the user decides.
//!
//! The app never installs on its own: a check (at start and daily when the setting is on, or
//! "Check now") only offers a version; the user chooses when to install it, and the new version
//! runs after a restart the user chooses too. A refused download (its signature does not match
//! the release key) leaves the installed version untouched and says so.

use serde::{Deserialize, Serialize};

/// Where the updater is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UpdateState {
    /// This build has no release server or key (built from source): nothing to check.
    NotConfigured,
    /// Not checked since the app started.
    NotChecked,
    /// Asking the release server.
    Checking,
    /// The running version is the newest.
    UpToDate,
    /// A newer version is on offer (`available`); nothing is downloaded yet.
    Available,
    /// The user chose to install; a sync or billing run is finishing first.
    WaitingForSync,
    /// Downloading, verifying the signature and installing.
    Installing,
    /// Installed (`available`); it runs after a restart.
    Installed,
    /// The last check or install failed (`problem` says why).
    Failed,
}

/// The updater's state for the Settings page.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UpdateView {
    /// The running version.
    pub current: String,
    /// Where the updater is.
    pub state: UpdateState,
    /// The version on offer or installed.
    pub available: Option<String>,
    /// Its release notes, as published.
    pub notes: Option<String>,
    /// Why the last check or install failed (the UI words it and says what to do).
    pub problem: Option<UpdateProblem>,
    /// The updater's own words about the failure, for a bug report.
    pub detail: Option<String>,
    /// When the release server was last asked (RFC 3339, UTC).
    pub last_checked: Option<String>,
    /// Bytes downloaded so far and the size, while installing.
    pub downloaded: Option<(u64, Option<u64>)>,
}

/// Why a check or an install failed.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UpdateProblem {
    /// The release server could not be reached or answered with an error (offline?).
    Network,
    /// The release server has no build for this system.
    NoRelease,
    /// The download's signature does not match Timebridge's release key, or was made for
    /// another version: it was discarded and nothing was installed.
    Signature,
    /// The system did not install the package (the administrator password was refused or
    /// the package manager failed); the running version is unchanged.
    Install,
    /// Anything else (the detail says what).
    Other,
}

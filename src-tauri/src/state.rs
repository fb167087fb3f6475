//! What the commands, the tray and the background tasks share: the app in use and whether a
//! tray icon can be seen. A leaf: it knows the core, nothing of the shell.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use timebridge_app::{App, Host};
use timebridge_types::ApiError;

/// What the commands share.
pub(crate) struct AppState {
    /// The app in use (the user's data, or the demo).
    pub(crate) host: Host,
    /// Whether a tray icon can be seen; decides if closing the window hides or quits.
    pub(crate) tray_visible: AtomicBool,
}

impl AppState {
    /// The app the commands act on (opens the data directory on first use).
    pub(crate) fn app(&self) -> Result<Arc<App>, ApiError> {
        self.host.app()
    }
}

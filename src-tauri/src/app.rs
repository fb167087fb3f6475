//! Wiring shared by `main` and the tests: state, commands, window and tray behaviour.
//!
//! `builder` is generic over the runtime so tests can run it on Tauri's mock runtime.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::{AppHandle, Builder, Manager, Runtime, Window, WindowEvent};
use timebridge_core::app::{App, Host};
use timebridge_types::ApiError;

use crate::{commands, tray, tray_host};

/// The label of the one window.
pub(crate) const MAIN_WINDOW: &str = "main";

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

/// Registers state and commands. Plugins, tray and window events are added by `main`.
pub(crate) fn builder<R: Runtime>(builder: Builder<R>, host: Host) -> Builder<R> {
    builder
        .manage(AppState {
            host,
            tray_visible: AtomicBool::new(false),
        })
        .invoke_handler(commands::handler())
}

/// Creates the tray icon if a tray host can show it; otherwise logs one line and carries on.
pub(crate) fn install_tray<R: Runtime>(app: &AppHandle<R>) {
    match tray_host::detect() {
        tray_host::TrayHost::Present => match tray::create(app) {
            Ok(()) => app.state::<AppState>().tray_visible.store(true, Ordering::Relaxed),
            Err(e) => tracing::warn!(error = %e, "could not create the tray icon; closing the window will quit"),
        },
        tray_host::TrayHost::Absent(why) => tracing::warn!(
            "no system tray is available ({why}); running without a tray icon, closing the window quits"
        ),
    }
}

/// At start: a launch at login opens in the tray only (when there is a tray to open it from),
/// and the OS login entry is made to match the stored setting (it follows the binary's path).
pub(crate) fn apply_start_options<R: Runtime>(app: &AppHandle<R>, minimized: bool) {
    let tray = app.state::<AppState>().tray_visible.load(Ordering::Relaxed);
    if minimized && tray {
        if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
            let _ = window.hide();
        }
    }
    let wanted = app
        .state::<AppState>()
        .app()
        .and_then(|core| core.get_settings())
        .map(|s| s.launch_at_login);
    // Only an opted-in user's entry is refreshed; an opted-out user's is never touched here.
    if let Ok(true) = wanted {
        if let Err(e) = crate::autostart::apply(app, true) {
            tracing::warn!("{e}");
        }
    }
}

/// Brings the main window to the front (tray "Open", second launch).
pub(crate) fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Closing the window hides it to the tray when there is one, so background work goes on.
pub(crate) fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let tray = window
            .app_handle()
            .state::<AppState>()
            .tray_visible
            .load(Ordering::Relaxed);
        if tray && window.label() == MAIN_WINDOW {
            api.prevent_close();
            let _ = window.hide();
            tracing::debug!("window hidden to the tray");
        }
    }
}

#[cfg(test)]
mod tests;

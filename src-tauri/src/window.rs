//! The one window: created from the configuration when it is opened (tray, notification, a
//! second launch), brought to the front when it exists.

use tauri::{AppHandle, Manager, Runtime};

/// The label of the one window.
pub(crate) const MAIN_WINDOW: &str = "main";

/// Brings the main window to the front (tray "Open", second launch), creating it from the
/// configuration when it was closed: the UI then restores where the user was from the core's
/// view memory.
pub(crate) fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
    else {
        tracing::error!("the configuration has no {MAIN_WINDOW} window");
        return;
    };
    match tauri::WebviewWindowBuilder::from_config(app, config).and_then(|b| b.build()) {
        Ok(window) => {
            crate::webview::lighten(&window);
            let _ = window.set_focus();
            tracing::info!("window created");
        }
        Err(e) => tracing::error!(error = %e, "the window could not be created"),
    }
}

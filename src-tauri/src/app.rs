//! Wiring shared by `main` and the tests: state, commands, window and tray behaviour (the
//! state itself is `state`, the window `window`).
//!
//! `builder` is generic over the runtime so tests can run it on Tauri's mock runtime.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Builder, Manager, RunEvent, Runtime, Window, WindowEvent};
use timebridge_app::Host;

use crate::state::AppState;
use crate::window::{show_main_window, MAIN_WINDOW};
use crate::{commands, tray, tray_host};

/// Registers state (the app, the updater's) and commands. Plugins, tray and window events
/// are added by `main`.
pub(crate) fn builder<R: Runtime>(
    builder: Builder<R>,
    host: Host,
    updates: crate::updates::Updates,
) -> Builder<R> {
    builder
        .manage(updates)
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

/// At start: the window opens unless this is a launch at login (`--minimized`) and there is a
/// tray to open it from later; the OS login entry is made to match the stored setting (it
/// follows the binary's path).
pub(crate) fn apply_start_options<R: Runtime>(app: &AppHandle<R>, minimized: bool) {
    let tray = app.state::<AppState>().tray_visible.load(Ordering::Relaxed);
    if minimized && tray {
        tracing::info!("started in the tray; the window is created when it is opened");
    } else {
        show_main_window(app);
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

/// Closing the window destroys it, webview and WebKit processes with it; with a tray the app
/// goes on there (see [`on_run_event`]) and Open creates the window again.
pub(crate) fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::Destroyed = event {
        if window.label() == MAIN_WINDOW {
            tracing::info!("window closed: its webview is released");
            // The app in use, if any (closing never opens the data directory). Off the main
            // thread: dropping the entries index waits for a build of it in progress.
            let core = window.app_handle().state::<AppState>().host.current();
            tauri::async_runtime::spawn_blocking(move || {
                if let Some(core) = core {
                    core.window_closed();
                }
                crate::trim::give_back("the window closed");
            });
        }
    }
}

/// The last window closing asks the app to exit; with a visible tray it stays there instead
/// (schedule, tray menu and notifications need no window). Quit (an explicit exit code) ends it.
pub(crate) fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    if let RunEvent::ExitRequested {
        code: None, api, ..
    } = event
    {
        if app.state::<AppState>().tray_visible.load(Ordering::Relaxed) {
            api.prevent_exit();
            tracing::debug!("the window closed; running on in the tray");
        }
    }
}

#[cfg(test)]
mod tests;

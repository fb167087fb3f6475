//! Launch at login (opt-in, off by default): the setting lives in the core's settings; this
//! module makes the OS follow it through tauri-plugin-autostart (an XDG autostart entry on
//! Linux, a Launch Agent on macOS, the Run key on Windows). A launch at login passes
//! `--minimized`, so the app starts in the tray without opening its window.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt;

/// The argument a launch at login carries.
pub(crate) const MINIMIZED_ARG: &str = "--minimized";

/// The plugin, registered by `main`.
pub(crate) fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new()
        .app_name("Timebridge")
        .arg(MINIMIZED_ARG)
        .build()
}

/// Whether this process was started at login.
pub(crate) fn started_minimized() -> bool {
    std::env::args().any(|a| a == MINIMIZED_ARG)
}

/// Makes the OS entry match `enabled`. Enabling again rewrites the entry, so it follows the
/// binary after an update moved it. Errors are described for the user (they are rare: a
/// read-only home directory).
pub(crate) fn apply<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<(), String> {
    if app
        .try_state::<tauri_plugin_autostart::AutoLaunchManager>()
        .is_none()
    {
        return Err("launch at login is not available in this build".into());
    }
    let manager = app.autolaunch();
    let result = if enabled {
        manager.enable()
    } else if manager.is_enabled().unwrap_or(true) {
        manager.disable()
    } else {
        Ok(())
    };
    result.map_err(|e| format!("launch at login could not be changed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::test::{mock_builder, mock_context, noop_assets};

    #[test]
    fn the_login_entry_follows_the_setting_and_starts_minimized() {
        let home = tempfile::tempdir().unwrap();
        // auto-launch finds the autostart directory through $HOME; no other test here uses it.
        std::env::set_var("HOME", home.path());
        let app = mock_builder()
            .plugin(plugin())
            .build(mock_context(noop_assets()))
            .unwrap();
        let entry = home.path().join(".config/autostart/Timebridge.desktop");

        apply(app.handle(), true).unwrap();
        let text = std::fs::read_to_string(&entry).expect("an autostart entry");
        assert!(text.contains("Exec="), "{text}");
        assert!(text.contains(MINIMIZED_ARG), "starts in the tray: {text}");

        apply(app.handle(), false).unwrap();
        assert!(!entry.exists(), "turning it off removes the entry");
        apply(app.handle(), false).unwrap();
    }
}

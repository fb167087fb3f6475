//! The tray icon and its menu. "Sync now" stays disabled until the sync engine exists; a menu
//! item cannot carry a tooltip, so its label and the icon's tooltip say why.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Runtime};

use crate::app;

const TOOLTIP: &str = "Timebridge: sync is not available yet";

/// What a tray menu item does; kept apart from Tauri so it can be tested.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TrayAction {
    Open,
    Quit,
    /// Unknown ids (or the disabled "Sync now") do nothing.
    Nothing,
}

/// Maps a menu item id to its action.
pub(crate) fn action_for(id: &str) -> TrayAction {
    match id {
        "open" => TrayAction::Open,
        "quit" => TrayAction::Quit,
        _ => TrayAction::Nothing,
    }
}

/// Builds the tray icon with its menu.
pub(crate) fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Timebridge", true, None::<&str>)?;
    let sync = MenuItem::with_id(
        app,
        "sync",
        "Sync now (not available yet)",
        false,
        None::<&str>,
    )?;
    let separator = PredefinedMenuItem::separator(app)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Timebridge", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &sync, &separator, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip(TOOLTIP)
        .menu(&menu)
        .on_menu_event(|app, event| match action_for(event.id.as_ref()) {
            TrayAction::Open => app::show_main_window(app),
            TrayAction::Quit => {
                tracing::info!("quit from the tray");
                app.exit(0);
            }
            TrayAction::Nothing => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    tracing::info!("tray icon created");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_map_to_actions() {
        assert_eq!(action_for("open"), TrayAction::Open);
        assert_eq!(action_for("quit"), TrayAction::Quit);
        assert_eq!(
            action_for("sync"),
            TrayAction::Nothing,
            "disabled until sync exists"
        );
        assert_eq!(action_for("anything"), TrayAction::Nothing);
    }
}

//! The tray icon and its menu: Sync now, "Review N conflicts…", Pause/Resume, "Last sync:
//! HH:MM", Open, Quit. The icon (one tinted variant per state, `icons/tray/`) and the tooltip
//! follow the app's [`TrayView`]; [`update`] is called after every run and every decision.

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use timebridge_types::sync::{SyncStep, TrayState, TrayView};
use timebridge_types::{event, ErrorCode};

use crate::app::{self, AppState};

const TRAY_ID: &str = "main";

/// What a tray menu item does; kept apart from Tauri so it can be tested.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TrayAction {
    Open,
    Quit,
    SyncNow,
    ReviewConflicts,
    TogglePause,
    /// Unknown ids (and the "Last sync" line) do nothing.
    Nothing,
}

/// Maps a menu item id to its action.
pub(crate) fn action_for(id: &str) -> TrayAction {
    match id {
        "open" => TrayAction::Open,
        "quit" => TrayAction::Quit,
        "sync" => TrayAction::SyncNow,
        "conflicts" => TrayAction::ReviewConflicts,
        "pause" => TrayAction::TogglePause,
        _ => TrayAction::Nothing,
    }
}

/// The icon of a state (PNG bytes compiled in).
pub(crate) fn icon_bytes(state: TrayState) -> &'static [u8] {
    match state {
        TrayState::Idle => include_bytes!("../../icons/tray/idle.png"),
        TrayState::Syncing => include_bytes!("../../icons/tray/syncing.png"),
        TrayState::NeedsAttention => include_bytes!("../../icons/tray/attention.png"),
        TrayState::Error => include_bytes!("../../icons/tray/error.png"),
        TrayState::Offline => include_bytes!("../../icons/tray/offline.png"),
    }
}

/// The menu's texts for a view: (conflicts item, pause item, last-sync line).
pub(crate) fn labels(view: &TrayView) -> (String, &'static str, String) {
    let conflicts = match view.conflicts {
        0 => "No conflicts to review".to_string(),
        1 => "Review 1 conflict…".to_string(),
        n => format!("Review {n} conflicts…"),
    };
    let pause = if view.paused {
        "Resume background sync"
    } else {
        "Pause background sync"
    };
    let last = format!(
        "Last sync: {}",
        view.last_sync.as_deref().unwrap_or("not yet")
    );
    (conflicts, pause, last)
}

/// The menu items whose text changes.
pub(crate) struct TrayMenu<R: Runtime> {
    conflicts: MenuItem<R>,
    pause: MenuItem<R>,
    last: MenuItem<R>,
}

/// Builds the tray icon with its menu.
pub(crate) fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let sync = MenuItem::with_id(app, "sync", "Sync now", true, None::<&str>)?;
    let conflicts = MenuItem::with_id(
        app,
        "conflicts",
        "No conflicts to review",
        false,
        None::<&str>,
    )?;
    let pause = MenuItem::with_id(app, "pause", "Pause background sync", true, None::<&str>)?;
    let last = MenuItem::with_id(app, "last", "Last sync: not yet", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Timebridge", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Timebridge", true, None::<&str>)?;
    let (s1, s2) = (
        PredefinedMenuItem::separator(app)?,
        PredefinedMenuItem::separator(app)?,
    );
    let menu = Menu::with_items(
        app,
        &[&sync, &conflicts, &pause, &s1, &last, &open, &s2, &quit],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Timebridge")
        .icon(Image::from_bytes(icon_bytes(TrayState::Idle))?)
        .menu(&menu)
        .on_menu_event(|app, event| on_action(app, action_for(event.id.as_ref())))
        .build(app)?;
    app.manage(TrayMenu {
        conflicts,
        pause,
        last,
    });
    tracing::info!("tray icon created");
    Ok(())
}

fn on_action<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::Open => app::show_main_window(app),
        TrayAction::Quit => {
            tracing::info!("quit from the tray");
            app.exit(0);
        }
        TrayAction::ReviewConflicts => {
            app::show_main_window(app);
            let _ = app.emit(event::SHOW_CONFLICTS, ());
        }
        TrayAction::SyncNow => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { sync_now(&app).await });
        }
        TrayAction::TogglePause => {
            let state = app.state::<AppState>();
            if let Some(core) = state.host.current() {
                let paused = core.tray_state().map(|v| v.paused).unwrap_or(false);
                if let Err(e) = core.set_paused(!paused) {
                    tracing::warn!(error = %e, "pause/resume failed");
                }
            }
            crate::events::refresh_tray(app);
        }
        TrayAction::Nothing => {}
    }
}

/// The tray's "Sync now": the same single-flight run as the window's; a refusal (a run is
/// already going) or a failure shows in the tooltip. Progress reaches the window as events.
pub(crate) async fn sync_now<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let result = match state.app() {
        Ok(core) => core.sync_now().await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => crate::events::refresh_tray(app),
        Err(e) if e.code == ErrorCode::SyncRunning => set_tooltip(
            app,
            "Timebridge: a sync is already running; it shows here when done",
        ),
        Err(e) => {
            tracing::warn!(error = %e, "sync from the tray failed");
            set_tooltip(app, &format!("Timebridge: {}", e.message));
        }
    }
}

fn set_tooltip<R: Runtime>(app: &AppHandle<R>, text: &str) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_tooltip(Some(text));
    }
}

/// The tooltip while a run is going: "Timebridge: writing to Kimai 40/100".
pub(crate) fn show_progress<R: Runtime>(app: &AppHandle<R>, step: SyncStep, done: u32, total: u32) {
    let what = match step {
        SyncStep::Reading => "reading Zammad",
        SyncStep::Writing => "writing to Kimai",
        SyncStep::Started | SyncStep::Finished => "syncing",
    };
    set_tooltip(app, &format!("Timebridge: {what} {done}/{total}"));
}

/// Shows `view`: icon, tooltip and menu texts. Without a tray (no host) nothing happens.
pub(crate) fn update<R: Runtime>(app: &AppHandle<R>, view: &TrayView) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Ok(icon) = Image::from_bytes(icon_bytes(view.state)) {
        let _ = tray.set_icon(Some(icon));
    }
    let _ = tray.set_tooltip(Some(&view.tooltip));
    if let Some(menu) = app.try_state::<TrayMenu<R>>() {
        let (conflicts, pause, last) = labels(view);
        let _ = menu.conflicts.set_text(conflicts);
        let _ = menu.conflicts.set_enabled(view.conflicts > 0);
        let _ = menu.pause.set_text(pause);
        let _ = menu.last.set_text(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_map_to_actions() {
        assert_eq!(action_for("open"), TrayAction::Open);
        assert_eq!(action_for("quit"), TrayAction::Quit);
        assert_eq!(action_for("sync"), TrayAction::SyncNow);
        assert_eq!(action_for("conflicts"), TrayAction::ReviewConflicts);
        assert_eq!(action_for("pause"), TrayAction::TogglePause);
        assert_eq!(
            action_for("last"),
            TrayAction::Nothing,
            "the last-sync line is a label"
        );
    }

    #[test]
    fn every_state_has_its_own_png_icon() {
        let states = [
            TrayState::Idle,
            TrayState::Syncing,
            TrayState::NeedsAttention,
            TrayState::Error,
            TrayState::Offline,
        ];
        for (i, a) in states.iter().enumerate() {
            assert!(Image::from_bytes(icon_bytes(*a)).is_ok(), "{a:?} decodes");
            for b in &states[i + 1..] {
                assert_ne!(icon_bytes(*a), icon_bytes(*b), "{a:?} and {b:?} look alike");
            }
        }
    }

    #[test]
    fn labels_count_conflicts_and_say_pause_or_resume() {
        let mut view = TrayView {
            state: TrayState::NeedsAttention,
            tooltip: String::new(),
            conflicts: 3,
            last_sync: Some("14:05".into()),
            paused: false,
        };
        let (c, p, l) = labels(&view);
        assert_eq!(
            (c.as_str(), p, l.as_str()),
            (
                "Review 3 conflicts…",
                "Pause background sync",
                "Last sync: 14:05"
            )
        );
        view.paused = true;
        view.conflicts = 1;
        view.last_sync = None;
        let (c, p, l) = labels(&view);
        assert_eq!(
            (c.as_str(), p, l.as_str()),
            (
                "Review 1 conflict…",
                "Resume background sync",
                "Last sync: not yet"
            )
        );
    }
}

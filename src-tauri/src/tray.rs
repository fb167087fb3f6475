//! The tray icon and its menu: Sync now, "Review N conflicts…", Pause/Resume, "Last sync:
//! HH:MM", Open, Quit. The icon (one tinted variant per state, `icons/tray/`) and the tooltip
//! follow the app's [`TrayView`]; [`update`] is called after every run and every decision,
//! and after the settings are saved, so a new language relabels the menu at once (texts in
//! [`crate::texts`]).

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use timebridge_types::sync::{SyncStep, TrayState, TrayView};
use timebridge_types::view::{self, RememberRequest};
use timebridge_types::{event, ErrorCode};

use crate::state::AppState;
use crate::texts::{self, Texts};
use crate::window::show_main_window;

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

/// The menu's texts for a view in one language: (conflicts item, pause item, last-sync line).
pub(crate) fn labels(view: &TrayView, t: &Texts) -> (String, &'static str, String) {
    let conflicts = match view.conflicts {
        0 => t.no_conflicts.to_string(),
        n => (t.review_conflicts)(n),
    };
    let pause = if view.paused { t.resume } else { t.pause };
    let last = (t.last_sync)(view.last_sync.as_deref());
    (conflicts, pause, last)
}

/// The menu items (all relabelled when the language changes).
pub(crate) struct TrayMenu<R: Runtime> {
    sync: MenuItem<R>,
    conflicts: MenuItem<R>,
    pause: MenuItem<R>,
    last: MenuItem<R>,
    open: MenuItem<R>,
    quit: MenuItem<R>,
}

/// Builds the tray icon with its menu, in the app's language if one is open already (else
/// English until the first [`update`]).
pub(crate) fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let t = texts::current(app);
    let sync = MenuItem::with_id(app, "sync", t.sync_now, true, None::<&str>)?;
    let conflicts = MenuItem::with_id(app, "conflicts", t.no_conflicts, false, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause", t.pause, true, None::<&str>)?;
    let last = MenuItem::with_id(app, "last", (t.last_sync)(None), false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", t.open, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", t.quit, true, None::<&str>)?;
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
        sync,
        conflicts,
        pause,
        last,
        open,
        quit,
    });
    tracing::info!("tray icon created");
    Ok(())
}

fn on_action<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::Open => show_main_window(app),
        TrayAction::Quit => {
            tracing::info!("quit from the tray");
            app.exit(0);
        }
        TrayAction::ReviewConflicts => {
            // A window created now starts on the page its view memory names; an open one
            // follows the event.
            let page = RememberRequest {
                key: view::PAGE.to_string(),
                value: Some("\"conflicts\"".to_string()),
            };
            if let Err(e) = app.state::<AppState>().host.view_memory().remember(&page) {
                tracing::warn!(error = %e, "could not keep the conflicts page for the window");
            }
            show_main_window(app);
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
            refresh_tray(app);
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
        Ok(()) => refresh_tray(app),
        Err(e) if e.code == ErrorCode::SyncRunning => {
            set_tooltip(app, texts::current(app).already_running)
        }
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
pub(crate) fn progress_tooltip(t: &Texts, step: SyncStep, done: u32, total: u32) -> String {
    let what = match step {
        SyncStep::Reading => t.reading,
        SyncStep::Writing => t.writing,
        SyncStep::Started | SyncStep::Finished => t.syncing,
    };
    format!("Timebridge: {what} {done}/{total}")
}

/// Shows a run's progress in the tooltip.
pub(crate) fn show_progress<R: Runtime>(app: &AppHandle<R>, step: SyncStep, done: u32, total: u32) {
    let text = progress_tooltip(texts::current(app), step, done, total);
    set_tooltip(app, &text);
}

/// Shows `view`: icon, tooltip (worded by the core in the app's language) and menu texts in
/// the app's language. Without a tray (no host) nothing happens.
pub(crate) fn update<R: Runtime>(app: &AppHandle<R>, view: &TrayView) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Ok(icon) = Image::from_bytes(icon_bytes(view.state)) {
        let _ = tray.set_icon(Some(icon));
    }
    let _ = tray.set_tooltip(Some(&view.tooltip));
    if let Some(menu) = app.try_state::<TrayMenu<R>>() {
        let t = texts::current(app);
        let (conflicts, pause, last) = labels(view, t);
        let _ = menu.sync.set_text(t.sync_now);
        let _ = menu.conflicts.set_text(conflicts);
        let _ = menu.conflicts.set_enabled(view.conflicts > 0);
        let _ = menu.pause.set_text(pause);
        let _ = menu.last.set_text(last);
        let _ = menu.open.set_text(t.open);
        let _ = menu.quit.set_text(t.quit);
    }
}

/// Shows the app's current state in the tray (a no-op without a tray or an open app).
pub(crate) fn refresh_tray<R: Runtime>(handle: &AppHandle<R>) {
    let Some(state) = handle.try_state::<AppState>() else {
        return;
    };
    let Some(core) = state.host.current() else {
        return;
    };
    match core.tray_state() {
        Ok(view) => update(handle, &view),
        Err(e) => tracing::debug!(error = %e, "tray state unavailable"),
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
    fn labels_count_conflicts_and_say_pause_or_resume_in_both_languages() {
        let mut view = TrayView {
            state: TrayState::NeedsAttention,
            tooltip: String::new(),
            conflicts: 3,
            last_sync: Some("14:05".into()),
            paused: false,
        };
        let said = |view: &TrayView, t: &Texts| {
            let (c, p, l) = labels(view, t);
            [c, p.to_string(), l]
        };
        assert_eq!(
            said(&view, &texts::EN),
            [
                "Review 3 conflicts…",
                "Pause background sync",
                "Last sync: 14:05"
            ]
        );
        assert_eq!(
            said(&view, &texts::DE),
            [
                "3 Konflikte prüfen…",
                "Hintergrund-Sync pausieren",
                "Letzte Synchronisierung: 14:05"
            ]
        );
        view.paused = true;
        view.conflicts = 1;
        view.last_sync = None;
        assert_eq!(
            said(&view, &texts::EN),
            [
                "Review 1 conflict…",
                "Resume background sync",
                "Last sync: not yet"
            ]
        );
        assert_eq!(
            said(&view, &texts::DE),
            [
                "1 Konflikt prüfen…",
                "Hintergrund-Sync fortsetzen",
                "Letzte Synchronisierung: noch keine"
            ]
        );
        view.conflicts = 0;
        assert_eq!(labels(&view, &texts::EN).0, "No conflicts to review");
        assert_eq!(labels(&view, &texts::DE).0, "Keine Konflikte zu prüfen");
    }

    #[test]
    fn the_progress_tooltip_is_worded_in_both_languages() {
        let en = |step| progress_tooltip(&texts::EN, step, 40, 100);
        let de = |step| progress_tooltip(&texts::DE, step, 40, 100);
        assert_eq!(en(SyncStep::Writing), "Timebridge: writing to Kimai 40/100");
        assert_eq!(
            de(SyncStep::Writing),
            "Timebridge: schreibe in Kimai 40/100"
        );
        assert_eq!(de(SyncStep::Reading), "Timebridge: lese Zammad 40/100");
        assert_eq!(de(SyncStep::Started), "Timebridge: synchronisiere 40/100");
    }
}

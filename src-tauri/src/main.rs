//! The Timebridge desktop shell: a thin Tauri layer over `timebridge-core`'s app facade.
//!
//! It resolves the data directory, starts logging, opens the core and hands the result to the
//! window. A start-up failure is not fatal here: the window opens and shows the error with what
//! to do, because a blank window or a silent exit helps nobody.
//!
//! `TIMEBRIDGE_DEMO=1` (or `--demo`) starts in demo mode: the simulators run in-process and
//! the app works on them, in a data directory of its own, with tokens only in memory.
//!
//! `--minimized` (a launch at login) starts in the tray without a window; `--sync-now` starts
//! a run at once. A second launch hands its arguments to the running app: with `--sync-now`
//! it syncs (a launcher or keyboard shortcut can do that), else it opens the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod autostart;
mod commands;
mod events;
mod notify;
mod reports;
mod runtime;
mod state;
mod texts;
mod tray;
mod tray_host;
mod trim;
mod updates;
mod webview;
mod window;

use std::sync::Arc;

use tauri::{AppHandle, Manager, Runtime};
use timebridge_app::{Host, DEMO_DIR};
use timebridge_core::secrets::KeychainStore;
use timebridge_core::{logging, DataDir, Startup};

/// Whether to start in demo mode (`TIMEBRIDGE_DEMO` set to anything but `0`, or `--demo`).
fn demo_requested() -> bool {
    let env = std::env::var("TIMEBRIDGE_DEMO").is_ok_and(|v| !v.is_empty() && v != "0");
    env || std::env::args().any(|a| a == "--demo")
}

/// The argument that asks for a sync run at once (at start or from a second launch).
const SYNC_NOW_ARG: &str = "--sync-now";

/// Opens the app (or the demo) and starts its schedule, events and tray.
async fn start<R: Runtime>(handle: AppHandle<R>, demo: bool, sync_now: bool) {
    let state = handle.state::<state::AppState>();
    let opened = if demo {
        state.host.start_demo().await
    } else {
        match state.host.app() {
            Ok(core) => core.start_schedule().await.map(|()| core),
            Err(e) => Err(e),
        }
    };
    match opened {
        Ok(core) => {
            events::follow(&handle, core);
            if demo || sync_now {
                // A run now, not at the schedule's next tick (a newcomer sees the demo synced).
                tray::sync_now(&handle).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "the app could not start its schedule"),
    }
}

fn main() -> anyhow::Result<()> {
    // First, while no other thread exists: it sets an environment variable WebKit reads.
    let painting = webview::choose_painting();
    // Then the runtime, before anything uses Tauri's: kept alive until the app ends.
    let _runtime = runtime::install()?;
    // Before anything is created: the data directory and every file in it owner-only.
    timebridge_core::owner_only_from_now_on();
    let data_dir = DataDir::resolve();
    let log = logging::init(data_dir.as_ref().ok().map(DataDir::log_dir).as_deref());
    tracing::info!(version = timebridge_core::VERSION, "Timebridge starting");
    tracing::info!(?painting, "webview painting");
    let demo_dir = data_dir
        .as_ref()
        .ok()
        .map(|d| DataDir::at(d.root().join(DEMO_DIR)));
    let startup = Startup::new(data_dir.ok(), log.log_dir.clone());
    match startup.core() {
        Ok(core) => tracing::info!(data_dir = %core.data_dir().root().display(), "core ready"),
        Err(e) => tracing::error!(error = %e, "start-up failed; the window shows the error"),
    }
    let host = Host::new(startup, Arc::new(KeychainStore::default()), demo_dir);
    let demo = demo_requested();
    let sync_now = std::env::args().any(|a| a == SYNC_NOW_ARG);
    let context = tauri::generate_context!();
    let update_server = updates::configured(context.config());
    let version = context.package_info().version.to_string();
    tracing::info!(%version, update_server, "desktop package");
    let mut builder = app::builder(
        tauri::Builder::default(),
        host,
        updates::Updates::new(&version, update_server),
    );
    if update_server {
        builder = builder.plugin(updates::plugin());
    }
    builder
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if args.iter().any(|a| a == SYNC_NOW_ARG) {
                tracing::info!("a second launch asked for a sync run");
                let handle = app.clone();
                tauri::async_runtime::spawn(async move { tray::sync_now(&handle).await });
            } else {
                tracing::info!("a second launch asked for the window");
                crate::window::show_main_window(app);
            }
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(autostart::plugin())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            app::install_tray(app.handle());
            app::apply_start_options(app.handle(), autostart::started_minimized());
            updates::schedule(app.handle());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(start(handle, demo, sync_now));
            Ok(())
        })
        .on_window_event(app::on_window_event)
        .build(context)?
        .run(|app, event| app::on_run_event(app, &event));
    Ok(())
}

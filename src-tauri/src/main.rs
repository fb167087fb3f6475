//! The Timebridge desktop shell: a thin Tauri layer over `timebridge-core`.
//!
//! It resolves the data directory, starts logging, opens the core and hands the result to the
//! window. A start-up failure is not fatal here: the window opens and shows the error with what
//! to do, because a blank window or a silent exit helps nobody.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod commands;
mod tray;
mod tray_host;

use timebridge_core::{logging, DataDir, Startup};

fn main() -> anyhow::Result<()> {
    let data_dir = DataDir::resolve();
    let log = logging::init(data_dir.as_ref().ok().map(DataDir::log_dir).as_deref());
    tracing::info!(version = timebridge_core::VERSION, "Timebridge starting");
    let startup = Startup::new(data_dir.ok(), log.log_dir.clone());
    match startup.core() {
        Ok(core) => tracing::info!(data_dir = %core.data_dir().root().display(), "core ready"),
        Err(e) => tracing::error!(error = %e, "start-up failed; the window shows the error"),
    }
    app::builder(tauri::Builder::default(), startup)
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("a second launch asked for the window");
            app::show_main_window(app);
        }))
        .setup(|app| {
            app::install_tray(app.handle());
            Ok(())
        })
        .on_window_event(app::on_window_event)
        .run(tauri::generate_context!())?;
    Ok(())
}

//! Signed in-app updates through tauri-plugin-updater; the user decides every step.
//!
//! A check asks the release server's `latest.json` (at start and daily when the setting is on,
//! or "Check now") and only offers the version. "Install" downloads it and verifies its
//! signature against the release key built into this app (a package signed with another key,
//! or for another version, is discarded: nothing is installed); then it waits until no sync or
//! billing run is going (the core's sync lock, held while the package is installed, so no run
//! starts half-way) and installs it with the system's installer (`dpkg -i` for a `.deb`, asking
//! for the administrator password through pkexec or sudo). The new version runs after "Restart
//! now"; its first start backs the database up and migrates it as every start does.
//!
//! A build without a release server and key (from source, the demo) is `not_configured`: the
//! plugin is not even registered. The release workflow adds both (docs/platforms.md).

mod state;

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Error, UpdaterExt};
use timebridge_types::updates::{UpdateProblem, UpdateState, UpdateView};
use timebridge_types::{event, ApiError, ErrorCode};

use crate::state::AppState;
pub(crate) use state::Updates;

/// How often the background check wakes to see whether a day has passed (cheap: one clock
/// read; a day is counted in wall-clock time, so a laptop's sleep counts too).
const WAKE_EVERY: Duration = Duration::from_secs(3600);
/// The first background check waits this long after start, so start-up stays quick.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(20);
/// How often "waiting for the running sync" looks at the lock again.
const LOCK_POLL: Duration = Duration::from_millis(500);

/// Whether this build's configuration names a release server and a key.
pub(crate) fn configured(config: &tauri::Config) -> bool {
    let Some(updater) = config.plugins.0.get("updater") else {
        return false;
    };
    let has_key = updater
        .get("pubkey")
        .and_then(|k| k.as_str())
        .is_some_and(|k| !k.trim().is_empty());
    let has_endpoint = updater
        .get("endpoints")
        .and_then(|e| e.as_array())
        .is_some_and(|e| !e.is_empty());
    has_key && has_endpoint
}

/// The plugin, for `main` to register when [`configured`].
pub(crate) fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

fn state_of<R: Runtime>(app: &AppHandle<R>) -> tauri::State<'_, Updates> {
    app.state::<Updates>()
}

/// Tells the window (if open) what the updater knows now.
fn announce<R: Runtime>(app: &AppHandle<R>) {
    let _ = app.emit(event::UPDATE_CHANGED, state_of(app).view());
}

/// Asks the release server now and returns what it found.
pub(crate) async fn check<R: Runtime>(app: &AppHandle<R>) -> UpdateView {
    let updates = state_of(app);
    if !updates.begin_check() {
        return updates.view();
    }
    let found = match app.updater() {
        Ok(updater) => updater.check().await,
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(update)) => {
            tracing::info!(version = %update.version, "an update is available");
            updates.offer(update);
        }
        Ok(None) => {
            tracing::info!("the update check found no newer version");
            updates.up_to_date();
        }
        Err(e) => {
            tracing::warn!(error = %e, "the update check failed");
            updates.fail(problem_of(&e), e.to_string());
        }
    }
    announce(app);
    updates.view()
}

/// Starts installing the version on offer; [`Updates::view`] follows it.
pub(crate) fn install<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateView, ApiError> {
    let updates = state_of(app);
    let Some(update) = updates.begin_install() else {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "No update is on offer: check for updates first.",
        ));
    };
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = download_then_install(&handle, &update).await;
        let state = state_of(&handle);
        match result {
            Ok(()) => {
                tracing::info!(version = %update.version, "update installed; it runs after a restart");
                state.installed(&update.version);
            }
            Err(e) => {
                tracing::warn!(error = %e, version = %update.version, "the update was not installed");
                state.install_failed(update, problem_of(&e), e.to_string());
            }
        }
        announce(&handle);
    });
    Ok(updates.view())
}

/// Downloads and verifies, waits for a quiet moment, installs holding the sync lock.
async fn download_then_install<R: Runtime>(
    app: &AppHandle<R>,
    update: &tauri_plugin_updater::Update,
) -> Result<(), Error> {
    let progress = state_of(app).progress();
    let bytes = update
        .download(
            |chunk, total| progress.add(chunk as u64, total),
            || tracing::info!("update downloaded; signature verified next"),
        )
        .await?;
    // `download` verified the signature; nothing unverified reaches the installer.
    state_of(app).waiting_for_sync();
    let lock = wait_until_quiet(app).await?;
    state_of(app).installing();
    let install = tauri::async_runtime::spawn_blocking({
        let update = update.clone();
        move || update.install(bytes)
    })
    .await
    .map_err(|e| Error::Network(format!("the installer task ended: {e}")))?;
    drop(lock);
    install
}

/// Takes the core's sync lock, waiting while a sync or billing run holds it. Without a core
/// (start-up failed) there is no run to wait for.
async fn wait_until_quiet<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<Option<timebridge_app::QuietLock>, Error> {
    let Ok(core) = app.state::<AppState>().app() else {
        return Ok(None);
    };
    loop {
        match core.try_quiet_lock() {
            Ok(Some(lock)) => return Ok(Some(lock)),
            Ok(None) => tokio::time::sleep(LOCK_POLL).await,
            Err(e) => {
                return Err(Error::Io(std::io::Error::other(format!(
                    "the sync lock could not be taken: {}",
                    e.message
                ))))
            }
        }
    }
}

/// Restarts into the installed version (refused unless one is installed).
pub(crate) fn restart<R: Runtime>(app: &AppHandle<R>) -> Result<(), ApiError> {
    if state_of(app).view().state != UpdateState::Installed {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "No update is installed: nothing to restart into.",
        ));
    }
    tracing::info!("restarting into the installed update");
    app.request_restart();
    Ok(())
}

/// The check at start and then daily, while the setting is on; a version found this way is
/// also said in a notification (once per version).
pub(crate) fn schedule<R: Runtime>(app: &AppHandle<R>) {
    if !state_of(app).configured() {
        tracing::info!("this build has no release server: updates are not checked");
        return;
    }
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK_AFTER).await;
        loop {
            if wanted(&handle) && state_of(&handle).due(chrono::Utc::now()) {
                let view = check(&handle).await;
                if view.state == UpdateState::Available {
                    if let Some(version) =
                        view.available.filter(|v| state_of(&handle).first_told(v))
                    {
                        crate::notify::update_available(&handle, &version);
                    }
                }
            }
            tokio::time::sleep(WAKE_EVERY).await;
        }
    });
}

/// Whether the user left the check on (on when the settings cannot be read).
fn wanted<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.state::<AppState>()
        .app()
        .and_then(|core| core.get_settings())
        .map_or(true, |s| s.check_for_updates)
}

/// What a failure means for the user.
fn problem_of(e: &Error) -> UpdateProblem {
    match e {
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => UpdateProblem::Signature,
        Error::Reqwest(_) | Error::Network(_) => UpdateProblem::Network,
        Error::ReleaseNotFound | Error::TargetNotFound(_) | Error::TargetsNotFound(_) => {
            UpdateProblem::NoRelease
        }
        // `Io`: the installer could not be started (no pkexec, sudo or zenity) or failed.
        Error::AuthenticationFailed
        | Error::DebInstallFailed
        | Error::PackageInstallFailed
        | Error::InvalidUpdaterFormat
        | Error::Io(_) => UpdateProblem::Install,
        _ => UpdateProblem::Other,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tauri::test::{mock_builder, mock_context, noop_assets};
    use timebridge_app::Host;
    use timebridge_core::secrets::MemoryStore;
    use timebridge_core::{DataDir, Startup};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_install_waits_for_the_running_sync_and_holds_off_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let startup = Startup::new(Some(DataDir::at(tmp.path())), None);
        let host = Host::new(startup, Arc::new(MemoryStore::default()), None);
        let app = crate::app::builder(mock_builder(), host, Updates::new("0.1.0", true))
            .build(mock_context(noop_assets()))
            .unwrap();
        let handle = app.handle().clone();
        let core = handle.state::<AppState>().app().unwrap();
        // A run going on holds the sync lock (the same lock every run takes).
        let run = core.try_quiet_lock().unwrap().expect("free at first");
        let waiting = tokio::spawn({
            let handle = handle.clone();
            async move { wait_until_quiet(&handle).await }
        });
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(
            !waiting.is_finished(),
            "it waits while the run holds the lock"
        );
        drop(run);
        let held = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("it goes on once the run ended")
            .unwrap()
            .unwrap();
        assert!(held.is_some(), "it holds the lock itself now");
        assert!(
            core.try_quiet_lock().unwrap().is_none(),
            "no run starts while the package is installed"
        );
        drop(held);
        assert!(core.try_quiet_lock().unwrap().is_some());
    }
}

//! The app in use. Normally the user's data directory with the OS keychain, opened through
//! [`Startup`] (a failed open is retried on the next call); after "Try with demo data" (or
//! with `TIMEBRIDGE_DEMO=1`), the demo app instead, until the process ends.

use std::sync::Arc;

use parking_lot::Mutex;
use timebridge_types::setup::{AppMode, AppStateView};
use timebridge_types::{ApiError, ErrorCode, StatusView};

use super::{api_error, demo, App, ViewMemory};
use timebridge_core::secrets::SecretStore;
use timebridge_core::{Clock, ConnectionKind, DataDir, Startup};

/// Holds the app the commands act on.
pub struct Host {
    startup: Startup,
    secrets: Arc<dyn SecretStore>,
    demo_dir: Option<DataDir>,
    clock: Clock,
    current: Mutex<Option<Arc<App>>>,
    view: ViewMemory,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("startup", &self.startup)
            .finish_non_exhaustive()
    }
}

impl Host {
    /// `secrets` is where the user's tokens live (the OS keychain); `demo_dir` is where the
    /// demo keeps its data (wiped at each demo start), `None` if no directory can be had.
    pub fn new(startup: Startup, secrets: Arc<dyn SecretStore>, demo_dir: Option<DataDir>) -> Self {
        Self::with_clock(startup, secrets, demo_dir, Clock::system())
    }

    /// As [`Host::new`], with every app it opens reading the time from `clock` (tests fix it).
    pub fn with_clock(
        startup: Startup,
        secrets: Arc<dyn SecretStore>,
        demo_dir: Option<DataDir>,
        clock: Clock,
    ) -> Self {
        Self {
            startup,
            secrets,
            demo_dir,
            clock,
            current: Mutex::new(None),
            view: ViewMemory::default(),
        }
    }

    /// The app in use, opening the user's data directory on first use.
    pub fn app(&self) -> Result<Arc<App>, ApiError> {
        let mut slot = self.current.lock();
        if let Some(app) = slot.as_ref() {
            return Ok(Arc::clone(app));
        }
        let core = self.startup.core().map_err(api_error)?;
        let app = Arc::new(App::with_clock(
            core,
            Arc::clone(&self.secrets),
            self.clock.clone(),
        )?);
        *slot = Some(Arc::clone(&app));
        Ok(app)
    }

    /// The app in use if one is open (without trying to open one).
    pub fn current(&self) -> Option<Arc<App>> {
        self.current.lock().clone()
    }

    /// Switches to the demo: the simulators start in-process, a fresh demo data directory
    /// gets connections to them (tokens in memory only), and the schedule starts. The app it
    /// replaces has its schedule stopped. Already in the demo: returns it.
    pub async fn start_demo(&self) -> Result<Arc<App>, ApiError> {
        if let Some(app) = self.current().filter(|a| a.is_demo()) {
            return Ok(app);
        }
        let dir = self.demo_dir.clone().ok_or_else(|| {
            ApiError::new(
                ErrorCode::DataDirUnavailable,
                "there is no place for the demo's data on this computer",
            )
        })?;
        let app = Arc::new(demo::open(dir, self.clock.clone()).await?);
        let old = self.current.lock().replace(Arc::clone(&app));
        self.view.clear();
        if let Some(old) = old {
            if let Err(e) = old.scheduler().shutdown().await {
                tracing::warn!(error = %e, "stopping the previous schedule failed");
            }
        }
        app.start_schedule().await?;
        tracing::info!(data_dir = %app.core().data_dir().root().display(), "demo mode started");
        Ok(app)
    }

    /// Where the user was in the window (kept while the window is closed).
    pub fn view_memory(&self) -> &ViewMemory {
        &self.view
    }

    /// The status page's data (the start-up error until the database opens).
    pub fn status(&self) -> Result<StatusView, ApiError> {
        let app = self.app()?;
        app.core().status().map_err(api_error)
    }

    /// First run, normal or demo, with what is set up: picks the UI's start page.
    pub fn app_state(&self) -> Result<AppStateView, ApiError> {
        let app = self.app()?;
        let connections = app.workspace().connections().map_err(api_error)?;
        let of_kind = |kind| {
            connections
                .iter()
                .filter(|l| l.connection.kind == kind)
                .count() as u32
        };
        let has_kimai = of_kind(ConnectionKind::Kimai) > 0;
        let zammad_count = of_kind(ConnectionKind::Zammad);
        let mode = match (app.is_demo(), has_kimai && zammad_count > 0) {
            (true, _) => AppMode::Demo,
            (false, true) => AppMode::Normal,
            (false, false) => AppMode::FirstRun,
        };
        Ok(AppStateView {
            mode,
            has_kimai,
            zammad_count,
            billing_timezone: app
                .workspace()
                .billing_dates(app.now())
                .map_err(api_error)?
                .timezone
                .map(|tz| tz.name().to_string()),
            data_dir: app.core().data_dir().root().display().to_string(),
        })
    }
}

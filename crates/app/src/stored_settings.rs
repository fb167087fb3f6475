//! The app's own settings as stored: one JSON row in the `settings` table (`app.settings`),
//! defaults for what was never saved; the billing timezone and the book-from day keep their
//! own columns. The scheduler's configuration is read from here when an app opens.

use timebridge_types::settings::{Language, SchedulePreset, SettingsView, Theme};
use timebridge_types::{ApiError, ErrorCode};

use super::api_error;
use timebridge_core::schedule::{ScheduleConfig, DEFAULT_CRON};
use timebridge_core::{Store, StoreError};

const KEY: &str = "app.settings";

/// The cron expression of a preset.
pub fn cron_of(preset: &SchedulePreset) -> String {
    match preset {
        SchedulePreset::Every5Minutes => "0 */5 * * * *".into(),
        SchedulePreset::Every15Minutes => DEFAULT_CRON.into(),
        SchedulePreset::Every30Minutes => "0 */30 * * * *".into(),
        SchedulePreset::Hourly => "0 0 * * * *".into(),
        SchedulePreset::Custom { cron } => cron.trim().to_string(),
    }
}

fn defaults() -> SettingsView {
    SettingsView {
        schedule: SchedulePreset::Every15Minutes,
        paused: false,
        notifications: true,
        launch_at_login: false,
        check_for_updates: true,
        theme: Theme::System,
        language: Language::En,
        billing_timezone: None,
        book_from: None,
        oldest_open_month: None,
    }
}

/// The desktop's own stored settings (defaults for what was never saved). The billing dates
/// are not among them (the core keeps and reads those): left `None` here.
pub(super) fn load(store: &Store) -> Result<SettingsView, StoreError> {
    let mut settings = store
        .app_setting(KEY)?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_else(defaults);
    settings.billing_timezone = None;
    settings.book_from = None;
    settings.oldest_open_month = None;
    Ok(settings)
}

/// Stores the settings (not the billing timezone, which has its own column).
pub(super) fn store_settings(store: &Store, settings: &SettingsView) -> Result<(), ApiError> {
    let mut copy = settings.clone();
    copy.billing_timezone = None;
    copy.book_from = None;
    copy.oldest_open_month = None;
    let text = serde_json::to_string(&copy)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    store.set_app_setting(KEY, &text).map_err(api_error)
}

/// The scheduler's configuration from the stored settings.
pub(super) fn schedule_config(store: &Store) -> Result<ScheduleConfig, StoreError> {
    let s = load(store)?;
    Ok(ScheduleConfig {
        cron: cron_of(&s.schedule),
        paused: s.paused,
    })
}

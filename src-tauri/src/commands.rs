//! Tauri commands: one-liners into the core. Errors cross as `ApiError` with a code.

use tauri::State;
use timebridge_types::{ApiError, StatusView};

use crate::app::AppState;

/// The status page's data, or why Timebridge could not start (retrying the start).
#[tauri::command]
pub(crate) async fn get_status(state: State<'_, AppState>) -> Result<StatusView, ApiError> {
    let result = state.startup.core().and_then(|core| core.status());
    result.map_err(|e| {
        tracing::error!(error = %e, "get_status failed");
        ApiError::from(&e)
    })
}

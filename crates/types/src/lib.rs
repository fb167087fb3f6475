//! The contract between the Leptos UI (compiled to wasm32) and the Tauri shell.
//!
//! Both sides depend on this crate, so a renamed field or command breaks the build instead of
//! failing silently at run time. It must stay wasm-safe: serde only, no tokio, reqwest or
//! rusqlite. Conversions from core errors live in the core crate (the orphan rule allows it
//! there), so this crate needs no feature flags.

mod error;
mod status;

pub use error::{ApiError, ApiResult, ErrorCode};
pub use status::StatusView;

/// Names of the Tauri commands, shared by `generate_handler!` users and the UI's `invoke`.
///
/// Every command takes at most one argument, named `req`, so Tauri's camelCase renaming of
/// argument names can never break a call.
pub mod cmd {
    /// Returns a [`crate::StatusView`] or the start-up error.
    pub const GET_STATUS: &str = "get_status";

    /// Every command name, so the shell can test that each is registered.
    pub const ALL: &[&str] = &[GET_STATUS];
}

/// Names of events the shell emits to the UI (`area://what`). Events only trigger refetches.
pub mod event {
    /// The status (connections, schema) changed; the UI refetches it.
    pub const STATUS_CHANGED: &str = "status://changed";
}

//! The Timebridge core: everything the desktop shell and the CLI share, with no knowledge of
//! Tauri, GTK or WebKit, so it builds and tests on any machine.
//!
//! Start-up is [`DataDir::resolve`] → [`logging::init`] → [`Core::open`]. A failure at any
//! step is an [`Error`] the shell turns into an [`timebridge_types::ApiError`] and shows
//! to the user instead of a blank window.

mod api;
pub mod app;
pub mod billing;
mod clock;
pub mod connections;
pub mod engine;
mod error;
pub mod logging;
mod paths;
pub mod progress;
pub mod schedule;
pub mod secrets;
pub mod setup;
mod store;
pub mod sync;

pub use api::{Core, Startup};
pub use clock::Clock;
pub use error::Error;
pub use paths::private_files::{owner_only_from_now_on, Tightened};
pub use paths::{DataDir, PathError, APP_IDENTIFIER, DATA_DIR_ENV};
pub use store::audit::{Actor, AuditAction, AuditEntry, AuditEvent};
pub use store::connections::{ConnectionKind, SavedConnection};
pub use store::decisions::{ConflictRecord, ParkedEntry, StoredConflict};
pub use store::holds::{HeldEntry, HoldReason};
pub use store::instances::ZammadInstance;
pub use store::outbox::{OutboxKind, OutboxRow, OutboxState};
pub use store::runs::{RunCounts, RunMode, RunOutcome, RunRow, RunTrigger};
pub use store::txn::WriteTxn;
pub use store::{Store, StoreError};

/// This build's version, shown on the status page and in logs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! The Timebridge core: everything the desktop shell and the CLI share, with no knowledge of
//! Tauri, GTK or WebKit, so it builds and tests on any machine.
//!
//! Start-up is [`DataDir::resolve`] → [`logging::init`] → [`Core::open`]. A failure at any
//! step is an [`Error`] the shell turns into an [`timebridge_types::ApiError`] and shows
//! to the user instead of a blank window.
//!
//! Both front ends enter through [`app::Host`] and [`app::App`] (the desktop's commands and
//! the tray) or through [`Store`] and [`engine::Engine`] (the CLI); docs/architecture.md maps
//! the modules.
//!
//! # Example
//!
//! The demo end to end: the built-in Kimai and Zammad simulators start on loopback, a fresh
//! data directory gets connections to them (tokens in memory), one sync books the helpdesks'
//! time into Kimai, and the result is read back as the UI reads it.
//!
//! ```
//! use std::sync::Arc;
//!
//! use timebridge_core::app::Host;
//! use timebridge_core::secrets::MemoryStore;
//! use timebridge_core::{Clock, DataDir, Startup};
//! use timebridge_types::entries::{EntryQuery, EntryState};
//!
//! # #[tokio::main(flavor = "multi_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! // A fixed "now": the demo lays its tickets out around it, and the sync's months follow it.
//! let clock = Clock::fixed("2026-11-18T11:00:00Z".parse()?);
//! let host = Host::with_clock(
//!     Startup::new(Some(DataDir::at(dir.path().join("profile"))), None),
//!     Arc::new(MemoryStore::default()),
//!     Some(DataDir::at(dir.path().join("demo"))),
//!     clock,
//! );
//! let app = host.start_demo().await?;
//!
//! let first = app.sync_now().await?;
//! assert_eq!(first.outcome, "ok");
//! assert!(first.created > 0);
//!
//! // Every booked entry is listed with its Kimai timesheet; the unmapped organization's
//! // entries wait, parked, for a mapping.
//! let synced = app.list_entries(&EntryQuery {
//!     state: Some(EntryState::Synced),
//!     ..EntryQuery::default()
//! })?;
//! assert_eq!(synced.total, first.created);
//! let waiting = app.list_entries(&EntryQuery {
//!     state: Some(EntryState::NeedsMapping),
//!     ..EntryQuery::default()
//! })?;
//! assert!(waiting.total > 0);
//!
//! // Nothing changed since: the next sync writes nothing.
//! let second = app.sync_now().await?;
//! assert_eq!((second.created, second.updated, second.deleted), (0, 0, 0));
//! # app.scheduler().shutdown().await?;
//! # Ok(())
//! # }
//! ```

mod api;
pub mod app;
pub mod billing;
mod clock;
pub mod connections;
pub mod engine;
mod error;
pub mod logging;
pub mod ops;
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

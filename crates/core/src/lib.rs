//! The Timebridge core: everything the desktop shell and the CLI share, with no knowledge of
//! Tauri, GTK, WebKit or the UI's error codes, so it builds and tests on any machine.
//!
//! Start-up is [`DataDir::resolve`] → [`logging::init`] → [`Core::open`]; a failure at any step
//! is an [`Error`] saying which part failed. Both front ends then act through one facade,
//! [`ops::Workspace`] (sync, preview, undo, rebuild, billing, conflict decisions, connections),
//! whose errors are the core's own ([`ops::OpError`]): the desktop's adapter (`timebridge-app`)
//! words them as the codes the UI branches on, the CLI as exit codes. docs/architecture.md maps
//! the modules.
//!
//! # Example
//!
//! A helpdesk's time booked into Kimai: the built-in simulators start on loopback, a fresh
//! data directory gets connections to them (tokens in memory) and a mapping, one sync books
//! the entries, and the links are read back. A second sync finds nothing to do.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! use timebridge_core::engine::Mode;
//! use timebridge_core::ops::Workspace;
//! use timebridge_core::secrets::{MemoryStore, SecretStore};
//! use timebridge_core::setup::{default_book_from, zammad_account, KIMAI_ACCOUNT};
//! use timebridge_core::sync::entries::InstanceKey;
//! use timebridge_core::sync::mapping::{InstanceSettings, MappingRule, Scope};
//! use timebridge_core::sync::time::TimeUnit;
//! use timebridge_core::{Actor, Core, DataDir, RunOutcome, RunTrigger};
//! use timebridge_http::Secret;
//! use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
//! use timebridge_simulators::zammad::{demo::demo_seeds_with, ZammadSim};
//! use timebridge_simulators::Clock as SimClock;
//!
//! # #[tokio::main(flavor = "multi_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A fixed "now": the demo data lies around it, and the sync's months follow it.
//! let now = "2026-11-18T11:00:00Z".parse()?;
//! let kimai = KimaiSim::from_seed(demo_seed(now), SimClock::manual(now));
//! let kimai_server = kimai.start().await?;
//! let (key, seed) = demo_seeds_with(now, 10).remove(0);
//! let zammad_server = ZammadSim::from_seed(seed, SimClock::manual(now)).start().await?;
//!
//! let dir = tempfile::tempdir()?;
//! let core = Core::open(DataDir::at(dir.path().join("profile")), None)?;
//! let store = core.store();
//! let secrets = MemoryStore::default();
//! store.add_kimai_connection("Kimai", &kimai_server.url(), false, Some(chrono_tz::Europe::Berlin))?;
//! secrets.set(KIMAI_ACCOUNT, &Secret::new("demo-kimai-token"))?;
//! let mut settings = InstanceSettings::new(TimeUnit::Minutes);
//! settings.rules = vec![MappingRule {
//!     scope: Scope::Organization(1),
//!     customer: 1,
//!     project: 1,
//!     activity: None,
//! }];
//! settings.activity_by_type = BTreeMap::from([(1, 1), (2, 1), (3, 2)]);
//! settings.activity_without_type = Some(1);
//! settings.zammad_user_id = Some(2);
//! let instance = InstanceKey::new(&key)?;
//! store.add_zammad_connection("Helpdesk", &zammad_server.url(), false, &instance, &settings)?;
//! secrets.set(&zammad_account(&key), &Secret::new(format!("demo-zammad-{key}-token")))?;
//! default_book_from(store, now)?;
//!
//! let workspace = Workspace::new(store, &secrets, core.data_dir().root(), Actor::User);
//! let first = workspace.sync(now, Mode::Apply, RunTrigger::Manual).await?;
//! assert_eq!(first.outcome, RunOutcome::Ok, "{:?}", first.error);
//! assert!(first.counts.created > 0);
//! // Every timesheet written is linked to its helpdesk entry.
//! assert_eq!(store.all_links()?.len(), first.counts.created as usize);
//!
//! // Nothing changed since: the next sync writes nothing.
//! let second = workspace.sync(now, Mode::Apply, RunTrigger::Manual).await?;
//! let c = second.counts;
//! assert_eq!((c.created, c.updated, c.deleted), (0, 0, 0));
//! # Ok(())
//! # }
//! ```

mod api;
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
pub use paths::{DataDir, PathError, APP_IDENTIFIER, DATA_DIR_ENV, DEMO_DIR};
pub use store::audit::{Actor, AuditAction, AuditEntry, AuditEvent};
pub use store::connections::{ConnectionKind, SavedConnection};
pub use store::decisions::{ConflictRecord, ParkedEntry, StoredConflict};
pub use store::facts::FactsRead;
pub use store::holds::{HeldEntry, HoldReason};
pub use store::instances::ZammadInstance;
pub use store::outbox::{OutboxKind, OutboxRow, OutboxState};
pub use store::runs::{RunCounts, RunMode, RunOutcome, RunRow, RunTrigger};
pub use store::twins::TwinDecision;
pub use store::txn::WriteTxn;
pub use store::{Store, StoreError};

/// This build's version, shown on the status page and in logs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! The sync engine's I/O around the pure planner: read both sides completely (or decide
//! nothing), adopt timesheets found by their marker, plan, then carry the plan out through the
//! outbox so a crash never duplicates or loses a timesheet. See docs/sync-model.md.

mod apply;
mod apply_write;
pub mod first_sync;
mod horizon;
mod legacy;
mod lookups;
mod lost;
pub mod read;
mod read_ahead;
mod rebuild;
mod recover;
mod refusals;
mod run;
pub mod scope;
pub mod settled;
mod shared;
mod sides;
mod stale;
mod summary;
mod twins;
pub mod undo;
mod undo_report;
mod undo_writes;
mod unit_check;
mod writes;

pub use horizon::oldest_open_month;
pub use rebuild::{DuplicateMarker, RebuildError, RebuildReport};
pub use refusals::retry as retry_refused;
pub(crate) use shared::lock_store;
pub use shared::{Engine, EngineError, InstanceConn, KimaiAdjusted, Mode, Retries, RunReport};
pub use twins::decide as decide_twin;
pub use undo::{NotUndone, UndoRefusal, UndoReport, UndoStep, Undone, WhyNot};
pub use unit_check::confirm as confirm_unit;

//! The sync engine's I/O around the pure planner: read both sides completely (or decide
//! nothing), plan, then carry the plan out through the outbox so a crash never duplicates or
//! loses a timesheet. See docs/sync-model.md.

pub mod read;

//! Faithful local simulators of the two servers Timebridge cannot run here: Kimai 2.66 and
//! Zammad 6.5 as the real servers' sources show them, traps included.
//!
//! They are stateful HTTP servers (axum) that run in-process on `127.0.0.1:0` for tests and
//! benchmarks, or standalone (`timebridge-sim`) for the demo mode. Every server shares the same
//! [`Knobs`]: latency, fault injection and per-endpoint request counts. Tests act "as a human"
//! through each simulator's in-process methods (edit a timesheet, add an entry…).
//!
//! The simulators know nothing of Timebridge's clients: their tests speak raw HTTP, so a client
//! bug cannot hide a simulator bug, and the clients also have wiremock tests from documented
//! shapes, so a simulator bug cannot hide a client bug.

mod clock;
pub mod kimai;
mod knobs;
pub mod leaks;
mod seed_file;
mod server;
pub mod zammad;

pub use clock::Clock;
pub use knobs::{Fault, FaultKind, Knobs, Stall, StallPoint};
pub use seed_file::{SeedFile, SeedFileError};
pub use server::RunningServer;

//! Reliability harnesses: they try hard to break exactly-once.
//!
//! - [`crash`]: the real `timebridge` CLI (`sync`, `bill apply`) killed with SIGKILL at random
//!   points against the in-process simulators, re-run to completion, and compared with a
//!   crash-free reference run of the same data (binary `timebridge-crash`).
//! - [`soak`]: the core engine through a long sequence of manual and scheduled syncs while
//!   the simulators inject about 20 % faults and a "human" edits both sides, compared with the
//!   same sequence without faults; no timesheet may be deleted unless its entry really is gone
//!   (binary `timebridge-soak`).
//!
//! Both are documented in docs/reliability.md; short versions run in `tests/short.rs`.

pub mod checks;
pub mod converge;
pub mod crash;
pub mod dataset;
pub mod proc;
pub mod snapshot;
pub mod soak;

/// Why a harness could not run (as opposed to a finding, which is a trial's problem).
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// Starting simulators, processes or temporary directories.
    #[error("setup: {0}")]
    Setup(String),
    /// The local database through the core.
    #[error("store: {0}")]
    Store(#[from] timebridge_core::StoreError),
    /// A sync never ended (a deadlock or a missing timeout): a finding that stops the harness.
    #[error("hung: {0}")]
    Hung(String),
    /// The crash-free reference run did not end as it must.
    #[error("the reference run failed: {0}")]
    Reference(String),
}

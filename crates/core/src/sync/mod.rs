//! The sync domain: how a Zammad time entry becomes a Kimai timesheet, as pure functions.
//!
//! - [`time`]: what a `time_unit` means, rounding, where an entry lands on the calendar in the
//!   billing timezone (DST and month ends included), months;
//! - [`entries`]: the origin marker and description, whose entries count, and how negative and
//!   zero entries correct earlier ones;
//! - [`desired`]: one instance's entries as read → what Kimai should hold (the Zammad side
//!   of the plan);
//! - [`mapping`]: the user's rules from Zammad scopes and types to Kimai projects and
//!   activities, per instance;
//! - [`edit`]: the rules a user's edited timesheet for a conflict must keep;
//! - [`plan`]: the three-way planner: (base, Zammad state, Kimai state, settings) → sorted
//!   actions. Preview is the same planner with writes off.
//!
//! Nothing here does I/O or reads a clock, so most of the sync's tests live here.

pub mod desired;
pub mod edit;
pub mod entries;
pub mod facts;
pub mod mapping;
pub mod plan;
pub mod refusal;
pub mod rewrite;
pub mod time;
pub mod twins;

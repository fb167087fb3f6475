//! Typed async client for the Zammad 6.5 REST API (`/api/v1`), as Zammad 6.5's own sources
//! define it.
//!
//! It exists so the sync engine never touches raw JSON or status codes: Zammad's quirks
//! (decimal strings for `time_unit`, 403 for *missing* credentials, token permission scoping,
//! pages without totals) are turned into plain Rust types and a typed [`ZammadError`] here.
//! It knows nothing of Timebridge's sync domain. Transport concerns (timeouts, safe retries,
//! secret tokens) live in `timebridge-http`; a create (`POST`) is never blindly resent.

mod client;
mod error;
pub mod models;

pub use client::{ZammadClient, SEARCH_PER_PAGE, TIME_ACCOUNTINGS_PER_PAGE};
pub use error::ZammadError;
pub use models::{
    NewTimeAccounting, Organization, Ticket, TimeAccounting, TimeAccountingConfig,
    TimeAccountingType, TimeAccountingUnit, User,
};

#[cfg(test)]
mod tests_fuzz;

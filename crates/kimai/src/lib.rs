//! Typed async client for the Kimai 2.66 REST API (docs/api-notes.md).
//!
//! It exists so the sync engine never touches Kimai's wire quirks: colon-less offsets,
//! optional rate fields, `[]` list parameters, comma-separated tags, the toggling export
//! endpoint, 404 past the last page, and the form-error shape. It knows nothing of Zammad or
//! of the sync domain; errors are typed ([`KimaiError`]) so callers branch on kinds, never on
//! (translated) message text. Transport concerns (timeouts, safe retries, secrets) live in
//! `timebridge-http`.
//!
//! Ids (timesheets, projects, activities, customers, users) are `i64`, the type the app's
//! database stores them in, so a timesheet id means one type from the wire to the store and
//! no caller converts between two.

mod client;
mod error;
pub mod models;
mod query;
mod timesheets;

pub use client::KimaiClient;
pub use error::{FieldError, KimaiError};
pub use models::{
    Activity, Customer, MetaField, NewTimesheet, Page, Project, Tag, Timesheet, TimesheetConfig,
    TimesheetPatch, User, Version,
};
pub use query::{
    ActivityQuery, CustomerQuery, Order, ProjectQuery, TimesheetOrderBy, TimesheetQuery,
    UserFilter, Visibility,
};

#[cfg(test)]
mod tests_fuzz;

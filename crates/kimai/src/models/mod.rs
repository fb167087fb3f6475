//! The JSON Kimai sends and accepts, typed exactly as it is on the wire (docs/api-notes.md):
//! colon-less offsets, ids instead of nested objects, optional rates as decimals.

mod catalog;
pub(crate) mod datetime;
mod money;
mod system;
mod timesheet;

pub use catalog::{Activity, Customer, Project, Tag};
pub use system::{TimesheetConfig, User, Version};
pub use timesheet::{MetaField, NewTimesheet, Page, Timesheet, TimesheetPatch};

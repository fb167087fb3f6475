//! The JSON shapes Zammad sends, parsed strictly where it matters (ids, timestamps, decimal
//! amounts) and leniently elsewhere (optional or missing descriptive fields), so that a newer
//! Zammad adding attributes does not break a sync.

mod config;
mod decimal;
mod ticket;
mod time_accounting;
mod user;

pub use config::{TimeAccountingConfig, TimeAccountingUnit};
pub use ticket::{Organization, Ticket};
pub use time_accounting::{NewTimeAccounting, TimeAccounting, TimeAccountingType};
pub use user::User;

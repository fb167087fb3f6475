//! Entries: which Zammad time entries become Kimai timesheets, and how we recognise ours.
//!
//! This is the part of the sync that decides *what* is booked, before [`super::time`] decides
//! *when* and [`super::plan`] decides *which write*. It is pure (no I/O, no clock) because every
//! rule here is a promise to the user that must be pinned by tests:
//!
//! - [`Marker`]: one short origin token per timesheet, `[tb:<instance>:<time_accounting_id>]`,
//!   written into the Kimai description (meta fields need a plugin) so a timesheet can be found
//!   again with Kimai's `term` search after a crash or on a new laptop. It names the Zammad
//!   instance because several instances may share ticket numbers and time-accounting ids.
//! - [`describe`]: the human text (template, default `#<number> <title>`) plus the marker,
//!   one line, bounded length, the marker never cut.
//! - [`select_own`]: only the connected Zammad user's entries count; colleagues' entries on the
//!   same tickets are ignored.
//! - [`apply_corrections`]: Zammad's only way to correct time is a zero or negative entry; this nets
//!   them against earlier positive entries of the same ticket, type and month, and reports what
//!   could not be netted instead of dropping it.

mod corrections;
mod description;
mod legacy;
mod marker;
mod ownership;

#[cfg(test)]
mod tests_corrections;
#[cfg(test)]
mod tests_description;
#[cfg(test)]
mod tests_marker;
#[cfg(test)]
mod tests_marker_props;
#[cfg(test)]
mod tests_ownership;

pub use corrections::{apply_corrections, explain, Corrected, Effective, Signed, Unapplied};
pub use description::{
    describe, DescriptionTemplate, Placeholder, TemplateError, TicketFacts, MAX_DESCRIPTION_CHARS,
};
pub use legacy::{url_host, LegacyMarker};
pub use marker::{InstanceKey, InstanceKeyError, Marker, MarkerError, MarkerScan};
pub use ownership::{select_own, SourceEntry};

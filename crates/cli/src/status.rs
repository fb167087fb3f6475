//! `timebridge status`: where the data is and what state it is in — the same values as the
//! desktop status page (read by [`timebridge_core::Core::status`]) plus the billing timezone,
//! "book time from" and the oldest month a full sync still reads.

use serde::Serialize;
use timebridge_core::{Core, Store};

use crate::failure::Failure;
use crate::Context;

/// The `status --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct StatusJson {
    /// This build's version.
    pub(crate) app_version: String,
    /// The data directory.
    pub(crate) data_dir: String,
    /// The SQLite database file.
    pub(crate) database_file: String,
    /// The schema version recorded in the file.
    pub(crate) schema_version: i32,
    /// The newest schema version this build knows.
    pub(crate) latest_schema_version: i32,
    /// How many Kimai and Zammad connections are configured.
    pub(crate) connections: u32,
    /// The IANA billing timezone, `null` until set (then the Kimai user's timezone applies).
    pub(crate) billing_timezone: Option<String>,
    /// "Book time from" (`YYYY-MM-DD`), `null` when unset.
    pub(crate) book_from: Option<String>,
    /// The oldest month a full sync reads (`YYYY-MM`): the first one since "book time from"
    /// that no billing run closed, else last month; `null` without a billing timezone.
    pub(crate) oldest_open_month: Option<String>,
    /// Helpdesks whose first sync waits for the go-ahead (`sync --yes`), by key.
    pub(crate) awaiting_go_ahead: Vec<String>,
}

/// Opens (creating and migrating if needed) the data directory and reports on it.
pub(crate) fn run(ctx: &Context) -> Result<(), Failure> {
    let core = Core::open(ctx.data_dir.clone(), None)?;
    let view = core.status()?;
    let store = Store::open(&ctx.data_dir.database_file())?;
    let dates = ctx.workspace(&store).billing_dates(ctx.clock.now())?;
    let status = StatusJson {
        app_version: view.app_version,
        data_dir: view.data_dir,
        database_file: view.database_file,
        schema_version: view.schema_version,
        latest_schema_version: view.latest_schema_version,
        connections: view.connections,
        billing_timezone: dates.timezone.map(|tz| tz.name().to_string()),
        book_from: dates.book_from.map(|d| d.format("%Y-%m-%d").to_string()),
        oldest_open_month: dates.oldest_open_month.map(|m| m.to_string()),
        awaiting_go_ahead: ctx
            .workspace(&store)
            .awaiting_go_ahead()?
            .into_keys()
            .collect(),
    };
    ctx.emit(&status, || {
        format!(
            "Timebridge {}\ndata directory:   {}\ndatabase:         {}\nschema version:   {} (latest {})\nconnections:      {}\nbilling timezone: {}\nbook time from:   {}\noldest open month: {}",
            status.app_version,
            status.data_dir,
            status.database_file,
            status.schema_version,
            status.latest_schema_version,
            status.connections,
            status
                .billing_timezone
                .as_deref()
                .unwrap_or("not set (the Kimai user's timezone applies)"),
            status
                .book_from
                .as_deref()
                .unwrap_or("not set (this and last month are booked)"),
            status.oldest_open_month.as_deref().unwrap_or("unknown"),
        ) + &if status.awaiting_go_ahead.is_empty() {
            String::new()
        } else {
            format!(
                "\nfirst sync waits:  {} (see `timebridge sync`; go ahead with `timebridge sync --yes`)",
                status.awaiting_go_ahead.join(", ")
            )
        }
    });
    Ok(())
}

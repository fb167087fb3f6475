//! `timebridge settings timezone [<IANA name>]`: the billing timezone — the zone whose days and
//! months entries are placed and billed in. It must equal the Kimai user's timezone (Kimai reads
//! and writes wall-clock times in it; the engine refuses to run otherwise), so both showing and
//! setting it ask Kimai, when it can be asked, and say whether they match.

use std::str::FromStr;

use chrono_tz::Tz;
use clap::Subcommand;
use serde::Serialize;
use timebridge_core::ops::{OpError, Workspace};

use crate::failure::Failure;
use crate::{block_on, Context};

/// `timebridge settings …`.
#[derive(Debug, Subcommand)]
pub(crate) enum SettingsCommand {
    /// Shows, or with a zone name sets, the billing timezone. It must equal the Kimai user's
    /// timezone: a sync refuses to run while they differ.
    Timezone {
        /// An IANA zone name, e.g. Europe/Berlin.
        #[arg(value_parser = parse_tz, value_name = "IANA_NAME")]
        zone: Option<Tz>,
    },
    /// Shows, or with a day sets, "book time from": full syncs book every month from that
    /// day on that no billing run has closed (default at set-up: the first day of last month).
    BookFrom {
        /// The first day to book (YYYY-MM-DD).
        #[arg(value_parser = crate::args::parse_day, value_name = "YYYY-MM-DD")]
        day: Option<chrono::NaiveDate>,
    },
}

/// The `settings book-from --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct BookFromJson {
    /// The day, `null` when unset (then only this and last month are booked).
    pub(crate) book_from: Option<String>,
}

/// `settings book-from [<day>]`.
pub(crate) fn book_from(ctx: &Context, day: Option<chrono::NaiveDate>) -> Result<(), Failure> {
    let store = ctx.store()?;
    if let Some(day) = day {
        ctx.workspace(&store).set_book_from(day, ctx.clock.now())?;
    }
    let doc = BookFromJson {
        book_from: ctx
            .workspace(&store)
            .billing_dates(ctx.clock.now())?
            .book_from
            .map(|d| d.format("%Y-%m-%d").to_string()),
    };
    ctx.emit(&doc, || match &doc.book_from {
        Some(d) => format!(
            "Book time from {d}: full syncs book every month since then that no billing run has closed."
        ),
        None => "Book time from: not set; syncs book this and last month only. Set it with `timebridge settings book-from YYYY-MM-DD`."
            .into(),
    });
    Ok(())
}

/// `Europe/Berlin`, exactly as the IANA database spells it.
pub(crate) fn parse_tz(text: &str) -> Result<Tz, String> {
    Tz::from_str(text).map_err(|_| {
        format!(
            "unknown timezone {text:?}: use an IANA zone name such as Europe/Berlin or \
             America/New_York (case matters)"
        )
    })
}

/// The `settings timezone --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct TimezoneJson {
    /// The billing timezone now stored, `null` if none.
    pub(crate) billing_timezone: Option<String>,
    /// The one stored before, when this command set it.
    pub(crate) previous: Option<String>,
    /// Whether this command changed it.
    pub(crate) changed: bool,
    /// The Kimai user's timezone, when Kimai could be asked.
    pub(crate) kimai_timezone: Option<String>,
    /// `checked`, `offline` or `not_checked` (no Kimai connection or token, or an error).
    pub(crate) kimai_check: &'static str,
    /// Whether both zones are equal (`null` when Kimai was not asked or none is set).
    pub(crate) matches: Option<bool>,
}

/// `settings timezone [<zone>]`.
pub(crate) fn timezone(ctx: &Context, zone: Option<Tz>) -> Result<(), Failure> {
    let store = ctx.store()?;
    let ws = ctx.workspace(&store);
    let before = ws.billing_dates(ctx.clock.now())?.timezone;
    if let Some(tz) = zone {
        ws.set_billing_timezone(tz)?;
    }
    let now = zone.or(before);
    let (kimai_check, kimai_timezone) = kimai_timezone(&ws)?;
    let doc = TimezoneJson {
        billing_timezone: now.map(|t| t.name().to_string()),
        previous: zone.and(before).map(|t| t.name().to_string()),
        changed: zone.is_some() && zone != before,
        matches: match (&now, &kimai_timezone) {
            (Some(tz), Some(k)) => Some(tz.name() == k),
            _ => None,
        },
        kimai_timezone,
        kimai_check,
    };
    if doc.matches == Some(false) && !ctx.json {
        eprintln!(
            "warning: the Kimai user's timezone is {}; a sync refuses to run until both are \
             the same (change it in Kimai's profile, or here)",
            doc.kimai_timezone.as_deref().unwrap_or_default()
        );
    }
    ctx.emit(&doc, || text(&doc));
    Ok(())
}

fn text(doc: &TimezoneJson) -> String {
    let zone = doc.billing_timezone.as_deref().unwrap_or("not set");
    let mut line = if doc.changed {
        format!(
            "Billing timezone set to {zone} (was {}).",
            doc.previous.as_deref().unwrap_or("not set")
        )
    } else {
        format!("Billing timezone: {zone}.")
    };
    match (doc.matches, &doc.kimai_timezone) {
        (Some(true), _) => line.push_str(" It equals the Kimai user's timezone."),
        (Some(false), Some(k)) => {
            line.push_str(&format!(
                " The Kimai user's timezone is {k}: they must be equal."
            ));
        }
        _ if doc.kimai_check == "offline" => {
            line.push_str(" Kimai's timezone not checked: offline.");
        }
        _ => line.push_str(" It must equal the Kimai user's timezone."),
    }
    line
}

/// The Kimai user's timezone, if Kimai can be asked; never fails the command for that.
fn kimai_timezone(ws: &Workspace<'_>) -> Result<(&'static str, Option<String>), Failure> {
    let client = match ws.kimai_client() {
        Ok(Some(client)) => client,
        // The database failing is the command's failure; a missing token or address is not.
        Err(e @ OpError::Engine(_)) => return Err(e.into()),
        Ok(None) | Err(_) => return Ok(("not_checked", None)),
    };
    Ok(match block_on(client.me())? {
        Ok(me) => ("checked", Some(me.timezone)),
        Err(e) if e.is_retryable() => ("offline", None),
        Err(_) => ("not_checked", None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names_are_checked() {
        assert_eq!(parse_tz("Europe/Berlin"), Ok(chrono_tz::Europe::Berlin));
        for bad in ["Europe/Berlinn", "europe/berlin", "CEST+1", ""] {
            let err = parse_tz(bad).unwrap_err();
            assert!(err.contains("unknown timezone"), "{bad}: {err}");
        }
    }
}

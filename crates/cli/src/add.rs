//! `connections add kimai | zammad`: check first, then store.
//!
//! The order matters: everything that can be refused without side effects is refused first
//! (a second Kimai, a name, key or address in use, no token, a failed check); then the token
//! goes to the keychain, then the rows are written in one transaction. If the rows cannot be
//! written, the keychain entry just made is removed again, so a failed `add` leaves nothing.

use std::str::FromStr;

use chrono_tz::Tz;
use serde::Serialize;
use timebridge_core::ops::{HelpdeskFound, NewHelpdesk};
use timebridge_core::secrets::SecretStore;
use timebridge_core::{ConnectionKind, Store};

use crate::check::{self, CheckJson};
use crate::cli::AddCommand;
use crate::failure::Failure;
use crate::manage::{self, ConnectionJson};
use crate::token::{self, Stored, KIMAI_ACCOUNT};
use crate::Context;

/// The `add --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct AddJson {
    /// The connection as stored.
    pub(crate) connection: ConnectionJson,
    /// `keychain`, or `env_only` (no usable keychain; the variable provides the token).
    pub(crate) token: Stored,
    /// What the check found; `null` with `--no-check`.
    pub(crate) check: Option<CheckJson>,
    /// The billing timezone after adding (`null` if still unset).
    pub(crate) billing_timezone: Option<String>,
}

/// Runs `add kimai` or `add zammad`.
pub(crate) fn run(ctx: &Context, command: AddCommand) -> Result<(), Failure> {
    let store = ctx.store()?;
    let (kind, common, key) = match &command {
        AddCommand::Kimai(k) => (ConnectionKind::Kimai, &k.common, None),
        AddCommand::Zammad(z) => (ConnectionKind::Zammad, &z.common, Some(&z.key)),
    };
    // Refused before any token is read or server asked: what could never be stored.
    ctx.workspace(&store)
        .check_new_connection(kind, &common.name, &common.url, key)?;
    let account = key.map_or_else(
        || KIMAI_ACCOUNT.to_string(),
        |k| token::zammad_account(k.as_str()),
    );
    let token = token::read_new(common.token_stdin, &account)?;
    let check = if common.no_check {
        None
    } else {
        let found = check::check(
            kind.as_str(),
            common.url.trim(),
            common.allow_insecure_http,
            token.clone(),
        )?;
        Some(found.map_err(|problem| Failure::check(&problem))?)
    };
    let stored = token::store_new(&ctx.keychain, &account, &token)?;
    let written = write_rows(ctx, &store, &command, check.as_ref());
    let id = match written {
        Ok(id) => id,
        Err(failure) => {
            if stored == Stored::Keychain {
                let _ = ctx.keychain.delete(&account);
            }
            return Err(failure);
        }
    };
    report(ctx, &store, id, stored, check)
}

/// Writes the connection's rows (as the desktop's wizard does); returns the new id.
fn write_rows(
    ctx: &Context,
    store: &Store,
    command: &AddCommand,
    check: Option<&CheckJson>,
) -> Result<i64, Failure> {
    let ws = ctx.workspace(store);
    match command {
        AddCommand::Kimai(k) => {
            let tz = check
                .and_then(|c| c.kimai.as_ref())
                .and_then(|k| Tz::from_str(&k.timezone).ok());
            let c = &k.common;
            Ok(ws.add_kimai(
                c.name.trim(),
                c.url.trim(),
                c.allow_insecure_http,
                tz,
                ctx.clock.now(),
            )?)
        }
        AddCommand::Zammad(z) => {
            let c = &z.common;
            let found = check.and_then(|c| c.zammad.as_ref());
            let unit = crate::unit::unit_for(
                z.unit.as_ref(),
                found.map(|z| z.time_accounting_unit.as_str()),
                z.unit_differs_from_zammad,
            )?;
            Ok(ws.add_helpdesk(&NewHelpdesk {
                name: c.name.trim(),
                url: c.url.trim(),
                allow_insecure_http: c.allow_insecure_http,
                key: &z.key,
                unit,
                found: found.map(|z| HelpdeskFound {
                    user_id: z.user_id,
                    unit_setting: z.unit_setting.clone(),
                }),
            })?)
        }
    }
}

/// Prints what was added, from the database as it now is.
fn report(
    ctx: &Context,
    store: &Store,
    id: i64,
    stored: Stored,
    check: Option<CheckJson>,
) -> Result<(), Failure> {
    let ws = ctx.workspace(store);
    let connection = manage::load(&ws)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Failure::usage("not_found", "the connection just added is gone"))?;
    if let Some(found) = &check {
        check::print_warnings(ctx, found);
    }
    let doc = AddJson {
        connection,
        token: stored,
        billing_timezone: ws
            .billing_dates(ctx.clock.now())?
            .timezone
            .map(|tz| tz.name().to_string()),
        check,
    };
    ctx.emit(&doc, || text(&doc));
    Ok(())
}

fn text(doc: &AddJson) -> String {
    let c = &doc.connection;
    let mut lines = vec![format!(
        "Added {} connection {:?} ({}).",
        c.kind, c.name, c.url
    )];
    match &doc.check {
        Some(found) => lines.push(check::describe(found)),
        None => lines.push("Not checked (--no-check); run `timebridge connections test`.".into()),
    }
    lines.push(match doc.token {
        Stored::Keychain => "Token: stored in the system keychain.".into(),
        Stored::EnvOnly => format!(
            "Token: the system keychain is not available, so nothing was stored; Timebridge \
             reads the token from {} on every run.",
            c.token_env_var
        ),
    });
    if c.kind == "kimai" {
        lines.push(match &doc.billing_timezone {
            Some(tz) => format!("Billing timezone: {tz}."),
            None => "Billing timezone: not set yet (the Kimai user's timezone applies).".into(),
        });
    }
    lines.join("\n")
}

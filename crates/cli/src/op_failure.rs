//! The core's operation errors in the CLI's words and exit codes: not configured → 1 with the
//! command that sets it up, a missing token → 3 with the variable that can stand in for it,
//! Kimai unreachable → 2, the database → 4. The desktop words the same errors as the codes its
//! UI branches on; the facts (which connection, which run) come from the core.

use timebridge_core::billing::BillingError;
use timebridge_core::engine::RebuildError;
use timebridge_core::ops::{Clash, OpError};
use timebridge_core::secrets::env_var_for;
use timebridge_core::setup::SetupError;
use timebridge_kimai::KimaiError;

use crate::failure::{Exit, Failure};

impl From<OpError> for Failure {
    fn from(err: OpError) -> Self {
        match err {
            OpError::Setup(e) => setup(e),
            OpError::Engine(e) => e.into(),
            OpError::NotUndoable(refusal) => Failure::usage(
                "not_undoable",
                format!("{refusal}; see `timebridge runs list`"),
            ),
            OpError::Rebuild(e) => rebuild(e),
            OpError::Billing(e) => billing(e),
            e @ OpError::SyncBeforeBilling { .. } => Failure::connection(
                "sync_failed",
                format!("{e}. Fix it and try again, or bill with --no-sync"),
            ),
            e @ OpError::KimaiExists => Failure::usage("kimai_exists", e.to_string()),
            e @ OpError::KeyHasHistory(_) => Failure::usage("key_has_history", e.to_string()),
            e @ OpError::DuplicateRule(_) => Failure::usage("duplicate_rule", e.to_string()),
            e @ OpError::BookFromInFuture(_) => {
                Failure::usage("book_from_in_future", e.to_string())
            }
            OpError::Clash(c) => clash(c),
            e @ OpError::NoSuchConnection(_) => Failure::usage(
                "not_found",
                format!("{e}; see `timebridge connections list`"),
            ),
            e @ OpError::NoSuchHelpdesk(_) => Failure::usage(
                "unknown_helpdesk",
                format!("{e}; see `timebridge connections list`"),
            ),
            e @ OpError::NoSuchRun(_) => {
                Failure::usage("not_found", format!("{e}; see `timebridge runs list`"))
            }
        }
    }
}

/// A new connection's clash, with the command that resolves it where there is one.
fn clash(c: Clash) -> Failure {
    let message = c.to_string();
    match c {
        Clash::EmptyName => Failure::usage("bad_name", message),
        Clash::SecondKimai { name, .. } => Failure::usage(
            "kimai_exists",
            format!("{message} with `timebridge connections remove {name}`"),
        ),
        Clash::KeyInUse { .. } => Failure::usage("key_exists", message),
        Clash::NameInUse { .. } => Failure::usage(
            "name_exists",
            format!("{message}, since `test` and `remove` find connections by it"),
        ),
        Clash::UrlInUse { .. } => Failure::usage("url_exists", message),
    }
}

impl From<SetupError> for Failure {
    fn from(err: SetupError) -> Self {
        setup(err)
    }
}

/// Exit 1 when not configured, 3 when a token is missing.
fn setup(err: SetupError) -> Failure {
    match err {
        SetupError::NoKimai => Failure::usage(
            "not_configured",
            "no Kimai connection: add one with `timebridge connections add kimai --name NAME --url URL`",
        ),
        SetupError::NoBillingTimezone { name, url } => Failure::usage(
            "no_billing_timezone",
            format!(
                "no billing timezone is set (it is taken from the Kimai user when the \
                 connection is added with its server check): run `timebridge connections \
                 remove {name}` and `timebridge connections add kimai --name {name} --url \
                 {url}` without --no-check"
            ),
        ),
        SetupError::TokenMissing { name, account } => Failure::token(
            "token_missing",
            format!(
                "no token is stored for {name:?}; add the connection again, or set {}",
                env_var_for(&account)
            ),
        ),
        e @ SetupError::InvalidUrl { .. } => Failure::usage("invalid_url", e.to_string()),
        e @ SetupError::Client { .. } => Failure::connection("client", e.to_string()),
        SetupError::Secret(e) => e.into(),
        SetupError::Store(e) => e.into(),
    }
}

/// Exit 2 for Kimai (or a sync holding the data directory), 4 for the database.
fn rebuild(err: RebuildError) -> Failure {
    match err {
        RebuildError::Engine(e) => e.into(),
        RebuildError::Kimai(e) => {
            let code = match &e {
                KimaiError::AuthFailed => "auth_failed",
                e if e.is_retryable() => "offline",
                _ => "failed",
            };
            Failure::connection(
                code,
                format!(
                    "links not rebuilt: your Kimai timesheets could not be read completely \
                     ({e}); nothing was written. Try again when Kimai answers."
                ),
            )
        }
    }
}

/// The exit code and stable code of a billing failure. A blocked month lists its blockers
/// (`bill apply --json` prints them beside the error as well).
fn billing(err: BillingError) -> Failure {
    let message = err.to_string();
    match err {
        BillingError::Store(e) => e.into(),
        BillingError::Lock(e) => e.into(),
        BillingError::Kimai { .. } => Failure::connection("kimai", message),
        BillingError::NoExportPermission { .. } => {
            Failure::connection("no_export_permission", message)
        }
        BillingError::Tag { .. } => Failure::connection("tag", message),
        BillingError::Timezone { .. } => Failure::usage("timezone_mismatch", message),
        BillingError::Unfinished { .. } => Failure::usage("unfinished_run", message),
        BillingError::UnknownCustomers(_) => Failure::usage("unknown_customer", message),
        BillingError::NoSuchRun(_) => Failure::usage("unknown_run", message),
        BillingError::Report { .. } => {
            let mut f = Failure::usage("report", message);
            f.exit = Exit::Database;
            f
        }
        BillingError::Blocked { month, blockers } => Failure::usage(
            "blocked",
            format!(
                "billing {month} is blocked; fix these or bill with --override \"reason\":\n{}",
                blockers
                    .iter()
                    .map(|b| format!("  - {}", b.describe()))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        ),
    }
}

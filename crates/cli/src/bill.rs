//! `timebridge bill preview|apply|reverse|list`: month-end billing runs over the core's
//! `billing` module. `apply` runs a full sync first (unless `--no-sync`) so the month is
//! billed from a fresh picture; blockers stop it (exit 1, code `blocked`) unless `--override
//! "reason"` is given, which is recorded with the run. A run interrupted by a crash or a lost
//! connection is resumed by applying the same month and customers again.

use std::collections::BTreeSet;

use clap::{Args, Subcommand};
use serde::Serialize;
use timebridge_core::billing::{
    default_month, ApplyReport, Billing, BillingError, BillingRun, Blocker, Preview, ReverseReport,
    DEFAULT_STALE_AFTER,
};
use timebridge_core::engine::Mode;
use timebridge_core::sync::time::Month;
use timebridge_core::{Actor, RunOutcome, RunTrigger, Store};

use crate::bill_print;
use crate::failure::{ErrorBody, Failure};
use crate::sync::{kimai_setup, run_engine};
use crate::{block_on, Context};

/// `timebridge bill …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BillCommand {
    /// Totals, reconciliation and blockers of a month; writes nothing.
    Preview(Scope),
    /// Tags every timesheet of the month (in scope) `billed:YYYY-MM` and marks it exported.
    Apply(ApplyArgs),
    /// Reverses a billing run from its journal (un-export, remove the tag) where nothing
    /// changed since; reopens the month.
    Reverse {
        /// The billing run id (from `bill list` or `bill apply`).
        id: i64,
    },
    /// The billing runs, newest first.
    List,
}

/// Which month and customers.
#[derive(Debug, Args)]
pub(crate) struct Scope {
    /// The month (YYYY-MM); default: the previous month in the billing timezone.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub(crate) month: Option<Month>,
    /// Only this Kimai customer (repeatable); default: every customer.
    #[arg(long = "customer", value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub(crate) customers: Vec<i64>,
}

/// `bill apply`.
#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    /// Month and customers.
    #[command(flatten)]
    pub(crate) scope: Scope,
    /// Bill despite blockers; the reason is recorded with the run.
    #[arg(long = "override", value_name = "REASON", value_parser = parse_reason)]
    pub(crate) override_reason: Option<String>,
    /// Do not run a sync first (the last complete sync must then be fresh, or overridden).
    #[arg(long)]
    pub(crate) no_sync: bool,
}

fn parse_month(text: &str) -> Result<Month, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a month as YYYY-MM, e.g. 2026-10"))
}

fn parse_reason(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err("the override needs a reason".into())
    } else {
        Ok(t.to_string())
    }
}

/// `bill apply --json`: the core's report plus the sync run that preceded it.
#[derive(Debug, Serialize)]
struct ApplyJson {
    /// The sync run made first (`null` with `--no-sync`).
    sync_run_id: Option<i64>,
    #[serde(flatten)]
    report: ApplyReport,
}

/// `bill list --json`.
#[derive(Debug, Serialize)]
struct ListJson {
    runs: Vec<BillingRun>,
}

/// `{"error": {…}, "blockers": […]}` for a blocked apply.
#[derive(Debug, Serialize)]
struct BlockedJson<'a> {
    error: ErrorBody<'a>,
    blockers: &'a [Blocker],
}

/// Runs one `bill` command.
pub(crate) fn run(ctx: &Context, command: BillCommand) -> Result<(), Failure> {
    let store = ctx.store()?;
    if let BillCommand::List = command {
        let runs = store.billing_runs()?;
        let text = bill_print::runs(&runs);
        ctx.emit(&ListJson { runs }, || text);
        return Ok(());
    }
    let (kimai, tz) = kimai_setup(&store)?;
    let billing = Billing {
        store: &store,
        kimai: &kimai,
        tz,
        data_dir: ctx.data_dir.root().to_path_buf(),
        stale_after: DEFAULT_STALE_AFTER,
    };
    let scope = |s: &Scope| {
        (
            s.month
                .unwrap_or_else(|| default_month(tz, ctx.clock.now())),
            s.customers.iter().copied().collect::<BTreeSet<i64>>(),
        )
    };
    match command {
        BillCommand::Preview(s) => {
            let (month, customers) = scope(&s);
            let preview: Preview = block_on(billing.preview(month, &customers, ctx.clock.now()))?
                .map_err(|e| failure(e, ctx.json))?;
            ctx.emit(&preview, || bill_print::preview(&preview));
            Ok(())
        }
        BillCommand::Apply(a) => {
            let (month, customers) = scope(&a.scope);
            let sync_run_id = if a.no_sync {
                None
            } else {
                Some(sync_first(&store, ctx)?)
            };
            let applied = block_on(billing.apply(
                month,
                &customers,
                a.override_reason.as_deref(),
                ctx.clock.now(),
            ))?;
            let report = applied.map_err(|e| failure(e, ctx.json))?;
            let doc = ApplyJson {
                sync_run_id,
                report,
            };
            ctx.emit(&doc, || bill_print::applied(&doc.report));
            Ok(())
        }
        BillCommand::Reverse { id } => {
            let report: ReverseReport =
                block_on(billing.reverse(id))?.map_err(|e| failure(e, ctx.json))?;
            ctx.emit(&report, || bill_print::reversed(&report));
            Ok(())
        }
        BillCommand::List => Ok(()),
    }
}

/// A full sync (manual runs are always full) that must end ok; its run id.
fn sync_first(store: &Store, ctx: &Context) -> Result<i64, Failure> {
    let report = block_on(run_engine(
        store,
        ctx.clock.now(),
        Mode::Apply,
        RunTrigger::Cli,
        Actor::Cli,
        !ctx.json,
    ))??;
    if report.outcome != RunOutcome::Ok {
        return Err(Failure::connection(
            "sync_failed",
            format!(
                "the sync before billing (run {}) did not end ok: {}; nothing was billed. \
                 Fix it and try again, or bill with --no-sync",
                report.run_id,
                report.error.as_deref().unwrap_or("no details")
            ),
        ));
    }
    Ok(report.run_id)
}

/// The exit code and stable code of a billing failure; a blocked apply prints its blockers.
fn failure(err: BillingError, json: bool) -> Failure {
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
            f.exit = crate::failure::Exit::Database;
            f
        }
        BillingError::Blocked { month, blockers } => {
            let text = format!(
                "billing {month} is blocked; fix these or bill with --override \"reason\":\n{}",
                blockers
                    .iter()
                    .map(|b| format!("  - {}", b.describe()))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            let f = Failure::usage("blocked", text);
            if json {
                let doc = BlockedJson {
                    error: f.to_json().error,
                    blockers: &blockers,
                };
                crate::print_json(&doc);
            }
            f.already_printed(json)
        }
    }
}

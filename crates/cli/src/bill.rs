//! `timebridge bill preview|apply|reverse|list`: month-end billing runs over the core's
//! `billing` module. `apply` runs a full sync first (unless `--no-sync`) so the month is
//! billed from a fresh picture; blockers stop it (exit 1, code `blocked`) unless `--override
//! "reason"` is given, which is recorded with the run. A run interrupted by a crash or a lost
//! connection is resumed by applying the same month and customers again.

use std::collections::BTreeSet;

use clap::{Args, Subcommand};
use serde::Serialize;
use timebridge_core::billing::{
    ApplyReport, BillingError, BillingRun, Blocker, Preview, ReverseReport,
};
use timebridge_core::ops::{BillingOrder, OpError};
use timebridge_core::sync::time::Month;
use timebridge_core::RunTrigger;

use crate::bill_print;
use crate::failure::{ErrorBody, Failure};
use crate::sync::warn_no_helpdesk;
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
    let ws = ctx.workspace(&store);
    let now = ctx.clock.now();
    let customers = |s: &Scope| s.customers.iter().copied().collect::<BTreeSet<i64>>();
    match command {
        BillCommand::List => {
            let runs = ws.billing_runs()?;
            let text = bill_print::runs(&runs);
            ctx.emit(&ListJson { runs }, || text);
        }
        BillCommand::Preview(s) => {
            let preview: Preview = block_on(ws.billing_preview(s.month, &customers(&s), now))?
                .map_err(|e| failure(e, ctx.json))?;
            ctx.emit(&preview, || bill_print::preview(&preview));
        }
        BillCommand::Apply(a) => {
            // As `sync` does: a sync without any helpdesk still runs, with a warning.
            if !a.no_sync && !ctx.json && ws.helpdesks()?.is_empty() {
                warn_no_helpdesk();
            }
            let order = BillingOrder {
                month: a.scope.month,
                customers: customers(&a.scope),
                override_reason: a.override_reason.as_deref(),
                sync_first: (!a.no_sync).then_some(RunTrigger::Cli),
            };
            let billed =
                block_on(ws.billing_apply(&order, now))?.map_err(|e| failure(e, ctx.json))?;
            let doc = ApplyJson {
                sync_run_id: billed.sync_run_id,
                report: billed.report,
            };
            ctx.emit(&doc, || bill_print::applied(&doc.report));
        }
        BillCommand::Reverse { id } => {
            let report: ReverseReport =
                block_on(ws.billing_reverse(id))?.map_err(|e| failure(e, ctx.json))?;
            ctx.emit(&report, || bill_print::reversed(&report));
        }
    }
    Ok(())
}

/// The failure of a billing command; a blocked apply under `--json` prints its blockers
/// beside the error.
fn failure(err: OpError, json: bool) -> Failure {
    let blockers = match &err {
        OpError::Billing(BillingError::Blocked { blockers, .. }) => Some(blockers.clone()),
        _ => None,
    };
    let f = Failure::from(err);
    let Some(blockers) = blockers else {
        return f;
    };
    if json {
        let doc = BlockedJson {
            error: f.to_json().error,
            blockers: &blockers,
        };
        crate::print_json(&doc);
    }
    f.already_printed(json)
}

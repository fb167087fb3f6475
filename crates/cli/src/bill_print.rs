//! The text output of `timebridge bill …`: the preview's totals, reconciliation and blockers,
//! what an apply or reverse did, and the list of runs.

use timebridge_core::billing::ledger::{clock, LedgerRow, PartKind};
use timebridge_core::billing::{
    blocker_causes, ApplyReport, BillingRun, Difference, Preview, ReverseReport, RunState, Totals,
};

fn amount(t: &Totals) -> String {
    t.amount
        .map(|a| format!(", amount {}", a.round_dp(2)))
        .unwrap_or_default()
}

fn totals(t: &Totals) -> String {
    format!(
        "{} h ({} entries, billable {} h{})",
        t.hours,
        t.entries,
        t.billable_hours,
        amount(t)
    )
}

fn state(s: RunState) -> &'static str {
    s.as_str()
}

/// The preview: totals by customer / project / activity, what a run would do, the
/// reconciliation and the blockers.
pub(crate) fn preview(p: &Preview) -> String {
    let scope = if p.customers.is_empty() {
        "every customer".to_string()
    } else {
        format!("customers {:?}", p.customers)
    };
    let mut lines = vec![format!(
        "Billing preview {} ({scope}), tag {}",
        p.month, p.tag
    )];
    for c in &p.by_customer {
        lines.push(format!(
            "{} (#{}): {}",
            c.customer,
            c.customer_id,
            totals(&c.totals)
        ));
        for pr in &c.projects {
            lines.push(format!("  {}: {}", pr.project, totals(&pr.totals)));
            for a in &pr.activities {
                lines.push(format!("    {}: {}", a.activity, totals(&a.totals)));
            }
        }
    }
    lines.push(format!("Total: {}", totals(&p.total)));
    lines.push(format!(
        "To bill: {} timesheet(s); already billed: {}; exported before (left as they are): {}{}",
        p.to_bill.len(),
        p.already_billed.len(),
        p.already_exported.len(),
        if p.closes_month {
            "; billing closes the month"
        } else {
            ""
        }
    ));
    for r in &p.reconciliation {
        lines.push(format!(
            "Zammad vs Kimai, {}: Zammad {} h, Kimai (linked) {} h, Kimai only {} s",
            r.customer, r.zammad_hours, r.kimai_linked_hours, r.kimai_other_seconds
        ));
        for d in &r.differences {
            lines.push(format!("  {}", difference(d)));
        }
    }
    lines.push(format!("Where Zammad's time of {} went:", p.month));
    if p.ledger.is_empty() {
        lines.push("  no Zammad time known in this month".into());
    }
    for row in &p.ledger {
        lines.extend(ledger_row(row));
    }
    if p.blockers.is_empty() {
        lines.push("No blockers.".into());
    } else {
        lines.push(format!("Blockers ({}):", p.blockers.len()));
        lines.extend(blocker_causes(&p.blockers).iter().map(|c| format!("  {c}")));
        lines.extend(p.blockers.iter().map(|b| format!("  - {}", b.describe())));
    }
    lines.join("\n")
}

/// `Acme / Support: Zammad 3:45:30 = booked 2:30:00 + …`, then the entries of every part
/// that is not simply booked.
fn ledger_row(row: &LedgerRow) -> Vec<String> {
    let name = match (&row.customer, &row.project) {
        (Some(c), Some(p)) => format!("{c} / {p}"),
        (None, Some(p)) => p.clone(),
        _ => "without a mapping".into(),
    };
    let part_name = |kind: PartKind, reason: &Option<String>| match reason {
        Some(r) => format!("{} ({r})", kind.words()),
        None => kind.words().to_string(),
    };
    let parts: Vec<String> = row
        .parts
        .iter()
        .map(|p| format!("{} {}", part_name(p.kind, &p.reason), clock(p.millis)))
        .collect();
    let mut lines = vec![format!(
        "  {name}: Zammad {} = {}; missing from Kimai {}{}",
        clock(row.zammad_millis),
        if parts.is_empty() {
            "0:00:00".to_string()
        } else {
            parts.join(" + ")
        },
        clock(row.missing_millis),
        if row.kimai_only.is_empty() {
            String::new()
        } else {
            format!(
                "; Kimai only {} ({} timesheet(s))",
                clock(row.kimai_only_millis),
                row.kimai_only.len()
            )
        }
    )];
    // Booked and rounding shares are per entry in the JSON; here only what needs a look.
    let listed = |k: PartKind| !matches!(k, PartKind::Booked | PartKind::Rounding);
    for p in row.parts.iter().filter(|p| listed(p.kind)) {
        for e in &p.entries {
            lines.push(format!(
                "    {}: {} {} ({}), {}",
                part_name(p.kind, &p.reason),
                e.entry,
                e.ticket,
                e.day,
                clock(e.millis)
            ));
        }
    }
    lines
}

fn difference(d: &Difference) -> String {
    match d {
        Difference::MissingInKimai {
            entry,
            timesheet_id,
            zammad_seconds,
        } => format!(
            "{entry}: timesheet {timesheet_id} is not in the month in Kimai (Zammad: {zammad_seconds} s)"
        ),
        Difference::Differs {
            entry,
            timesheet_id,
            fields,
            zammad_seconds,
            kimai_seconds,
        } => format!(
            "{entry}: timesheet {timesheet_id} differs in {} (Zammad {zammad_seconds} s, Kimai {kimai_seconds} s)",
            fields.join(", ")
        ),
        Difference::AcceptedDeletion { entry } => {
            format!("{entry}: its timesheet's deletion was accepted")
        }
    }
}

/// What an apply did.
pub(crate) fn applied(r: &ApplyReport) -> String {
    let Some(id) = r.run_id else {
        return format!(
            "Nothing to bill in {}: {} timesheet(s) already billed, {} exported before.",
            r.preview.month,
            r.preview.already_billed.len(),
            r.preview.already_exported.len()
        );
    };
    let mut lines = vec![format!(
        "Billing run {id} ({}){}: {}. tagged {}, exported {}, billed {}{}.",
        r.preview.month,
        if r.resumed { ", resumed" } else { "" },
        r.state.map_or("running", state),
        r.tagged,
        r.exported,
        r.billed.len(),
        if r.month_closed {
            "; the month is closed"
        } else {
            ""
        }
    )];
    if let Some(reason) = &r.override_reason {
        lines.push(format!("Blockers overridden: {reason}"));
    }
    for f in &r.failed {
        lines.push(format!(
            "  refused: timesheet {}: {}",
            f.timesheet_id, f.error
        ));
    }
    if let Some(files) = &r.report {
        lines.push(format!("Report: {} and {}", files.csv, files.html));
    }
    lines.join("\n")
}

/// What a reverse did.
pub(crate) fn reversed(r: &ReverseReport) -> String {
    let mut lines = vec![format!(
        "Billing run {} ({}): {}; {} timesheet(s) restored{}.",
        r.run_id,
        r.month,
        state(r.state),
        r.reversed.len(),
        if r.month_reopened {
            ", the month is reopened"
        } else {
            ""
        }
    )];
    lines.extend(r.refused.iter().map(|x| {
        format!(
            "  left: timesheet {} ({}): {}",
            x.timesheet_id, x.reason, x.message
        )
    }));
    lines.join("\n")
}

/// The runs, newest first.
pub(crate) fn runs(runs: &[BillingRun]) -> String {
    if runs.is_empty() {
        return "No billing runs.".into();
    }
    runs.iter()
        .map(|r| {
            let scope = if r.customers.is_empty() {
                "all customers".to_string()
            } else {
                format!("customers {:?}", r.customers)
            };
            format!(
                "{} {} {scope} {} started {}{}",
                r.id,
                r.month,
                state(r.state),
                r.started_at.format("%Y-%m-%d %H:%M UTC"),
                r.override_reason
                    .as_ref()
                    .map(|o| format!(" (override: {o})"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

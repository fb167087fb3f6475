//! The billing planner: state in (the month's timesheets, the catalog, the links and the
//! sync's open business) → preview out, and the per-record steps of apply and reverse. Pure,
//! so totals, scope, blockers, reconciliation and the resume/reverse rules are tested without
//! servers.

use std::collections::{BTreeMap, BTreeSet};

pub use super::input::{BillingInput, Catalog, LocalState};
use super::preview::{
    ActivityTotals, Blocker, CustomerTotals, Preview, ProjectTotals, ToBill, Totals,
};
pub use super::steps::{next_step, reverse_step, Restore, Step};
use super::{billing_tag, Sheet};
use crate::sync::plan::{ParkReason, TimesheetFields};
use crate::sync::time::Month;

/// Plans a billing preview.
pub fn plan(input: &BillingInput) -> Preview {
    let tag = billing_tag(input.month);
    let mut blockers = Vec::new();
    let mut scoped: Vec<(&Sheet, i64)> = Vec::new();
    for sheet in &input.sheets {
        let customer = input.catalog.customer_of(sheet.project);
        if !input.in_scope(customer) {
            continue;
        }
        match customer {
            None => blockers.push(Blocker::UnknownProject {
                timesheet_id: sheet.id,
                project: sheet.project,
            }),
            Some(_) if sheet.end.is_none() => blockers.push(Blocker::RunningTimesheet {
                timesheet_id: sheet.id,
            }),
            Some(c) => scoped.push((sheet, c)),
        }
    }
    let (mut to_bill, mut already_billed, mut already_exported) = (vec![], vec![], vec![]);
    for (sheet, customer) in &scoped {
        match (sheet.exported, sheet.has_tag(&tag)) {
            (true, true) => already_billed.push(sheet.id),
            (true, false) => already_exported.push(sheet.id),
            (false, has_tag) => to_bill.push(ToBill {
                timesheet_id: sheet.id,
                customer_id: *customer,
                needs_tag: !has_tag,
            }),
        }
    }
    let billing: BTreeSet<i64> = to_bill.iter().map(|b| b.timesheet_id).collect();
    let closes_month = input
        .sheets
        .iter()
        .all(|s| s.exported || billing.contains(&s.id));
    blockers.extend(local_blockers(input));
    let mut total = Totals::default();
    scoped.iter().for_each(|(s, _)| total.add(s));
    Preview {
        month: input.month,
        customers: input.customers.iter().copied().collect(),
        tag,
        by_customer: totals(input, &scoped),
        total,
        to_bill,
        already_billed,
        already_exported,
        reconciliation: super::reconcile::reconcile(input),
        ledger: super::ledger::ledger(input, &input.ledger),
        blockers,
        closes_month,
    }
}

fn local_blockers(input: &BillingInput) -> Vec<Blocker> {
    let mut out = Vec::new();
    let local = &input.local;
    for row in &local.outbox {
        let month = row
            .payload
            .as_ref()
            .map(TimesheetFields::month)
            .or_else(|| input.link_month(&row.key));
        if input.concerns(&month, row.payload.as_ref().map(|f| f.project)) {
            out.push(Blocker::PendingWrite {
                entry: row.key.to_string(),
                month,
            });
        }
    }
    for c in &local.conflicts {
        let fields = c.source.as_ref().or(c.kimai.as_ref());
        let month = fields
            .map(TimesheetFields::month)
            .or_else(|| input.link_month(&c.key));
        if input.concerns(&month, fields.map(|f| f.project)) {
            out.push(Blocker::Conflict {
                entry: c.key.to_string(),
                conflict: c.kind,
                timesheet_id: c.timesheet_id,
                month,
            });
        }
    }
    for p in &local.parked {
        // A refused write knows its day; other parked entries have a month once linked.
        let month = match &p.reason {
            ParkReason::Refused { refusal } => Some(Month::of(refusal.write.begin.date())),
            ParkReason::UnappliedCorrection {
                month: Some(month), ..
            } => Some(*month),
            _ => input.link_month(&p.key),
        };
        if input.concerns(&month, None) {
            out.push(Blocker::Parked {
                entry: p.key.to_string(),
                reason: p.reason.clone(),
                month,
            });
        }
    }
    for key in &local.held {
        let month = input.link_month(key);
        if input.concerns(&month, None) {
            out.push(Blocker::Held {
                entry: key.to_string(),
                month,
            });
        }
    }
    match local.last_full_sync {
        None => out.push(Blocker::NeverSynced),
        Some(t) if input.now - t > input.stale_after => {
            out.push(Blocker::StaleSync { last_full_sync: t })
        }
        Some(_) => {}
    }
    for instance in &local.awaiting_go_ahead {
        out.push(Blocker::AwaitingGoAhead {
            instance: instance.clone(),
        });
    }
    out
}

fn totals(input: &BillingInput, scoped: &[(&Sheet, i64)]) -> Vec<CustomerTotals> {
    type Tree = BTreeMap<i64, (Totals, BTreeMap<i64, (Totals, BTreeMap<i64, Totals>)>)>;
    let mut tree: Tree = BTreeMap::new();
    for (sheet, customer) in scoped {
        let (ct, projects) = tree.entry(*customer).or_default();
        ct.add(sheet);
        let (pt, activities) = projects.entry(sheet.project).or_default();
        pt.add(sheet);
        activities.entry(sheet.activity).or_default().add(sheet);
    }
    let cat = &input.catalog;
    tree.into_iter()
        .map(|(customer_id, (totals, projects))| CustomerTotals {
            customer_id,
            customer: cat.customer_name(customer_id),
            totals,
            projects: projects
                .into_iter()
                .map(|(project_id, (totals, activities))| ProjectTotals {
                    project_id,
                    project: cat
                        .projects
                        .get(&project_id)
                        .map_or_else(|| format!("project {project_id}"), |(n, _)| n.clone()),
                    totals,
                    activities: activities
                        .into_iter()
                        .map(|(activity_id, totals)| ActivityTotals {
                            activity_id,
                            activity: cat
                                .activities
                                .get(&activity_id)
                                .cloned()
                                .unwrap_or_else(|| format!("activity {activity_id}")),
                            totals,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

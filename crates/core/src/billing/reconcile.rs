//! The Zammad-vs-Kimai reconciliation of a month, per customer, from the local links: what
//! Zammad wants (the links' source side) against the linked timesheets, and what was booked in
//! Kimai directly. Every difference is listed; nothing is decided here.

use std::collections::{BTreeMap, BTreeSet};

use super::input::BillingInput;
use super::preview::{hours, Difference, Reconciliation};
use super::Sheet;
use crate::sync::plan::TimesheetFields;

fn seconds(f: &TimesheetFields) -> i64 {
    (f.end - f.begin).num_seconds()
}

/// The fields in which Kimai's timesheet differs from what was last synced.
fn differing(f: &TimesheetFields, sheet: &Sheet) -> Vec<String> {
    [
        ("begin", f.begin == sheet.begin),
        ("end", Some(f.end) == sheet.end),
        ("project", f.project == sheet.project),
        ("activity", f.activity == sheet.activity),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name.to_string())
    .collect()
}

/// The reconciliation of the input's month and scope, by customer.
pub(super) fn reconcile(input: &BillingInput) -> Vec<Reconciliation> {
    let sheets: BTreeMap<i64, &Sheet> = input.sheets.iter().map(|s| (s.id, s)).collect();
    let cat = &input.catalog;
    let mut out: BTreeMap<i64, Reconciliation> = BTreeMap::new();
    let entry = |out: &mut BTreeMap<i64, Reconciliation>, customer: i64| {
        out.entry(customer)
            .or_insert_with(|| Reconciliation {
                customer_id: customer,
                customer: cat.customer_name(customer),
                zammad_seconds: 0,
                zammad_hours: hours(0),
                kimai_linked_seconds: 0,
                kimai_linked_hours: hours(0),
                kimai_other_seconds: 0,
                differences: Vec::new(),
            })
            .clone()
    };
    let mut linked: BTreeSet<i64> = BTreeSet::new();
    for (key, link) in &input.links {
        let customer = cat.customer_of(link.base_source.project);
        if !input.in_scope(customer) {
            continue;
        }
        let customer = customer.unwrap_or(0);
        let mut rec = entry(&mut out, customer);
        let want = seconds(&link.base_source);
        let name = key.to_string();
        match link.timesheet_id {
            None => rec
                .differences
                .push(Difference::AcceptedDeletion { entry: name }),
            Some(id) => {
                rec.zammad_seconds += want;
                linked.insert(id);
                match sheets.get(&id) {
                    None => rec.differences.push(Difference::MissingInKimai {
                        entry: name,
                        timesheet_id: id,
                        zammad_seconds: want,
                    }),
                    Some(sheet) => {
                        rec.kimai_linked_seconds += sheet.seconds;
                        let fields = differing(&link.base_source, sheet);
                        if !fields.is_empty() {
                            rec.differences.push(Difference::Differs {
                                entry: name,
                                timesheet_id: id,
                                fields,
                                zammad_seconds: want,
                                kimai_seconds: sheet.seconds,
                            });
                        }
                    }
                }
            }
        }
        out.insert(customer, rec);
    }
    for sheet in input.sheets.iter().filter(|s| !linked.contains(&s.id)) {
        let customer = cat.customer_of(sheet.project);
        if input.in_scope(customer) {
            let customer = customer.unwrap_or(0);
            let mut rec = entry(&mut out, customer);
            rec.kimai_other_seconds += sheet.seconds;
            out.insert(customer, rec);
        }
    }
    out.into_values()
        .map(|mut r| {
            r.zammad_hours = hours(r.zammad_seconds);
            r.kimai_linked_hours = hours(r.kimai_linked_seconds);
            r
        })
        .collect()
}

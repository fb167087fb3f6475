//! The billing planner: state in (the month's timesheets, the catalog, the links and the
//! sync's open business) → preview out, and the per-record steps of apply and reverse. Pure,
//! so totals, scope, blockers, reconciliation and the resume/reverse rules are tested without
//! servers.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

use super::preview::{
    hours, ActivityTotals, Blocker, CustomerTotals, Difference, Preview, ProjectTotals,
    Reconciliation, ToBill, Totals,
};
use super::{billing_tag, JournalRow, Sheet};
use crate::store::decisions::{ConflictRecord, ParkedEntry};
use crate::store::outbox::OutboxRow;
use crate::sync::plan::{Link, SourceKey, TimesheetFields};

/// Names from Kimai's catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Customer names by id.
    pub customers: BTreeMap<i64, String>,
    /// Project (name, customer id) by id.
    pub projects: BTreeMap<i64, (String, i64)>,
    /// Activity names by id.
    pub activities: BTreeMap<i64, String>,
}

impl Catalog {
    fn customer_of(&self, project: i64) -> Option<i64> {
        self.projects.get(&project).map(|(_, c)| *c)
    }

    fn customer_name(&self, id: i64) -> String {
        self.customers
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("customer {id}"))
    }
}

/// The sync's open business, for the blockers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalState {
    /// Outbox rows pending or sent.
    pub outbox: Vec<OutboxRow>,
    /// Open conflicts.
    pub conflicts: Vec<ConflictRecord>,
    /// Parked entries.
    pub parked: Vec<ParkedEntry>,
    /// Entries held after an undo.
    pub held: Vec<SourceKey>,
    /// The month of every link (`None` when unknown).
    pub link_months: BTreeMap<SourceKey, Option<String>>,
    /// When the last complete sync ran.
    pub last_full_sync: Option<DateTime<Utc>>,
}

/// Everything the billing planner looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingInput {
    /// `YYYY-MM`.
    pub month: String,
    /// The customer scope; empty = every customer.
    pub customers: BTreeSet<i64>,
    /// The consultant's timesheets that begin in the month (billing timezone).
    pub sheets: Vec<Sheet>,
    /// Kimai's names.
    pub catalog: Catalog,
    /// The links whose entry belongs to the month.
    pub links: BTreeMap<SourceKey, Link>,
    /// The sync's open business.
    pub local: LocalState,
    /// Now.
    pub now: DateTime<Utc>,
    /// A complete sync older than this is a blocker.
    pub stale_after: Duration,
}

/// `acme#4711`.
pub fn entry_name(key: &SourceKey) -> String {
    format!("{}#{}", key.instance, key.time_accounting_id)
}

fn seconds(f: &TimesheetFields) -> i64 {
    (f.end - f.begin).num_seconds()
}

impl BillingInput {
    fn in_scope(&self, customer: Option<i64>) -> bool {
        match customer {
            Some(c) => self.customers.is_empty() || self.customers.contains(&c),
            // Unknown customer: only an unscoped run may be concerned; conservative.
            None => true,
        }
    }

    /// A blocker about an entry counts when it is of this month (or its month is unknown)
    /// and of a customer in scope (or of an unknown customer).
    fn concerns(&self, month: &Option<String>, project: Option<i64>) -> bool {
        let month_ok = month.as_ref().is_none_or(|m| *m == self.month);
        month_ok && self.in_scope(project.and_then(|p| self.catalog.customer_of(p)))
    }

    fn link_month(&self, key: &SourceKey) -> Option<String> {
        self.local.link_months.get(key).cloned().flatten()
    }
}

/// Plans a billing preview.
pub fn plan(input: &BillingInput) -> Preview {
    let tag = billing_tag(&input.month);
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
        month: input.month.clone(),
        customers: input.customers.iter().copied().collect(),
        tag,
        by_customer: totals(input, &scoped),
        total,
        to_bill,
        already_billed,
        already_exported,
        reconciliation: reconcile(input),
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
            .map(|f| f.begin.format("%Y-%m").to_string())
            .or_else(|| input.link_month(&row.key));
        if input.concerns(&month, row.payload.as_ref().map(|f| f.project)) {
            out.push(Blocker::PendingWrite {
                entry: entry_name(&row.key),
                month,
            });
        }
    }
    for c in &local.conflicts {
        let fields = c.source.as_ref().or(c.kimai.as_ref());
        let month = fields
            .map(|f| f.begin.format("%Y-%m").to_string())
            .or_else(|| input.link_month(&c.key));
        if input.concerns(&month, fields.map(|f| f.project)) {
            out.push(Blocker::Conflict {
                entry: entry_name(&c.key),
                conflict: c.kind,
                timesheet_id: c.timesheet_id,
                month,
            });
        }
    }
    for p in &local.parked {
        let month = input.link_month(&p.key);
        if input.concerns(&month, None) {
            out.push(Blocker::Parked {
                entry: entry_name(&p.key),
                reason: p.reason.clone(),
                month,
            });
        }
    }
    for key in &local.held {
        let month = input.link_month(key);
        if input.concerns(&month, None) {
            out.push(Blocker::Held {
                entry: entry_name(key),
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

fn reconcile(input: &BillingInput) -> Vec<Reconciliation> {
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
        let name = entry_name(key);
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
                        let f = &link.base_source;
                        let fields: Vec<String> = [
                            ("begin", f.begin == sheet.begin),
                            ("end", Some(f.end) == sheet.end),
                            ("project", f.project == sheet.project),
                            ("activity", f.activity == sheet.activity),
                        ]
                        .into_iter()
                        .filter(|(_, same)| !same)
                        .map(|(name, _)| name.to_string())
                        .collect();
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

/// The next remote step for one journal row, from the record as Kimai holds it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Write these tags (the record's own plus the billing tag).
    Tag(Vec<String>),
    /// Set exported (read first: Kimai's endpoint toggles).
    Export,
    /// Tagged and exported already.
    Nothing,
}

/// What a row still needs: the tag first (an exported record can no longer be edited by an
/// ordinary user), then the export. Decided from Kimai's current state, never from the
/// journal alone, so a step that landed before a crash is never repeated or flipped back.
pub fn next_step(current: &Sheet, tag: &str) -> Step {
    if !current.has_tag(tag) {
        let mut tags = current.tags.clone();
        tags.push(tag.to_string());
        tags.sort();
        Step::Tag(tags)
    } else if !current.exported {
        Step::Export
    } else {
        Step::Nothing
    }
}

/// What a reverse does to one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restore {
    /// Un-export it (it was not exported before the run).
    pub unexport: bool,
    /// Write these tags back (the record's tags before the run).
    pub tags: Option<Vec<String>>,
}

/// Whether a reverse may restore `row`'s record, now `current`: only if nothing but the
/// run's own changes (the tag, the export) — or part of their reversal — is on it. `Err`
/// names what changed since.
pub fn reverse_step(row: &JournalRow, current: &Sheet, tag: &str) -> Result<Restore, Vec<String>> {
    let reference = row.after.as_ref().unwrap_or(&row.before);
    let mut changed: Vec<String> = [
        ("begin", reference.begin == current.begin),
        ("end", reference.end == current.end),
        ("project", reference.project == current.project),
        ("activity", reference.activity == current.activity),
        ("description", reference.description == current.description),
        ("duration", reference.seconds == current.seconds),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(f, _)| f.to_string())
    .collect();
    let before = &row.before.tags;
    let mut billed = before.clone();
    if !billed.iter().any(|t| t == tag) {
        billed.push(tag.to_string());
        billed.sort();
    }
    if current.tags != *before && current.tags != billed {
        changed.push("tags".into());
    }
    if !changed.is_empty() {
        return Err(changed);
    }
    Ok(Restore {
        unexport: current.exported && !row.before.exported,
        tags: (current.tags != *before).then(|| before.clone()),
    })
}

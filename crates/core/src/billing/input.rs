//! What the billing planner and its parts (ledger, reconciliation) read: the month's
//! timesheets, Kimai's names, the links, the sync's open business and the entry facts. Plain
//! data with a few questions about scope; the parts import it, none of them imports another's.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

use super::Sheet;
use crate::store::decisions::{ConflictRecord, ParkedEntry};
use crate::store::outbox::OutboxRow;
use crate::sync::facts::EntryFacts;
use crate::sync::plan::{Link, SourceKey};
use crate::sync::time::Month;

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
    pub(super) fn customer_of(&self, project: i64) -> Option<i64> {
        self.projects.get(&project).map(|(_, c)| *c)
    }

    pub(super) fn customer_name(&self, id: i64) -> String {
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
    pub link_months: BTreeMap<SourceKey, Option<Month>>,
    /// The Zammad booking month of every entry with facts (`YYYY-MM`, billing timezone).
    pub fact_months: BTreeMap<SourceKey, Month>,
    /// When the last complete sync ran.
    pub last_full_sync: Option<DateTime<Utc>>,
    /// Helpdesks whose first sync waits for the user's go-ahead (none of their time is
    /// booked yet).
    pub awaiting_go_ahead: Vec<String>,
}

/// Everything the billing planner looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingInput {
    /// `YYYY-MM`.
    pub month: Month,
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
    /// The month's entry facts and their states, for the ledger.
    pub ledger: LedgerInput,
    /// The moment billing is planned at (a last full sync older than `stale_after` blocks).
    pub now: DateTime<Utc>,
    /// A complete sync older than this is a blocker.
    pub stale_after: Duration,
}

impl BillingInput {
    pub(super) fn in_scope(&self, customer: Option<i64>) -> bool {
        match customer {
            Some(c) => self.customers.is_empty() || self.customers.contains(&c),
            // Unknown customer: only an unscoped run may be concerned; conservative.
            None => true,
        }
    }

    /// A blocker about an entry counts when it is of this month (or its month is unknown)
    /// and of a customer in scope (or of an unknown customer).
    pub(super) fn concerns(&self, month: &Option<Month>, project: Option<i64>) -> bool {
        let month_ok = month.as_ref().is_none_or(|m| *m == self.month);
        month_ok && self.in_scope(project.and_then(|p| self.catalog.customer_of(p)))
    }

    /// An entry's month: its link's, else the Zammad booking day's (its facts), else unknown.
    pub(super) fn link_month(&self, key: &SourceKey) -> Option<Month> {
        self.local
            .link_months
            .get(key)
            .cloned()
            .flatten()
            .or_else(|| self.local.fact_months.get(key).cloned())
    }
}

/// What the ledger needs beyond the billing input: the month's entry facts and the sync's
/// state of each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerInput {
    /// The facts of the entries booked in Zammad in the month.
    pub facts: BTreeMap<SourceKey, EntryFacts>,
    /// Their links (tombstones included).
    pub links: BTreeMap<SourceKey, Link>,
    /// Entries the sync leaves alone (ignored by the user, held after an undo).
    pub held: BTreeSet<SourceKey>,
    /// Every timesheet some link stands for (any month): not Kimai-only.
    pub linked_timesheets: BTreeSet<i64>,
}

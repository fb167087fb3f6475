//! What a billing preview shows: totals per customer / project / activity, what a run would
//! tag and export, the Zammad-vs-Kimai reconciliation per customer, and the blockers. Plain
//! data in the CLI's JSON shape.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::sync::plan::{ConflictKind, ParkReason};
use crate::sync::time::Month;

/// Hours from seconds, exactly, rounded half away from zero to two places for display. Sums
/// are always made in whole seconds first.
pub fn hours(seconds: i64) -> Decimal {
    (Decimal::from(seconds) / Decimal::from(3600))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Totals of a group of timesheets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// How many timesheets.
    pub entries: u32,
    /// Their summed duration in seconds.
    pub seconds: i64,
    /// Hours (two places).
    pub hours: Decimal,
    /// Seconds of billable timesheets.
    pub billable_seconds: i64,
    /// Hours of billable timesheets.
    pub billable_hours: Decimal,
    /// Sum of the timesheets' amounts, when Kimai showed the rate of every one (`null`
    /// otherwise: a plain user does not see rates).
    pub amount: Option<Decimal>,
    /// Seconds already exported before this run.
    pub exported_seconds: i64,
}

impl Totals {
    pub(crate) fn add(&mut self, sheet: &super::Sheet) {
        let first = self.entries == 0;
        self.entries += 1;
        self.seconds += sheet.seconds;
        if sheet.billable {
            self.billable_seconds += sheet.seconds;
        }
        if sheet.exported {
            self.exported_seconds += sheet.seconds;
        }
        self.amount = match (first, self.amount, sheet.rate) {
            (true, _, rate) => rate,
            (false, Some(sum), Some(rate)) => Some(sum + rate),
            _ => None,
        };
        self.hours = hours(self.seconds);
        self.billable_hours = hours(self.billable_seconds);
    }
}

/// Totals of one activity within a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityTotals {
    /// Kimai id.
    pub activity_id: i64,
    /// Name (`#id` when unknown).
    pub activity: String,
    /// The activity's timesheets and duration in scope.
    pub totals: Totals,
}

/// Totals of one project, by activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectTotals {
    /// Kimai id.
    pub project_id: i64,
    /// Name.
    pub project: String,
    /// The project's timesheets and duration in scope.
    pub totals: Totals,
    /// By activity.
    pub activities: Vec<ActivityTotals>,
}

/// Totals of one customer, by project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTotals {
    /// Kimai id.
    pub customer_id: i64,
    /// Name.
    pub customer: String,
    /// The customer's timesheets and duration in scope.
    pub totals: Totals,
    /// By project.
    pub projects: Vec<ProjectTotals>,
}

/// One timesheet a run would tag and export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToBill {
    /// The Kimai timesheet id.
    pub timesheet_id: i64,
    /// The Kimai id of its project's customer (what the customer scope filters on).
    pub customer_id: i64,
    /// The tag is still missing.
    pub needs_tag: bool,
}

/// A difference between what Zammad wants (the links' source side) and what Kimai holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// The linked timesheet is not among the month's timesheets (deleted, or moved to
    /// another month).
    MissingInKimai {
        /// `acme#4711`.
        entry: String,
        /// The linked timesheet.
        timesheet_id: i64,
        /// What Zammad wants, in seconds.
        zammad_seconds: i64,
    },
    /// The timesheet differs from what Zammad wants.
    Differs {
        /// `acme#4711`.
        entry: String,
        /// The linked Kimai timesheet id.
        timesheet_id: i64,
        /// Which fields differ: `begin`, `end`, `project`, `activity`.
        fields: Vec<String>,
        /// Zammad's duration in seconds.
        zammad_seconds: i64,
        /// Kimai's duration in seconds.
        kimai_seconds: i64,
    },
    /// The user accepted that the entry's timesheet is gone (a tombstone).
    AcceptedDeletion {
        /// `acme#4711`.
        entry: String,
    },
}

/// Zammad vs Kimai for one customer of the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Kimai id (`0` when the project is unknown).
    pub customer_id: i64,
    /// Name.
    pub customer: String,
    /// What Zammad wants, in seconds (the linked entries' source side).
    pub zammad_seconds: i64,
    /// The same in hours.
    pub zammad_hours: Decimal,
    /// The linked timesheets in Kimai, in seconds.
    pub kimai_linked_seconds: i64,
    /// The same in hours.
    pub kimai_linked_hours: Decimal,
    /// Timesheets of the month not from Zammad (booked in Kimai directly), in seconds.
    pub kimai_other_seconds: i64,
    /// Every difference.
    pub differences: Vec<Difference>,
}

/// Why a month cannot be billed yet (unless overridden with a recorded reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// A write to Kimai a sync left half done (outbox pending or sent).
    PendingWrite {
        /// `acme#4711`.
        entry: String,
        /// The month, when known.
        month: Option<Month>,
    },
    /// An open conflict.
    Conflict {
        /// `acme#4711`.
        entry: String,
        /// The conflict's kind (`both_changed`, `deleted_in_kimai`, …).
        conflict: ConflictKind,
        /// The timesheet, if any.
        timesheet_id: Option<i64>,
        /// The month, when known.
        month: Option<Month>,
    },
    /// An entry the sync parked (needs a mapping, unapplied correction…).
    Parked {
        /// `acme#4711`.
        entry: String,
        /// Why.
        reason: ParkReason,
        /// The month, when known (`null`: a parked entry was never placed; it may belong
        /// to this month).
        month: Option<Month>,
    },
    /// An entry held after an undo (the sync leaves it alone until released).
    Held {
        /// `acme#4711`.
        entry: String,
        /// The month, when known.
        month: Option<Month>,
    },
    /// A timesheet of the month is still running.
    RunningTimesheet {
        /// The Kimai timesheet that has no end yet.
        timesheet_id: i64,
    },
    /// A timesheet's project is not in Kimai's project list (its customer is unknown).
    UnknownProject {
        /// The Kimai timesheet whose project is not in the catalog.
        timesheet_id: i64,
        /// Its project id.
        project: i64,
    },
    /// The last complete sync is older than the threshold.
    StaleSync {
        /// When it ran.
        last_full_sync: DateTime<Utc>,
    },
    /// No complete sync has run yet.
    NeverSynced,
    /// A helpdesk's first sync waits for the user's go-ahead: none of its time is booked.
    AwaitingGoAhead {
        /// The helpdesk's key.
        instance: String,
    },
}

impl Blocker {
    /// The blocker in words.
    pub fn describe(&self) -> String {
        let month = |m: &Option<Month>| m.map_or_else(|| "month unknown".into(), |m| m.to_string());
        match self {
            Self::PendingWrite { entry, month: m } => {
                format!(
                    "{entry} ({}): a write to Kimai is still pending; run a sync",
                    month(m)
                )
            }
            Self::Conflict {
                entry,
                conflict,
                month: m,
                ..
            } => format!(
                "{entry} ({}): open conflict {}; decide with `conflicts resolve`",
                month(m),
                serde_json::to_value(conflict)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            Self::Parked {
                entry,
                month: m,
                reason: ParkReason::Refused { refusal },
            } => format!("{entry} ({}): {}", month(m), refusal.summary()),
            Self::Parked {
                entry,
                month: m,
                reason,
            } => format!("{entry} ({}): {}", month(m), park_words(reason)),
            Self::Held { entry, month: m } => format!(
                "{entry} ({}): held after an undo; release it with `conflicts release`",
                month(m)
            ),
            Self::RunningTimesheet { timesheet_id } => {
                format!("timesheet {timesheet_id} is still running; stop it in Kimai")
            }
            Self::UnknownProject {
                timesheet_id,
                project,
            } => format!("timesheet {timesheet_id}: project {project} is unknown to Kimai's list"),
            Self::StaleSync { last_full_sync } => format!(
                "the last complete sync ran at {}; run `timebridge sync` first",
                last_full_sync.format("%Y-%m-%d %H:%M UTC")
            ),
            Self::NeverSynced => "no complete sync has run yet; run `timebridge sync`".into(),
            Self::AwaitingGoAhead { instance } => format!(
                "the first sync of {instance} waits for your go-ahead, so none of its time is \
                 booked; check it with `timebridge sync` and go ahead with `timebridge sync --yes`"
            ),
        }
    }
}

/// Why an entry is parked, with what to do, in words.
pub fn park_words(reason: &ParkReason) -> String {
    match reason {
        ParkReason::NeedsMapping { detail } => {
            format!("no mapping ({detail}); add a rule under Mappings")
        }
        ParkReason::UnappliedCorrection { secs_left, .. } => format!(
            "a correction found nothing to reduce ({secs_left} s left); fix it in Zammad or \
             ignore it"
        ),
        ParkReason::AmbiguousMarker => {
            "two markers in one Kimai description; remove the copied marker in Kimai".into()
        }
        ParkReason::Invalid { detail } => format!("cannot be booked: {detail}"),
        ParkReason::PossibleTwin { twin } => format!(
            "{} in Kimai may be the same work (typed in by hand); say whether it is \
             (`timebridge conflicts twin KEY same|different`)",
            twin.words()
        ),
        ParkReason::UnitChanged { was, now } => format!(
            "the helpdesk's time unit setting changed from {was:?} to {now:?}; confirm the unit \
             with `timebridge connections confirm-unit`"
        ),
        ParkReason::Refused { refusal } => refusal.summary(),
    }
}

/// The blockers by cause, one line each with its count ("8 entries refused by Kimai:
/// project_ended — extend the project's dates…"), in the order first met.
pub fn blocker_causes(blockers: &[Blocker]) -> Vec<String> {
    let mut causes: Vec<(String, u32)> = Vec::new();
    for b in blockers {
        let cause = match b {
            Blocker::Parked {
                reason: ParkReason::Refused { refusal },
                ..
            } => format!(
                "refused by Kimai: {} — {}",
                refusal.code.as_str(),
                refusal.code.fix()
            ),
            Blocker::Parked { reason, .. } => format!("parked: {}", reason.code()),
            Blocker::PendingWrite { .. } => "a write to Kimai is pending; run a sync".into(),
            Blocker::Conflict { conflict, .. } => format!(
                "in conflict ({}); decide under Conflicts",
                serde_json::to_value(conflict)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            Blocker::Held { .. } => "held after an undo; release or ignore".into(),
            other => {
                causes.push((other.describe(), 0));
                continue;
            }
        };
        match causes.iter_mut().find(|(c, n)| *n > 0 && *c == cause) {
            Some((_, n)) => *n += 1,
            None => causes.push((cause, 1)),
        }
    }
    causes
        .into_iter()
        .map(|(cause, n)| match n {
            0 => cause,
            1 => format!("1 entry {cause}"),
            n => format!("{n} entries {cause}"),
        })
        .collect()
}

/// A billing preview of one month and customer scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// `YYYY-MM`.
    pub month: Month,
    /// The customer scope (empty = every customer).
    pub customers: Vec<i64>,
    /// The tag a run writes.
    pub tag: String,
    /// Totals of the timesheets in scope, by customer.
    pub by_customer: Vec<CustomerTotals>,
    /// Totals of every timesheet in scope.
    pub total: Totals,
    /// What a run would tag and export.
    pub to_bill: Vec<ToBill>,
    /// Tagged and exported already (an earlier run).
    pub already_billed: Vec<i64>,
    /// Exported without the tag (billed some other way): left as they are.
    pub already_exported: Vec<i64>,
    /// Zammad vs Kimai, by customer.
    pub reconciliation: Vec<Reconciliation>,
    /// Where every second of the month's Zammad time went, by customer and project.
    pub ledger: Vec<super::ledger::LedgerRow>,
    /// Why billing should wait.
    pub blockers: Vec<Blocker>,
    /// Whether billing this scope leaves every timesheet of the month exported: the month is
    /// then closed for the sync.
    pub closes_month: bool,
}

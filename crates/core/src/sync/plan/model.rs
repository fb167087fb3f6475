//! The planner's inputs and outputs. Plain data: the executor and the store fill the inputs;
//! the UI and CLI show the outputs.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::sync::time::Month;

/// A Zammad time entry, across instances: ids repeat between helpdesks, the pair does not.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceKey {
    /// The Zammad connection's key.
    pub instance: String,
    /// The time accounting id in that instance.
    pub time_accounting_id: i64,
}

/// `acme#4711`: how the history, the CLI and the billing report write an entry.
impl std::fmt::Display for SourceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.instance, self.time_accounting_id)
    }
}

/// Reads `acme#4711` back: a valid instance key, `#`, a time accounting id.
impl std::str::FromStr for SourceKey {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (key, id) = text
            .split_once('#')
            .ok_or_else(|| format!("{text:?} is not <instance>#<id>, e.g. acme#4711"))?;
        let key = crate::sync::entries::InstanceKey::new(key).map_err(|e| e.to_string())?;
        let id: i64 = id
            .parse()
            .map_err(|_| format!("{id:?} is not a time accounting id (a number)"))?;
        Ok(Self {
            instance: key.as_str().to_string(),
            time_accounting_id: id,
        })
    }
}

/// The fields of a timesheet that the sync owns and compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimesheetFields {
    /// Local wall-clock begin in the billing timezone (minute-aligned).
    pub begin: NaiveDateTime,
    /// Local wall-clock end.
    pub end: NaiveDateTime,
    /// Kimai project id.
    pub project: i64,
    /// Kimai activity id.
    pub activity: i64,
    /// The description, marker included.
    pub description: String,
    /// Tag names, sorted.
    pub tags: Vec<String>,
}

impl TimesheetFields {
    /// The month it is billed in: its begin's (wall-clock, billing timezone).
    pub fn month(&self) -> Month {
        Month::of(self.begin.date())
    }

    /// The same fields with tags sorted and de-duplicated, so order never counts as a change.
    pub fn normalized(mut self) -> Self {
        self.tags.sort();
        self.tags.dedup();
        self
    }

    /// The base of a link whose last synced state is not known (rebuilt from Kimai after the
    /// database was lost): 1970-01-01 00:00, project 0, activity 0, no text, no tags. Kimai
    /// ids are never 0, so it never equals a real timesheet: against it both sides always
    /// count as changed — equal sides rebase silently, different sides are a conflict, and
    /// nothing is overwritten or deleted on its strength.
    pub fn unknown() -> Self {
        let begin = chrono::DateTime::UNIX_EPOCH.naive_utc();
        Self {
            begin,
            end: begin,
            project: 0,
            activity: 0,
            description: String::new(),
            tags: Vec::new(),
        }
    }

    /// Whether this is the [`TimesheetFields::unknown`] base.
    pub fn is_unknown(&self) -> bool {
        *self == Self::unknown()
    }
}

/// What Zammad wants for one entry, after mapping, placement, rounding and corrections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desired {
    /// The timesheet as it should be.
    pub fields: TimesheetFields,
    /// The month (billing timezone) the entry belongs to; `YYYY-MM` in JSON.
    pub month: Month,
    /// Zammad's own fields when `fields` are the user's edit of them (a conflict decided with
    /// "edit, then apply"): the link's new source base, so the next run sees Zammad unchanged
    /// and keeps the edit — as "keep Kimai's" does. `None`: `fields` are Zammad's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_from: Option<TimesheetFields>,
}

impl Desired {
    /// What Zammad wants, as the link's source base after this is written.
    pub fn source_fields(&self) -> &TimesheetFields {
        self.edited_from.as_ref().unwrap_or(&self.fields)
    }
}

/// Why an entry is parked for the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ParkReason {
    /// No mapping rule covers the entry's organization / type.
    NeedsMapping {
        /// What is missing, in words.
        detail: String,
    },
    /// A negative entry found nothing to reduce in its month, ticket and type.
    UnappliedCorrection {
        /// Seconds left over.
        secs_left: i64,
        /// The correction's month (`YYYY-MM`, billing timezone); absent in rows stored before
        /// it was kept.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        month: Option<Month>,
    },
    /// The description in Kimai carries two markers (a copied timesheet?).
    AmbiguousMarker,
    /// The entry cannot be turned into a timesheet as it is (an amount too large, a day
    /// that cannot hold its entries…).
    Invalid {
        /// What is wrong, in words.
        detail: String,
    },
    /// The helpdesk's time accounting unit setting changed since the unit was chosen: a new
    /// entry might mean minutes where hours were meant. Held until the user confirms the unit.
    UnitChanged {
        /// The setting when the unit was chosen (`minute`, `hour`, `quarter`, `custom`, ``).
        was: String,
        /// The setting now.
        now: String,
    },
    /// A timesheet without an origin marker probably records the same work (typed in by
    /// hand): the entry waits until the user says "the same work" or "different work"
    /// (`sync::twins`).
    PossibleTwin {
        /// The timesheet and why it looks like a twin.
        twin: crate::sync::twins::Twin,
    },
    /// Kimai refused the entry's write; it is held until something changes
    /// (`sync::refusal`).
    Refused {
        /// Kimai's refusal.
        refusal: Box<crate::sync::refusal::Refusal>,
    },
}

impl ParkReason {
    /// A stable code per reason (a refusal: its refusal code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NeedsMapping { .. } => "needs_mapping",
            Self::UnappliedCorrection { .. } => "unapplied_correction",
            Self::AmbiguousMarker => "ambiguous_marker",
            Self::Invalid { .. } => "invalid",
            Self::UnitChanged { .. } => "unit_changed",
            Self::PossibleTwin { .. } => "possible_twin",
            Self::Refused { refusal } => refusal.code.as_str(),
        }
    }
}

/// The Zammad side of one key this run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SourceSide {
    /// Present and mapped.
    Wanted(Desired),
    /// Present but not syncable now.
    Parked(ParkReason),
    /// Read completely and gone (deleted in Zammad, or corrected to nothing).
    Gone,
    /// Not read completely this run: nothing may be decided from it.
    Unread,
}

/// A Kimai timesheet as read this run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KimaiRecord {
    /// Its fields now.
    pub fields: TimesheetFields,
    /// Exported (billed, locked against edits).
    pub exported: bool,
}

/// The Kimai side of one linked timesheet this run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum KimaiSide {
    /// Kimai has it, as read this run.
    Present(KimaiRecord),
    /// Read completely and gone (deleted in Kimai).
    Gone,
    /// Not read completely this run.
    Unread,
}

/// A link: which timesheet stands for which entry, and the state both sides had when they
/// were last in step (the base of the three-way merge).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The Kimai timesheet; `None` once the user accepted its deletion (a tombstone that keeps
    /// the entry from being created again).
    pub timesheet_id: Option<i64>,
    /// What we last wanted (the Zammad side of the base).
    pub base_source: TimesheetFields,
    /// What Kimai held after our last write or acceptance (the Kimai side of the base).
    pub base_kimai: TimesheetFields,
}

/// The user's decision on a conflict, stored offline and applied at the next run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Write Zammad's version to Kimai.
    TakeZammad,
    /// Keep Kimai's version and take it as the new base.
    KeepKimai,
    /// Create the timesheet again (it was deleted in Kimai).
    Recreate,
    /// Accept that it is gone: never create it again.
    AcceptDeletion,
    /// Leave this entry alone from now on.
    Ignore,
    /// Write these fields (the user edited Zammad's version) and keep them: Zammad's version
    /// becomes the source base, as with [`Resolution::KeepKimai`].
    Edit(TimesheetFields),
}

impl Resolution {
    /// Its stored name (`take_zammad`, …, `edit`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::TakeZammad => "take_zammad",
            Self::KeepKimai => "keep_kimai",
            Self::Recreate => "recreate",
            Self::AcceptDeletion => "accept_deletion",
            Self::Ignore => "ignore",
            Self::Edit(_) => "edit",
        }
    }
}

/// Everything the planner looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    /// The Zammad side per entry (entries not listed count as `Unread`).
    pub source: BTreeMap<SourceKey, SourceSide>,
    /// Links from earlier runs.
    pub links: BTreeMap<SourceKey, Link>,
    /// The Kimai side per linked timesheet id (ids not listed count as `Unread`).
    pub kimai: BTreeMap<i64, KimaiSide>,
    /// Months already billed: their timesheets are never written.
    pub closed_months: BTreeSet<Month>,
    /// The user's pending decisions.
    pub resolutions: BTreeMap<SourceKey, Resolution>,
    /// Entries the user chose to ignore.
    pub ignored: BTreeSet<SourceKey>,
    /// Writes Kimai refused that still hold (the engine leaves out those due for a retry):
    /// the same write is parked again instead of being sent.
    pub refused: BTreeMap<SourceKey, crate::sync::refusal::Refusal>,
}

/// Why the planner could not decide alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Zammad and the user changed the same timesheet differently.
    BothChanged,
    /// The entry changed or vanished in Zammad, but its timesheet is billed (exported or in a
    /// closed month).
    BilledChangedAtSource,
    /// The timesheet was deleted in Kimai while the entry still exists.
    DeletedInKimai,
    /// The entry was deleted in Zammad, but the user had edited its timesheet.
    DeletedAtSourceEditedInKimai,
    /// A new entry belongs to a month that is already billed.
    NewEntryInClosedMonth,
}

/// One decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Create a timesheet (the executor first looks for one carrying the marker).
    Create {
        /// The entry.
        key: SourceKey,
        /// What to create.
        desired: Desired,
    },
    /// Write Zammad's version over an unchanged timesheet.
    Update {
        /// The entry.
        key: SourceKey,
        /// The linked timesheet to overwrite.
        timesheet_id: i64,
        /// Kimai's fields now.
        from: TimesheetFields,
        /// What to write.
        to: Desired,
    },
    /// Delete the timesheet of an entry deleted in Zammad (unchanged in Kimai, not billed).
    Delete {
        /// The entry.
        key: SourceKey,
        /// The linked timesheet to delete.
        timesheet_id: i64,
    },
    /// The user edited the timesheet in Kimai and Zammad did not change: keep the edit, take
    /// it as the new base, say so. No remote write.
    KeepUserEdit {
        /// The entry.
        key: SourceKey,
        /// The linked timesheet whose edit is kept.
        timesheet_id: i64,
        /// Kimai's fields, the new Kimai base.
        kimai: TimesheetFields,
        /// Zammad's wanted fields, the new source base (equal to the old one unless a
        /// resolution accepted Kimai's version of a conflict).
        source: TimesheetFields,
    },
    /// Both sides changed to the same fields: move the base, no remote write.
    Rebase {
        /// The entry.
        key: SourceKey,
        /// The linked timesheet whose base moves.
        timesheet_id: i64,
        /// The fields both sides now agree on (Kimai's version).
        kimai: TimesheetFields,
        /// Zammad's wanted fields.
        source: TimesheetFields,
    },
    /// Both sides are gone, or the user accepted a deletion: drop the link (keeping a
    /// tombstone when `tombstone`).
    ForgetLink {
        /// The entry.
        key: SourceKey,
        /// Keep a tombstone so the entry is never created again.
        tombstone: bool,
    },
    /// Not syncable now; shown to the user.
    Park {
        /// The entry.
        key: SourceKey,
        /// Why.
        reason: ParkReason,
    },
    /// The user must decide.
    Conflict {
        /// The entry.
        key: SourceKey,
        /// The timesheet, if any.
        timesheet_id: Option<i64>,
        /// What kind of conflict.
        kind: ConflictKind,
        /// What Zammad wants now, if anything.
        source: Option<TimesheetFields>,
        /// What Kimai holds now, if anything.
        kimai: Option<TimesheetFields>,
        /// The last synced state, if any.
        base: Option<TimesheetFields>,
    },
}

impl Action {
    /// The entry the action is about.
    pub fn key(&self) -> &SourceKey {
        match self {
            Self::Create { key, .. }
            | Self::Update { key, .. }
            | Self::Delete { key, .. }
            | Self::KeepUserEdit { key, .. }
            | Self::Rebase { key, .. }
            | Self::ForgetLink { key, .. }
            | Self::Park { key, .. }
            | Self::Conflict { key, .. } => key,
        }
    }

    /// Whether carrying it out writes to Kimai.
    pub fn writes_remote(&self) -> bool {
        matches!(
            self,
            Self::Create { .. } | Self::Update { .. } | Self::Delete { .. }
        )
    }

    /// Order among actions of the same key (there is at most one today; kept for stability).
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Self::Delete { .. } => 0,
            Self::Update { .. } => 1,
            Self::Create { .. } => 2,
            Self::KeepUserEdit { .. } | Self::Rebase { .. } | Self::ForgetLink { .. } => 3,
            Self::Park { .. } => 4,
            Self::Conflict { .. } => 5,
        }
    }
}

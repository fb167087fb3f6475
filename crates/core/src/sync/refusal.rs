//! Writes Kimai refused: why, in a code the user and the UI can act on, and when to try again.
//!
//! Kimai refuses a timesheet it will not store (a project that ended, an activity not allowed
//! on the project, a locked period…) with HTTP 400 and a form-error body, or 403 for a record
//! it will not let the user change. Its messages are translated into the user's language, so a
//! refusal is classified by *structure* — the status, which form fields carry errors — and by
//! what the core knows (the project's dates as Kimai lists them, the write's day, today), never
//! by the words. The words are kept and shown as Kimai gave them.
//!
//! A refused entry is parked with its [`Refusal`] instead of being written again at every run:
//! the planner holds it (no write) while the write it would send is the one Kimai refused and
//! the project is as it was ([`Refusal::holds`]); a changed entry, mapping or project, the
//! user's "retry", or a day's wait lets it go out again.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::plan::TimesheetFields;

/// Why Kimai refused a write, as a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// The project's end date lies before the timesheet's day.
    ProjectEnded,
    /// The project's start date lies after the timesheet's day.
    ProjectNotStarted,
    /// The activity may not be booked on the project.
    ActivityNotAllowed,
    /// The customer, project or activity is disabled (or unknown to this user).
    Disabled,
    /// The period is locked in Kimai (lockdown), or the record is exported.
    LockedPeriod,
    /// Kimai does not allow overlapping timesheets.
    Overlap,
    /// Kimai does not allow times in the future.
    FutureTime,
    /// The timesheet is longer than Kimai allows.
    TooLong,
    /// The Kimai user may not do this.
    Permission,
    /// Anything else: Kimai's words say what.
    Other,
}

impl RefusalCode {
    /// The code as stored and shown (`project_ended`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProjectEnded => "project_ended",
            Self::ProjectNotStarted => "project_not_started",
            Self::ActivityNotAllowed => "activity_not_allowed",
            Self::Disabled => "disabled",
            Self::LockedPeriod => "locked_period",
            Self::Overlap => "overlap",
            Self::FutureTime => "future_time",
            Self::TooLong => "too_long",
            Self::Permission => "permission",
            Self::Other => "other",
        }
    }

    /// What the user can do about it, in words.
    pub fn fix(self) -> &'static str {
        match self {
            Self::ProjectEnded | Self::ProjectNotStarted => {
                "extend the project's dates in Kimai, or map the entry to another project"
            }
            Self::ActivityNotAllowed => {
                "allow the activity on the project in Kimai, or map the entry's type to another activity"
            }
            Self::Disabled => {
                "enable the customer, project and activity in Kimai, or map the entry elsewhere"
            }
            Self::LockedPeriod => {
                "ask your Kimai admin to unlock the period, or ignore the entry"
            }
            Self::Overlap => "allow overlapping timesheets in Kimai, or move the other timesheet",
            Self::FutureTime => "allow future times in Kimai, or wait until the time has come",
            Self::TooLong => "split the entry in Zammad, or raise Kimai's limit",
            Self::Permission => "ask your Kimai admin for the permission, or ignore the entry",
            Self::Other => "read Kimai's answer; fix the cause, then retry or ignore the entry",
        }
    }
}

/// A project as Kimai listed it when a write about it was refused: a change here (new dates,
/// shown again) may lift the refusal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectState {
    /// First day, if limited.
    pub start: Option<NaiveDate>,
    /// Last day, if limited.
    pub end: Option<NaiveDate>,
    /// Shown (not disabled).
    pub visible: bool,
    /// Whether global activities may be booked on it.
    #[serde(default = "yes")]
    pub global_activities: bool,
}

fn yes() -> bool {
    true
}

/// Kimai's answer to a refused write, as far as it says anything: the HTTP status, the form
/// fields with errors (dotted paths) and its messages (translated; shown, never matched).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KimaiAnswer {
    /// HTTP status.
    pub status: u16,
    /// Form fields with errors, as Kimai named them.
    pub fields: Vec<String>,
    /// The messages as Kimai gave them (fields' and form-wide).
    pub messages: Vec<String>,
}

/// One refused write, stored with the entry until it is booked or the user decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// Why, as a code.
    pub code: RefusalCode,
    /// What Kimai answered.
    pub answer: KimaiAnswer,
    /// The write Kimai refused: the same write is not sent again unless something changed.
    pub write: TimesheetFields,
    /// The project as Kimai listed it then, where it was read.
    pub project: Option<ProjectState>,
    /// When.
    pub refused_at: DateTime<Utc>,
}

/// How long a refusal holds when nothing changes: then the write is tried once more.
pub const RETRY_AFTER: Duration = Duration::hours(24);

impl Refusal {
    /// Whether the planner keeps holding the write: it is the refused one, the project (where
    /// known now) is as it was, and the refusal is younger than [`RETRY_AFTER`].
    pub fn holds(
        &self,
        write: &TimesheetFields,
        project_now: Option<&ProjectState>,
        now: DateTime<Utc>,
    ) -> bool {
        let project_same = match (self.project.as_ref(), project_now) {
            (Some(then), Some(now)) => then == now,
            _ => true,
        };
        *write == self.write && project_same && now - self.refused_at < RETRY_AFTER
    }

    /// One line for the user: code, Kimai's words, the fix.
    pub fn summary(&self) -> String {
        let words = if self.answer.messages.is_empty() {
            format!("HTTP {}", self.answer.status)
        } else {
            self.answer.messages.join("; ")
        };
        format!(
            "refused by Kimai ({}): {words} — {}",
            self.code.as_str(),
            self.code.fix()
        )
    }
}

/// Classifies Kimai's refusal of `write` (on `day`, the timesheet's local day), knowing the
/// project as Kimai lists it now (if read) and `today` in the billing timezone. `change` is
/// whether the write changed an existing record (403 then means exported or locked).
pub fn classify(
    answer: &KimaiAnswer,
    change: bool,
    day: NaiveDate,
    project: Option<&ProjectState>,
    today: NaiveDate,
) -> RefusalCode {
    let has = |name: &str| {
        answer
            .fields
            .iter()
            .any(|f| f == name || f.starts_with(&format!("{name}.")))
    };
    match answer.status {
        403 if change => return RefusalCode::LockedPeriod,
        403 => return RefusalCode::Permission,
        400 => {}
        _ => return RefusalCode::Other,
    }
    if let Some(p) = project {
        if p.end.is_some_and(|end| day > end) {
            return RefusalCode::ProjectEnded;
        }
        if p.start.is_some_and(|start| day < start) {
            return RefusalCode::ProjectNotStarted;
        }
        if !p.visible && has("project") {
            return RefusalCode::Disabled;
        }
    }
    if has("activity") {
        return RefusalCode::ActivityNotAllowed;
    }
    if has("project") || has("customer") {
        return RefusalCode::Disabled;
    }
    if has("duration") {
        return RefusalCode::TooLong;
    }
    if has("begin") || has("end") {
        // The times are refused: in the future (Kimai may forbid that), or — the project's
        // dates being fine as read — overlapping another record. Without the project's dates
        // the cause is not known: Kimai's words say it.
        return if day > today {
            RefusalCode::FutureTime
        } else if project.is_some() {
            RefusalCode::Overlap
        } else {
            RefusalCode::Other
        };
    }
    // A refusal on the form as a whole, not a field: on a new record that is the lockdown
    // (its error names a field the API form does not have).
    if answer.fields.is_empty() && !answer.messages.is_empty() && !change {
        return RefusalCode::LockedPeriod;
    }
    RefusalCode::Other
}

#[cfg(test)]
#[path = "tests_refusal.rs"]
mod tests;

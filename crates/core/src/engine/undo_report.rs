//! What an undo did and did not do, entry by entry, with a reason the UI and the CLI can
//! branch on (serialized snake_case) and a sentence for people.

use serde::Serialize;

use crate::store::audit::{AuditAction, AuditEvent};
use crate::store::runs::RunOutcome;
use crate::sync::plan::SourceKey;

/// How one write of the run was reversed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum UndoStep {
    /// The timesheet the run created was deleted.
    Deleted,
    /// The timesheet the run updated got its earlier fields back.
    Restored,
    /// The timesheet the run deleted was created again (a new id).
    Recreated {
        /// The new timesheet.
        timesheet_id: i64,
    },
    /// The timesheet the run created had been deleted in Kimai since; only the link went.
    AlreadyGone,
    /// An earlier undo of this run already reversed it.
    AlreadyUndone,
}

/// Why one write of the run was not reversed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum WhyNot {
    /// The timesheet is exported (billed): never touched.
    Exported,
    /// Someone changed the timesheet in Kimai after the run.
    ChangedInKimai,
    /// The timesheet was deleted in Kimai after the run.
    DeletedInKimai,
    /// A later run or a decision moved the entry on; undo that first.
    ChangedSince,
    /// The month is closed (billed) in Timebridge.
    MonthClosed,
    /// Kimai refused: the timesheet is in a locked period.
    Locked,
    /// Kimai refused the write.
    Rejected {
        /// What Kimai said.
        message: String,
    },
    /// The write failed in a way that may be temporary; the undo stopped here.
    Failed {
        /// What went wrong.
        message: String,
    },
    /// The undo stopped before reaching this entry; undo the run again to carry on.
    NotAttempted,
    /// The run deleted the timesheet, but the entry's Zammad ticket was not recorded (runs
    /// before schema v3): created again, the timesheet could never follow the entry.
    TicketUnknown,
}

impl std::fmt::Display for WhyNot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exported => {
                f.write_str("the timesheet is exported (billed); it is never touched")
            }
            Self::ChangedInKimai => f.write_str("the timesheet was changed in Kimai after the run"),
            Self::DeletedInKimai => f.write_str("the timesheet was deleted in Kimai after the run"),
            Self::ChangedSince => f.write_str(
                "a later run or a decision changed this entry since; undo the later run first",
            ),
            Self::MonthClosed => f.write_str("its month is closed for billing"),
            Self::Locked => f.write_str("Kimai refused: the timesheet is in a locked period"),
            Self::Rejected { message } => write!(f, "Kimai refused: {message}"),
            Self::Failed { message } => write!(f, "stopped: {message}"),
            Self::TicketUnknown => f.write_str(
                "the entry's Zammad ticket is not recorded (a run before this version), so a \
                 timesheet created again could never follow the entry",
            ),
            Self::NotAttempted => {
                f.write_str("not attempted (the undo stopped earlier); undo the run again")
            }
        }
    }
}

/// One reversed write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undone {
    /// The Zammad entry whose timesheet the run wrote.
    pub key: SourceKey,
    /// The timesheet the run wrote.
    pub timesheet_id: Option<i64>,
    /// What the run did.
    pub action: AuditAction,
    /// How it was reversed.
    #[serde(flatten)]
    pub step: UndoStep,
}

impl Undone {
    pub(super) fn of(event: &AuditEvent, step: UndoStep) -> Self {
        Self {
            key: event.entry.key.clone(),
            timesheet_id: event.entry.timesheet_id,
            action: event.entry.action,
            step,
        }
    }
}

/// One write left as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotUndone {
    /// The Zammad entry whose timesheet the run wrote.
    pub key: SourceKey,
    /// The timesheet the run wrote.
    pub timesheet_id: Option<i64>,
    /// What the run did.
    pub action: AuditAction,
    /// Why it stays.
    #[serde(flatten)]
    pub why: WhyNot,
}

/// The result of an undo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UndoReport {
    /// The undo's own run id.
    pub run_id: i64,
    /// The run it reverses.
    pub undoes_run: i64,
    /// `ok`, or `offline`/`failed` when it stopped early.
    pub outcome: RunOutcome,
    /// Why it stopped early.
    pub error: Option<String>,
    /// What was reversed (each entry is now held until released).
    pub undone: Vec<Undone>,
    /// What was not, and why.
    pub not_undone: Vec<NotUndone>,
}

impl UndoReport {
    pub(super) fn new(run_id: i64, undoes_run: i64) -> Self {
        Self {
            run_id,
            undoes_run,
            outcome: RunOutcome::Ok,
            error: None,
            undone: Vec::new(),
            not_undone: Vec::new(),
        }
    }

    pub(super) fn not(&mut self, event: &AuditEvent, why: WhyNot) {
        self.not_undone.push(NotUndone {
            key: event.entry.key.clone(),
            timesheet_id: event.entry.timesheet_id,
            action: event.entry.action,
            why,
        });
    }
}

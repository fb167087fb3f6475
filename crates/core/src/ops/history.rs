//! What past runs did, read the same way by the desktop's history page and `timebridge
//! runs`: one cap on how many runs a list holds, and one answer for a run that does not
//! exist (an error, never an empty list that reads as "it wrote nothing").

use super::{OpError, Workspace};
use crate::sync::plan::SourceKey;
use crate::sync::refusal::Refusal;
use crate::{AuditEvent, RunRow};

/// The most runs one list holds (the newest ones).
pub const MAX_RUNS_LISTED: u32 = 500;

/// One run with everything it recorded.
#[derive(Clone, Debug)]
pub struct RunDetail {
    /// The run itself (when, how, how it ended, its counts).
    pub run: RunRow,
    /// What it wrote, in the order it happened.
    pub events: Vec<AuditEvent>,
    /// The writes Kimai refused in it, by entry.
    pub refused: Vec<(SourceKey, Refusal)>,
}

impl Workspace<'_> {
    /// The newest `limit` runs, newest first; `limit` is kept between 1 and
    /// [`MAX_RUNS_LISTED`].
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>, OpError> {
        Ok(self.store.runs(limit.clamp(1, MAX_RUNS_LISTED))?)
    }

    /// Run `id` with its audit events and refusals; [`OpError::NoSuchRun`] when there is
    /// none.
    pub fn run_detail(&self, id: i64) -> Result<RunDetail, OpError> {
        let run = self.store.run(id)?.ok_or(OpError::NoSuchRun(id))?;
        Ok(RunDetail {
            run,
            events: self.store.audit_for_run(id)?,
            refused: self.store.refusals_for_run(id)?,
        })
    }
}

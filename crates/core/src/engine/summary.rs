//! A finished run as the scheduler sees it (writes, conflicts, offline, or an error): one
//! definition for the desktop's scheduled job and the CLI's `schedule` command.

use super::RunReport;
use crate::schedule::{JobError, RunSummary};
use crate::RunOutcome;

impl RunReport {
    /// The scheduler's view of this run: a summary when it ended ok or offline, else the
    /// run's error (permanent: the next tick tries again anyway).
    pub fn summary(&self) -> Result<RunSummary, JobError> {
        let c = &self.counts;
        let summary = RunSummary {
            writes: c.created + c.updated + c.deleted,
            conflicts: c.conflicts,
            refused: c.refused,
            kimai_rounds_first: self.kimai_adjusted_first,
            offline: self.outcome == RunOutcome::Offline,
        };
        match self.outcome {
            RunOutcome::Ok | RunOutcome::Offline => Ok(summary),
            _ => Err(JobError::permanent(
                self.error
                    .clone()
                    .unwrap_or_else(|| "the run did not finish".into()),
            )),
        }
    }
}

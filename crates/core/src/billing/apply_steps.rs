//! Carrying a billing run's journal out, record by record: each step read from Kimai first
//! (`next_step`), written, then recorded in the journal before the next one. A definite
//! refusal fails that record; a failure that may have reached Kimai stops the run as it
//! stands, so the next apply resumes it.

use timebridge_kimai::{KimaiError, TimesheetPatch};

use super::apply::ApplyReport;
use super::plan::{next_step, Step};
use super::{billing_tag, Billing, BillingError, JournalRow, JournalState, RunState, Sheet};

fn definite(e: &KimaiError) -> bool {
    matches!(
        e,
        KimaiError::Validation { .. }
            | KimaiError::BadRequest { .. }
            | KimaiError::Forbidden { .. }
            | KimaiError::Locked
            | KimaiError::NotFound
    )
}

impl Billing<'_> {
    fn set_row(
        &self,
        row: &JournalRow,
        state: JournalState,
        after: Option<&Sheet>,
        error: Option<&str>,
    ) -> Result<(), BillingError> {
        Ok(self
            .store
            .write(|w| w.set_billing_row(row.run_id, row.timesheet_id, state, after, error))?)
    }

    /// Stops the run on a failure that may have reached Kimai (or Kimai unreachable): the
    /// journal stays as it is and the next apply resumes.
    fn stop(&self, run_id: i64, e: KimaiError) -> BillingError {
        let text = format!("Kimai: {e}");
        if let Err(store) = self
            .store
            .write(|w| w.set_billing_run_state(run_id, RunState::Running, Some(&text)))
        {
            return store.into();
        }
        BillingError::kimai(e, Some(run_id))
    }

    pub(super) async fn carry_out(
        &self,
        run_id: i64,
        report: &mut ApplyReport,
    ) -> Result<(), BillingError> {
        let tag = billing_tag(&report.preview.month);
        let rows = self.store.billing_journal(run_id)?;
        let mut exports_ok = rows
            .iter()
            .any(|r| matches!(r.state, JournalState::Exported | JournalState::Done));
        let open = rows.into_iter().filter(|r| {
            matches!(
                r.state,
                JournalState::Planned | JournalState::Tagged | JournalState::Failed
            )
        });
        for mut row in open {
            let id = row.timesheet_id as u64;
            let mut current = match self.kimai.timesheet(id).await {
                Ok(ts) => Sheet::from_kimai(&ts, self.tz),
                Err(e) if definite(&e) => {
                    self.fail_row(&row, &e, report)?;
                    continue;
                }
                Err(e) => return Err(self.stop(run_id, e)),
            };
            loop {
                match next_step(&current, &tag) {
                    Step::Tag(tags) => {
                        let patch = TimesheetPatch {
                            tags: Some(tags),
                            ..TimesheetPatch::default()
                        };
                        match self.kimai.update_timesheet(id, &patch).await {
                            Ok(ts) => current = Sheet::from_kimai(&ts, self.tz),
                            Err(e) if definite(&e) => {
                                self.fail_row(&row, &e, report)?;
                                break;
                            }
                            Err(e) => return Err(self.stop(run_id, e)),
                        }
                        report.tagged += 1;
                        self.set_row(&row, JournalState::Tagged, None, None)?;
                        row.state = JournalState::Tagged;
                    }
                    Step::Export => match self.kimai.ensure_exported(id, true).await {
                        Ok(ts) => {
                            current = Sheet::from_kimai(&ts, self.tz);
                            report.exported += 1;
                            exports_ok = true;
                        }
                        Err(e @ (KimaiError::Locked | KimaiError::Forbidden { .. }))
                            if !exports_ok =>
                        {
                            let err = BillingError::NoExportPermission {
                                run_id,
                                timesheet_id: row.timesheet_id,
                            };
                            tracing::warn!(error = %e, "export refused");
                            self.store.write(|w| {
                                w.set_billing_run_state(
                                    run_id,
                                    RunState::Failed,
                                    Some(&err.to_string()),
                                )
                            })?;
                            return Err(err);
                        }
                        Err(e) if definite(&e) => {
                            self.fail_row(&row, &e, report)?;
                            break;
                        }
                        Err(e) => return Err(self.stop(run_id, e)),
                    },
                    Step::Nothing => {
                        self.set_row(&row, JournalState::Exported, Some(&current), None)?;
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    fn fail_row(
        &self,
        row: &JournalRow,
        e: &KimaiError,
        report: &mut ApplyReport,
    ) -> Result<(), BillingError> {
        let text = e.to_string();
        report.failed.push(super::RowFailure {
            timesheet_id: row.timesheet_id,
            error: text.clone(),
        });
        self.set_row(row, JournalState::Failed, None, Some(&text))
    }
}

//! Carrying a billing run's journal out, record by record: each step decided from Kimai's
//! state as last seen — the month's listing read at the start of this apply (a `GET` for a
//! record no longer in it), then each write's own answer — written, then recorded in the
//! journal before the record's next step. The export endpoint toggles, so it is sent only on
//! state read right before it: the tag write's answer, else a fresh `GET`. Kimai has no bulk endpoint, so records are carried
//! out [`WINDOW`] at a time (the transport bounds the requests in flight per server); every
//! record is journaled on its own, so a crash with several writes in flight leaves each of
//! them resumable like a single one. A definite refusal fails that record; a failure that may
//! have reached Kimai stops the run as it stands (records in flight finish first), so the next
//! apply resumes it.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::stream::{self, StreamExt};
use timebridge_kimai::{KimaiError, Timesheet, TimesheetPatch};

use super::apply::{ApplyReport, RowFailure};
use super::plan::{next_step, Step};
use super::{billing_tag, Billing, BillingError, JournalRow, JournalState, RunState, Sheet};

/// Records in progress at once. The transport's bound (`HttpConfig::max_concurrency`, 4 by
/// default) limits the requests actually in flight; twice that keeps it busy while a record's
/// journal step is committed.
const WINDOW: usize = 8;

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

/// How one record ended in this apply.
enum End {
    /// Tagged and exported (journal `exported`).
    Billed,
    /// Kimai refused it (journal `failed`).
    Failed(RowFailure),
    /// A failure that may have reached Kimai: the run stops as it stands.
    Stop(KimaiError),
    /// The first export was refused: the user may not export.
    NoPermission(i64, KimaiError),
    /// Not started (the run was stopping).
    Skipped,
}

/// One record's outcome and the writes it made.
struct Outcome {
    end: End,
    tagged: u32,
    exported: u32,
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

    /// Journals a definite refusal of `row`.
    fn refused(&self, row: &JournalRow, e: &KimaiError) -> Result<End, BillingError> {
        let error = e.to_string();
        self.set_row(row, JournalState::Failed, None, Some(&error))?;
        Ok(End::Failed(RowFailure {
            timesheet_id: row.timesheet_id,
            error,
        }))
    }

    /// The record as Kimai holds it now, or how its billing ends: refused when Kimai says
    /// so for good (gone, forbidden), the run stopped when Kimai cannot be asked.
    async fn read_one(&self, row: &JournalRow) -> Result<Result<Sheet, End>, BillingError> {
        match self.kimai.timesheet(row.timesheet_id).await {
            Ok(ts) => Ok(Ok(Sheet::from_kimai(&ts, self.tz))),
            Err(e) if definite(&e) => Ok(Err(self.refused(row, &e)?)),
            Err(e) => Ok(Err(End::Stop(e))),
        }
    }

    /// Writes the record's tags (the run's added); its journal row is marked tagged once
    /// Kimai stored them.
    async fn tag(
        &self,
        row: &JournalRow,
        tags: Vec<String>,
    ) -> Result<Result<Timesheet, KimaiError>, BillingError> {
        let patch = TimesheetPatch {
            tags: Some(tags),
            ..TimesheetPatch::default()
        };
        let r = self.kimai.update_timesheet(row.timesheet_id, &patch).await;
        if r.is_ok() {
            self.set_row(row, JournalState::Tagged, None, None)?;
        }
        Ok(r)
    }

    /// Tags and exports one record. `listed` is the record in this apply's month listing;
    /// `first_export` says no export has gone through yet (a refusal then means the user may
    /// not export).
    async fn bill_one(
        &self,
        row: JournalRow,
        listed: Option<Sheet>,
        tag: &str,
        first_export: bool,
    ) -> Result<Outcome, BillingError> {
        let id = row.timesheet_id;
        let mut out = Outcome {
            end: End::Billed,
            tagged: 0,
            exported: 0,
        };
        let mut current = match listed {
            Some(sheet) => sheet,
            None => match self.read_one(&row).await? {
                Ok(sheet) => sheet,
                Err(end) => {
                    out.end = end;
                    return Ok(out);
                }
            },
        };
        // The answer of this record's previous write: Kimai's state right before the next step.
        let mut answer: Option<Timesheet> = None;
        loop {
            let result = match next_step(&current, tag) {
                Step::Tag(_) if out.tagged > 0 => {
                    // Kimai dropped the tag (it drops unknown names silently): never loop.
                    let e = KimaiError::Decode {
                        path: "tags".into(),
                        message: format!("{tag} missing after the tag write"),
                    };
                    out.end = self.refused(&row, &e)?;
                    return Ok(out);
                }
                Step::Tag(tags) => {
                    let r = self.tag(&row, tags).await?;
                    out.tagged += u32::from(r.is_ok());
                    r
                }
                // Toggles only when the record is not exported (never blindly), on the state
                // the tag write just returned, else on a fresh read (the listing may be old).
                Step::Export => {
                    let r = match &answer {
                        Some(ts) => self.kimai.ensure_exported_from(ts, true).await,
                        None => self.kimai.ensure_exported(id, true).await,
                    };
                    if let Err(e @ (KimaiError::Locked | KimaiError::Forbidden { .. })) = r {
                        if first_export {
                            out.end = End::NoPermission(row.timesheet_id, e);
                            return Ok(out);
                        }
                        out.end = self.refused(&row, &e)?;
                        return Ok(out);
                    }
                    out.exported += u32::from(r.is_ok());
                    r
                }
                Step::Nothing => {
                    self.set_row(&row, JournalState::Exported, Some(&current), None)?;
                    return Ok(out);
                }
            };
            match result {
                Ok(ts) => {
                    current = Sheet::from_kimai(&ts, self.tz);
                    answer = Some(ts);
                }
                Err(e) if definite(&e) => {
                    out.end = self.refused(&row, &e)?;
                    return Ok(out);
                }
                Err(e) => {
                    out.end = End::Stop(e);
                    return Ok(out);
                }
            }
        }
    }

    /// Carries out every open row of `run_id`: one at a time until an export has gone
    /// through (a refusal of the first export stops the run: the user may not export), then
    /// [`WINDOW`] at a time. `listed` is the month as this apply read it.
    pub(super) async fn carry_out(
        &self,
        run_id: i64,
        listed: &[Sheet],
        report: &mut ApplyReport,
    ) -> Result<(), BillingError> {
        let tag = billing_tag(report.preview.month);
        let rows = self.store.billing_journal(run_id)?;
        let mut exports_ok = rows
            .iter()
            .any(|r| matches!(r.state, JournalState::Exported | JournalState::Done));
        let listed: BTreeMap<i64, &Sheet> = listed.iter().map(|s| (s.id, s)).collect();
        let sheet = |row: &JournalRow| listed.get(&row.timesheet_id).map(|s| (*s).clone());
        let mut open: VecDeque<JournalRow> = rows
            .into_iter()
            .filter(|r| {
                matches!(
                    r.state,
                    JournalState::Planned | JournalState::Tagged | JournalState::Failed
                )
            })
            .collect();
        let mut stopped = None;
        while !exports_ok && stopped.is_none() {
            let Some(row) = open.pop_front() else {
                break;
            };
            let listed = sheet(&row);
            let out = self.bill_one(row, listed, &tag, true).await?;
            exports_ok = out.exported > 0;
            stopped = self.settle(run_id, out, report)?;
        }
        if stopped.is_none() {
            let stopping = AtomicBool::new(false);
            let mut done = stream::iter(open)
                .map(|row| {
                    let (listed, tag, stopping) = (sheet(&row), &tag, &stopping);
                    async move {
                        if stopping.load(Ordering::Relaxed) {
                            return Ok(Outcome {
                                end: End::Skipped,
                                tagged: 0,
                                exported: 0,
                            });
                        }
                        self.bill_one(row, listed, tag, false).await
                    }
                })
                .buffer_unordered(WINDOW);
            while let Some(out) = done.next().await {
                let stop = self.settle(run_id, out?, report)?;
                if stop.is_some() && stopped.is_none() {
                    stopping.store(true, Ordering::Relaxed);
                    stopped = stop;
                }
            }
        }
        match stopped {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Adds one record's outcome to the report; `Some` when the run must stop.
    fn settle(
        &self,
        run_id: i64,
        out: Outcome,
        report: &mut ApplyReport,
    ) -> Result<Option<BillingError>, BillingError> {
        report.tagged += out.tagged;
        report.exported += out.exported;
        match out.end {
            End::Billed | End::Skipped => Ok(None),
            End::Failed(failure) => {
                report.failed.push(failure);
                Ok(None)
            }
            End::Stop(e) => Ok(Some(self.stop(run_id, e))),
            End::NoPermission(timesheet_id, e) => {
                let err = BillingError::NoExportPermission {
                    run_id,
                    timesheet_id,
                };
                tracing::warn!(error = %e, "export refused");
                self.store.write(|w| {
                    w.set_billing_run_state(run_id, RunState::Failed, Some(&err.to_string()))
                })?;
                Ok(Some(err))
            }
        }
    }
}

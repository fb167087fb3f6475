//! Scenario (d): a month-end billing run over one closed month of the bench data set.
//!
//! Setup (unmeasured, zero latency): the first sync of the whole data set at T, so October
//! 2026 (the previous month at T in the billing timezone) holds its ~5,200 synced
//! timesheets, all linked, with a complete sync minutes old. The measured part is the real
//! `Billing::apply` of the core (preflight, tag created, the journal, then per timesheet the
//! tag write and the export toggle) for all customers, with an override reason: the data set's
//! unmapped organization leaves parked entries in October, which block a billing run unless a
//! reason is recorded (they do not change what is written). The consultant's Kimai user is
//! promoted to teamlead after the sync: a plain user may not export (Kimai's defaults).

use std::collections::BTreeSet;

use chrono::Duration;
use timebridge_core::billing::{default_month, Billing, RunState, DEFAULT_STALE_AFTER};
use timebridge_core::engine::Mode;
use timebridge_core::RunTrigger;
use timebridge_simulators::kimai::Role;

use super::{Done, Necessary};
use crate::data;
use crate::world::{World, TZ};
use crate::BenchError;

/// Minutes after T at which the billing run starts (the sync of T is then fresh).
const AT_MINUTES: i64 = 5;

/// The reason recorded for billing despite the parked entries.
const REASON: &str = "bench: parked entries of an unmapped organization";

fn billing(w: &World) -> Billing<'_> {
    Billing {
        store: &w.store,
        kimai: &w.kimai,
        tz: TZ,
        data_dir: w.data_dir().to_path_buf(),
        stale_after: DEFAULT_STALE_AFTER,
    }
}

/// The first sync at T (full), as in (a).
pub async fn setup(w: &World) -> Result<(), BenchError> {
    let at = data::now();
    w.set_clock(at);
    let r = w.engine().run(at, Mode::Apply, RunTrigger::Cli).await?;
    if r.outcome != timebridge_core::RunOutcome::Ok {
        return Err(BenchError::Setup(format!(
            "first sync: {:?}: {}",
            r.outcome,
            r.error.unwrap_or_default()
        )));
    }
    // Exporting needs `edit_export`: the consultant's Kimai user is a teamlead from here on.
    w.promote(Role::Teamlead);
    w.set_clock(at + Duration::minutes(AT_MINUTES));
    Ok(())
}

/// The measured billing run; checks that every timesheet of the month was billed once.
pub async fn run(w: &World) -> Result<Done, BenchError> {
    let now = data::now() + Duration::minutes(AT_MINUTES);
    let month = default_month(TZ, now);
    let r = billing(w)
        .apply(month, &BTreeSet::new(), Some(REASON), now)
        .await
        .map_err(|e| BenchError::Run(format!("billing {month}: {e}")))?;
    let billed = r.billed.len() as u32;
    let in_month = r.preview.to_bill.len() as u32;
    if r.state != Some(RunState::Done)
        || !r.month_closed
        || r.tagged != billed
        || r.exported != billed
        || billed != in_month
        || !r.failed.is_empty()
    {
        return Err(BenchError::Run(format!(
            "billing {month}: state {:?}, closed {}, {} to bill, {billed} billed, {} tag writes, \
             {} exports, {} refused",
            r.state,
            r.month_closed,
            in_month,
            r.tagged,
            r.exported,
            r.failed.len()
        )));
    }
    Ok(Done {
        full: true,
        billed,
        ..Done::default()
    })
}

/// The consultant's synced timesheets in the billed month (October 2026), from the data set:
/// their mapped entries there (the generator books working hours, so the UTC date is the
/// Berlin date).
pub fn month_size(w: &World) -> u64 {
    let month = default_month(TZ, data::now() + Duration::minutes(AT_MINUTES));
    w.entries
        .iter()
        .filter(|e| e.by == data::CONSULTANT && e.ticket as usize <= w.spec.tickets)
        .filter(|e| month.contains(e.at.with_timezone(&TZ).date_naive()))
        .count() as u64
}

/// Billing's necessary requests for `n` timesheets in the month (Kimai only).
///
/// Preflight: `me` (the timezone check), customers, projects, activities (names and each
/// project's customer), the month's listing pages of 500 (state and scope of every record),
/// `GET tags` and `POST tags` (Kimai drops unknown tag names silently, so the tag must exist
/// first). Per timesheet, as Kimai has no bulk endpoint: the tag `PATCH` (other tags kept)
/// and the export toggle — its state read right before it is the tag write's answer, so no
/// separate read is necessary.
pub fn necessary(n: u64) -> Necessary {
    let pages = n.div_ceil(500).max(1);
    Necessary {
        kimai: 4 + pages + 2 + 2 * n,
        zammad: 0,
        why: format!(
            "Kimai: me + customers + projects + activities + {pages} listing pages of the \
             month + GET tags + POST tags + {n} tag PATCHes + {n} export toggles"
        ),
    }
}

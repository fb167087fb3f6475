//! What a full run costs with 1, 6 and 24 open months (docs/performance.md): a consultant who
//! never bills through Timebridge and set "book time from" far back. Per month 1,000 entries on
//! 100 tickets of their own (a ticket lives about a month), mapped; the runs:
//!
//! 1. the first sync at T (a deep run: every open month read completely, everything booked);
//! 2. a full run with nothing changed an hour later: the months the first run read after they
//!    had ended are settled and not listed again (`engine::settled`);
//! 3. a full run with nothing changed eight days later: a deep run again (at least weekly).
//!
//! Each run's wall time and requests are printed; nothing is asserted (speed is measured by the
//! benchmark, not by timed tests).

use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use timebridge_core::engine::Mode;
use timebridge_core::RunTrigger;

use crate::data::{DataSpec, GenEntry, CONSULTANT};
use crate::world::World;
use crate::BenchError;

/// Entries booked per month.
pub const PER_MONTH: usize = 1_000;
/// Tickets per month (each month's work on tickets of its own).
pub const TICKETS_PER_MONTH: usize = 100;

/// One measured run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunCost {
    /// Which run.
    pub run: &'static str,
    /// Wall time (ms).
    pub wall_ms: f64,
    /// Requests to Kimai.
    pub kimai: u64,
    /// Requests to Zammad.
    pub zammad: u64,
    /// Timesheets written.
    pub writes: u32,
}

/// The three runs for `months` open months (before the current one).
#[derive(Clone, Debug, serde::Serialize)]
pub struct OpenMonths {
    /// Open months before the current one.
    pub months: u32,
    /// Entries in all.
    pub entries: usize,
    /// The runs.
    pub runs: Vec<RunCost>,
}

/// The first run's instant: 10 November 2026, 12:00 UTC (eight days later is still November).
fn first_run() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 10, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

fn month_start(back: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    first
        .checked_sub_months(chrono::Months::new(back))
        .unwrap_or(first)
}

/// `PER_MONTH` entries in each of the `months` months before November 2026 and in November
/// up to the 9th, on working hours; month `m`'s entries on its own tickets.
fn entries(months: u32) -> (DataSpec, Vec<GenEntry>) {
    let mut out = Vec::new();
    for (m, back) in (0..=months).rev().enumerate() {
        let start = month_start(back);
        let days: Vec<NaiveDate> = start
            .iter_days()
            .take_while(|d| d.month() == start.month() && (back > 0 || d.day() <= 9))
            .filter(|d| d.weekday().number_from_monday() <= 5)
            .collect();
        let n = if back == 0 { PER_MONTH / 3 } else { PER_MONTH };
        for i in 0..n {
            let day = days[i * days.len() / n];
            let minute = (i * 480 / n.max(1) * 7) % 480;
            let at = Utc.from_utc_datetime(&day.and_hms_opt(7, 0, 0).unwrap_or_default())
                + Duration::minutes(minute as i64);
            let id = out.len() as i64 + 1;
            out.push(GenEntry {
                id,
                ticket: (m * TICKETS_PER_MONTH + i % TICKETS_PER_MONTH) as i64 + 1,
                minutes: Decimal::from(5 + (id * 37) % 116),
                type_id: 1 + id % 2,
                by: CONSULTANT,
                at,
            });
        }
    }
    let tickets = (months as usize + 1) * TICKETS_PER_MONTH;
    let spec = DataSpec {
        entries: out.len(),
        tickets,
        unmapped_tickets: 1,
        unmapped_entries: 0,
        other_entries: 0,
        old_entries: 0,
    };
    (spec, out)
}

async fn measured(w: &World, run: &'static str, at: DateTime<Utc>) -> Result<RunCost, BenchError> {
    w.set_clock(at);
    w.reset_counts();
    let start = Instant::now();
    let report = w.engine().run(at, Mode::Apply, RunTrigger::Cli).await?;
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    if report.outcome != timebridge_core::RunOutcome::Ok {
        return Err(BenchError::Run(format!("{run}: {:?}", report.error)));
    }
    Ok(RunCost {
        run,
        wall_ms,
        kimai: w.kimai_sim.knobs().total_requests(),
        zammad: w.zammad_sim.knobs().total_requests(),
        writes: report.counts.created + report.counts.updated + report.counts.deleted,
    })
}

/// Measures the three runs with `months` open months.
pub async fn measure(
    months: u32,
    latency: std::time::Duration,
    concurrency: usize,
) -> Result<OpenMonths, BenchError> {
    let (spec, all) = entries(months);
    let count = all.len();
    let w = World::with_entries(spec, all, concurrency).await?;
    w.store.set_book_from(month_start(months))?;
    w.set_latency(latency);
    let t = first_run();
    let runs = vec![
        measured(&w, "first sync (deep)", t).await?,
        measured(
            &w,
            "nothing changed, 1 h later (settled)",
            t + Duration::hours(1),
        )
        .await?,
        measured(
            &w,
            "nothing changed, 8 days later (deep)",
            t + Duration::days(8),
        )
        .await?,
    ];
    Ok(OpenMonths {
        months,
        entries: count,
        runs,
    })
}

//! Cron expressions, validated up front with a message a user can act on, and their next
//! occurrences computed from a given instant (never the clock), so `next_run` and the backoff
//! period are testable.
//!
//! Parsing is tokio-cron-scheduler's own (croner, seconds required), reached through a
//! throw-away job, so what is accepted here is exactly what the runtime will run.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_cron_scheduler::Job;

use super::error::ScheduleError;

type NextAfter = Arc<dyn Fn(DateTime<Utc>) -> Option<DateTime<Utc>> + Send + Sync>;

/// A validated cron expression (six fields with seconds, UTC).
#[derive(Clone)]
pub(crate) struct CronSchedule {
    expression: String,
    next_after: NextAfter,
}

impl fmt::Debug for CronSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CronSchedule")
            .field(&self.expression)
            .finish()
    }
}

const FORMAT_HINT: &str =
    "expected six fields `sec min hour day-of-month month day-of-week`, e.g. \"0 */15 * * * *\" for every 15 minutes";

impl CronSchedule {
    /// Parses `expression`, or says why not.
    pub(crate) fn parse(expression: &str) -> Result<Self, ScheduleError> {
        let invalid = |reason: String| ScheduleError::InvalidCron {
            expression: expression.to_owned(),
            reason,
        };
        let fields = expression.split_whitespace().count();
        if fields == 5 {
            return Err(invalid(format!(
                "it has 5 fields but a leading seconds field is required; {FORMAT_HINT}"
            )));
        }
        if !(6..=7).contains(&fields) {
            return Err(invalid(format!("it has {fields} fields; {FORMAT_HINT}")));
        }
        let mut job = Job::new_async(expression, |_, _| Box::pin(async {})).map_err(|_| {
            invalid(format!(
                "a field is out of range or malformed; {FORMAT_HINT}"
            ))
        })?;
        let cron = job
            .job_data()
            .ok()
            .and_then(|data| data.schedule())
            .ok_or_else(|| invalid(format!("it could not be read back; {FORMAT_HINT}")))?;
        let probe = cron.clone();
        let schedule = Self {
            expression: expression.to_owned(),
            next_after: Arc::new(move |t| cron.find_next_occurrence(&t, false).ok()),
        };
        // An expression that parses but never fires (e.g. 30 February) is no schedule.
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        if probe.find_next_occurrence(&epoch, false).is_err() {
            return Err(invalid("it never matches any date".to_owned()));
        }
        Ok(schedule)
    }

    /// The expression as given.
    pub(crate) fn expression(&self) -> &str {
        &self.expression
    }

    /// The first occurrence strictly after `t`.
    pub(crate) fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (self.next_after)(t)
    }

    /// The `n`-th occurrence after `t` (`n = 1` is [`Self::next_after`]).
    pub(crate) fn nth_after(&self, t: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        let mut at = t;
        for _ in 0..n.max(1) {
            at = self.next_after(at)?;
        }
        Some(at)
    }

    /// The gap between the next two occurrences after `t`: the period backoff multiplies.
    pub(crate) fn period_after(&self, t: DateTime<Utc>) -> Duration {
        let gap = self
            .next_after(t)
            .and_then(|a| Some((a, self.next_after(a)?)))
            .and_then(|(a, b)| (b - a).to_std().ok());
        gap.unwrap_or(super::backoff::BACKOFF_CAP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 29, h, m, s).unwrap()
    }

    #[test]
    fn default_is_every_quarter_hour() {
        let c = CronSchedule::parse(super::super::types::DEFAULT_CRON).unwrap();
        assert_eq!(c.next_after(at(10, 0, 0)), Some(at(10, 15, 0)));
        assert_eq!(c.next_after(at(10, 14, 59)), Some(at(10, 15, 0)));
        assert_eq!(c.nth_after(at(10, 0, 0), 3), Some(at(10, 45, 0)));
        assert_eq!(c.period_after(at(10, 7, 0)), Duration::from_secs(900));
    }

    #[test]
    fn bad_expressions_say_why() {
        let cases = [
            ("*/15 * * * *", "5 fields"),
            ("every 15 minutes", "3 fields"),
            ("", "0 fields"),
            ("0 */15 * * * * * *", "8 fields"),
            ("0 */15 25 * * *", "out of range"),
            ("0 61 * * * *", "out of range"),
            ("0 0 0 30 2 *", "never matches"),
        ];
        for (expr, why) in cases {
            let err = CronSchedule::parse(expr).expect_err(expr);
            let text = err.to_string();
            assert!(text.contains(why), "{expr:?}: {text}");
            assert!(
                matches!(err, ScheduleError::InvalidCron { ref expression, .. } if expression == expr)
            );
        }
    }
}

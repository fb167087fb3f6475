//! Rewriting what the previous sync service wrote. Its adopted timesheets (linked with an
//! unknown base, so every difference is a decision) usually differ from Zammad's version in
//! two harmless ways only: the description (its `ZAM:T…|TA:…` lines instead of Timebridge's
//! template and marker) and the day (it sent Zammad's UTC time as a wall-clock time, so the
//! begin is shifted by the UTC offset, often onto the previous day). When a helpdesk's user
//! opts in, such timesheets are rewritten to Zammad's version as if the user had answered
//! "take Zammad" — and only those: a timesheet whose project, activity or length differs
//! (beyond Kimai's rounding of the service's seconds) stays a decision, and one Kimai no
//! longer lets us change (exported, or in a billed month) is never touched.
//!
//! Pure: the engine feeds it the plan input (see `engine::run`) before planning.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use serde::Serialize;

use super::entries::LegacyMarker;
use super::plan::{KimaiSide, PlanInput, SourceKey, SourceSide, TimesheetFields};

/// How far a previous-service begin can lie from Zammad's: the largest UTC offset.
const MAX_SHIFT: Duration = Duration::hours(14);

/// How much the lengths may differ: Kimai rounds the seconds the service sent.
const LENGTH_SLACK: Duration = Duration::minutes(1);

/// One timesheet the rewrite would change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rewrite {
    /// The previous service's timesheet that would be rewritten.
    pub timesheet_id: i64,
    /// Its description becomes Timebridge's (template and marker).
    pub description: bool,
    /// It moves to another day (the local day of the entry).
    pub moves_day: bool,
}

/// The same work written differently: same project and activity, the same length within
/// Kimai's rounding, the begin shifted by at most a UTC offset.
fn only_text_or_day(kimai: &TimesheetFields, zammad: &TimesheetFields) -> bool {
    let length = |f: &TimesheetFields| f.end - f.begin;
    kimai.project == zammad.project
        && kimai.activity == zammad.activity
        && (length(kimai) - length(zammad)).abs() <= LENGTH_SLACK
        && (kimai.begin - zammad.begin).abs() <= MAX_SHIFT
}

/// Every adopted previous-service timesheet of `input` that could be rewritten to Zammad's
/// version: linked with an unknown base, still carrying the service's first line, not
/// exported, not in a closed month, no decision of the user's pending, and differing only in
/// text or day. `instances`: only these helpdesks' entries (all when `None`).
pub fn rewritable(
    input: &PlanInput,
    instances: Option<&BTreeSet<String>>,
) -> BTreeMap<SourceKey, Rewrite> {
    let mut out = BTreeMap::new();
    for (key, link) in &input.links {
        if instances.is_some_and(|on| !on.contains(&key.instance))
            || !link.base_kimai.is_unknown()
            || input.resolutions.contains_key(key)
            || input.ignored.contains(key)
        {
            continue;
        }
        let Some(id) = link.timesheet_id else {
            continue;
        };
        let (Some(SourceSide::Wanted(desired)), Some(KimaiSide::Present(record))) =
            (input.source.get(key), input.kimai.get(&id))
        else {
            continue;
        };
        let (kimai, zammad) = (&record.fields, &desired.fields);
        let billed = record.exported
            || input.closed_months.contains(&kimai.month())
            || input.closed_months.contains(&desired.month);
        let changes = kimai.clone().normalized() != zammad.clone().normalized();
        if billed
            || !changes
            || LegacyMarker::parse(&kimai.description).is_none()
            || !only_text_or_day(kimai, zammad)
        {
            continue;
        }
        out.insert(
            key.clone(),
            Rewrite {
                timesheet_id: id,
                description: kimai.description != zammad.description,
                moves_day: kimai.begin.date() != zammad.begin.date(),
            },
        );
    }
    out
}

#[cfg(test)]
#[path = "tests_rewrite.rs"]
mod tests;

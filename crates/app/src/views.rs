//! Core values → DTOs: fields with Kimai's names, runs, audit events, keys, time units.
//! Wall times are shown as `YYYY-MM-DDTHH:MM:SS`, instants as RFC 3339.

use std::str::FromStr;

use rust_decimal::Decimal;
use timebridge_types::history::{AuditView, RunView};
use timebridge_types::setup::TimeUnitDto;
use timebridge_types::Field;
use timebridge_types::{ApiError, EntryKey, ErrorCode, FieldsView};

use super::Catalog;
use timebridge_core::sync::plan::{SourceKey, TimesheetFields};
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::AuditEvent;
use timebridge_core::{RunMode, RunOutcome, RunRow};

pub(super) const WALL: &str = "%Y-%m-%dT%H:%M:%S";

pub(super) fn key_view(key: &SourceKey) -> EntryKey {
    EntryKey {
        instance: key.instance.clone(),
        time_accounting_id: key.time_accounting_id,
    }
}

pub(super) fn source_key(key: &EntryKey) -> SourceKey {
    SourceKey {
        instance: key.instance.clone(),
        time_accounting_id: key.time_accounting_id,
    }
}

pub(super) fn fields_view(f: &TimesheetFields, catalog: &Catalog) -> FieldsView {
    FieldsView {
        begin: f.begin.format(WALL).to_string(),
        end: f.end.format(WALL).to_string(),
        duration_seconds: (f.end - f.begin).num_seconds(),
        project: catalog.project(f.project),
        activity: catalog.activity(f.activity),
        description: f.description.clone(),
        tags: f.tags.clone(),
        unknown: f.is_unknown(),
    }
}

/// The fields where `a` and `b` differ.
pub(super) fn differing(a: &TimesheetFields, b: &TimesheetFields) -> Vec<Field> {
    let mut out = Vec::new();
    let checks = [
        (a.begin != b.begin, Field::Begin),
        (a.end != b.end, Field::End),
        (a.project != b.project, Field::Project),
        (a.activity != b.activity, Field::Activity),
        (a.description != b.description, Field::Description),
        (a.tags != b.tags, Field::Tags),
    ];
    for (differs, field) in checks {
        if differs {
            out.push(field);
        }
    }
    out
}

/// The tag fields of the core's internally tagged enums, outermost first: `SourceSide`
/// (`state`) wraps a `ParkReason` (`reason`), `Action::Conflict` (`action`) carries a `kind`.
const TAGS: [&str; 5] = ["step", "action", "state", "reason", "kind"];

/// The stable snake_case name of a serde enum value (`both_changed`), for codes in DTOs:
/// a unit variant's string, an internally tagged variant's tag (looked up by name: serde_json
/// sorts an object's keys, so its first value may be a payload field such as `entry`), or an
/// externally tagged variant's only key.
pub(super) fn name_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(map)) => TAGS
            .iter()
            .find_map(|tag| map.get(*tag).and_then(|v| v.as_str()))
            .map(str::to_string)
            .or_else(|| {
                (map.len() == 1)
                    .then(|| map.keys().next().cloned())
                    .flatten()
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

pub(super) fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(super) fn run_view(r: &RunRow) -> RunView {
    let c = &r.counts;
    let wrote = c.created + c.updated + c.deleted > 0;
    RunView {
        id: r.id,
        started_at: rfc3339(r.started_at),
        finished_at: r.finished_at.map(rfc3339),
        trigger: name_of(&r.trigger),
        mode: name_of(&r.mode),
        outcome: name_of(&r.outcome),
        error: r.error.clone(),
        created: c.created,
        updated: c.updated,
        deleted: c.deleted,
        conflicts: c.conflicts,
        parked: c.parked,
        failed: c.failed,
        undoes_run: r.undoes_run,
        undoable: r.mode == RunMode::Sync && r.outcome != RunOutcome::Running && wrote,
    }
}

pub(super) fn audit_view(e: &AuditEvent, catalog: &Catalog) -> AuditView {
    AuditView {
        id: e.id,
        at: rfc3339(e.at),
        run_id: e.entry.run_id,
        action: name_of(&e.entry.action),
        actor: name_of(&e.entry.actor),
        key: key_view(&e.entry.key),
        timesheet_id: e.entry.timesheet_id,
        ticket_id: e.ticket_id,
        before: e.entry.before.as_ref().map(|f| fields_view(f, catalog)),
        after: e.entry.after.as_ref().map(|f| fields_view(f, catalog)),
    }
}

pub(super) fn unit_view(unit: &TimeUnit) -> TimeUnitDto {
    match unit {
        TimeUnit::Minutes => TimeUnitDto::Minutes,
        TimeUnit::Hours => TimeUnitDto::Hours,
        TimeUnit::QuarterHours => TimeUnitDto::QuarterHours,
        TimeUnit::Custom { minutes_per_unit } => TimeUnitDto::Custom {
            minutes_per_unit: minutes_per_unit.to_string(),
        },
    }
}

pub(super) fn unit_of(dto: &TimeUnitDto) -> Result<TimeUnit, ApiError> {
    Ok(match dto {
        TimeUnitDto::Minutes => TimeUnit::Minutes,
        TimeUnitDto::Hours => TimeUnit::Hours,
        TimeUnitDto::QuarterHours => TimeUnit::QuarterHours,
        TimeUnitDto::Custom { minutes_per_unit } => {
            let m = Decimal::from_str(minutes_per_unit.trim())
                .ok()
                .filter(|m| *m > Decimal::ZERO)
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Validation,
                        format!(
                            "minutes per unit must be a positive number, not {minutes_per_unit:?}"
                        ),
                    )
                })?;
            TimeUnit::Custom {
                minutes_per_unit: m,
            }
        }
    })
}

/// Hours from seconds as an exact decimal string (`5400` → `"1.5"`).
pub(super) fn hours(seconds: i64) -> String {
    (Decimal::from(seconds) / Decimal::from(3600))
        .round_dp(2)
        .normalize()
        .to_string()
}

#[cfg(test)]
mod name_tests {
    use super::name_of;
    use timebridge_core::engine::{UndoStep, WhyNot};
    use timebridge_core::sync::plan::ParkReason;

    #[test]
    fn names_are_tags_never_payload_fields() {
        let park = ParkReason::NeedsMapping {
            detail: "no rule for organization 7".into(),
        };
        assert_eq!(name_of(&park), "needs_mapping");
        assert_eq!(
            name_of(&WhyNot::Rejected {
                message: "a message".into()
            }),
            "rejected"
        );
        assert_eq!(
            name_of(&UndoStep::Recreated { timesheet_id: 9 }),
            "recreated"
        );
        assert_eq!(name_of(&UndoStep::Deleted), "deleted");
    }
}

//! `timebridge mappings list`: an instance's mapping settings as people read them, and as a
//! JSON shape of its own — rules numbered as `remove-rule` takes them, the type → activity
//! map as a list — so scripts do not depend on how the core happens to store them.

use serde::Serialize;
use timebridge_core::ops::{OpError, Workspace};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{InstanceSettings, Layout, Scope};
use timebridge_core::sync::time::{RoundingMode, RoundingRule, TimeUnit};

use crate::failure::Failure;
use crate::Context;

/// One instance in `mappings list --json` (and after every edit).
#[derive(Debug, Serialize)]
pub(crate) struct InstanceJson {
    /// The Zammad instance key.
    pub(crate) instance: String,
    /// `{"kind": "minutes"}`, … `{"kind": "custom", "minutes_per_unit": "7.5"}`.
    pub(crate) time_unit: TimeUnit,
    /// The description template (the marker is appended).
    pub(crate) description_template: String,
    /// `{mode, step_minutes, minimum_minutes}`; step 0 means no rounding.
    pub(crate) rounding: RoundingRule,
    /// Tags added to every timesheet.
    pub(crate) tags: Vec<String>,
    /// `end_at_booking` or `no_overlaps`.
    pub(crate) layout: Layout,
    /// Whether a day's entries are rounded by their running sum (exact day totals).
    pub(crate) exact_day_totals: bool,
    /// Whether the previous sync service's timesheets are rewritten (description and day).
    pub(crate) rewrite_previous: bool,
    /// Whether the first sync still waits for the go-ahead (`sync --yes`).
    pub(crate) awaiting_go_ahead: bool,
    /// The helpdesk's unit setting the unit was chosen against, when known.
    pub(crate) zammad_unit_setting: Option<String>,
    /// The scope rules, numbered from 1.
    pub(crate) rules: Vec<RuleJson>,
    /// Kimai activity per Zammad accounting type.
    pub(crate) activity_by_type: Vec<TypeActivityJson>,
    /// Kimai activity for entries without an accounting type.
    pub(crate) activity_without_type: Option<i64>,
    /// The Zammad user the connection was set up for.
    pub(crate) zammad_user_id: Option<i64>,
}

/// One rule.
#[derive(Debug, Serialize)]
pub(crate) struct RuleJson {
    /// Its number for `remove-rule`.
    pub(crate) number: usize,
    /// `organization`, `customer`, `group` or `ticket`.
    pub(crate) scope: &'static str,
    /// The Zammad id of what it covers.
    pub(crate) id: i64,
    /// Kimai customer.
    pub(crate) customer: i64,
    /// Kimai project.
    pub(crate) project: i64,
    /// The activity for all its entries, else `null` (by accounting type).
    pub(crate) activity: Option<i64>,
}

/// One accounting type's activity.
#[derive(Debug, Serialize)]
pub(crate) struct TypeActivityJson {
    /// The Zammad accounting type id.
    pub(crate) type_id: i64,
    /// The Kimai activity id.
    pub(crate) activity: i64,
}

/// The `mappings list --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ListJson {
    /// The instances, by key.
    pub(crate) instances: Vec<InstanceJson>,
}

/// A scope's name and id.
pub(crate) fn scope_parts(scope: Scope) -> (&'static str, i64) {
    (scope.kind(), scope.id())
}

impl InstanceJson {
    /// The JSON form of `settings`.
    pub(crate) fn new(key: &InstanceKey, s: &InstanceSettings) -> Self {
        Self {
            instance: key.as_str().to_string(),
            time_unit: s.time_unit.clone(),
            description_template: s.description.as_str().to_string(),
            rounding: s.rounding,
            tags: s.tags.clone(),
            layout: s.layout,
            exact_day_totals: s.exact_day_totals,
            rewrite_previous: s.rewrite_previous,
            awaiting_go_ahead: s.awaiting_go_ahead,
            zammad_unit_setting: s.zammad_unit_setting.clone(),
            rules: s
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let (scope, id) = scope_parts(r.scope);
                    RuleJson {
                        number: i + 1,
                        scope,
                        id,
                        customer: r.customer,
                        project: r.project,
                        activity: r.activity,
                    }
                })
                .collect(),
            activity_by_type: s
                .activity_by_type
                .iter()
                .map(|(&type_id, &activity)| TypeActivityJson { type_id, activity })
                .collect(),
            activity_without_type: s.activity_without_type,
            zammad_user_id: s.zammad_user_id,
        }
    }

    /// The text form: a header line, then indented settings, rules and activities.
    pub(crate) fn text(&self) -> String {
        let r = &self.rounding;
        let rounding = match (r.step_minutes, r.mode) {
            (0, _) => "none".to_string(),
            (step, RoundingMode::Nearest) => format!("nearest:{step}"),
            (step, RoundingMode::Up) => format!("up:{step}"),
            (step, RoundingMode::Down) => format!("down:{step}"),
        };
        let unit = match &self.time_unit {
            TimeUnit::Minutes => "minutes".to_string(),
            TimeUnit::Hours => "hours".to_string(),
            TimeUnit::QuarterHours => "quarter_hours".to_string(),
            TimeUnit::Custom { minutes_per_unit } => format!("custom:{minutes_per_unit}"),
        };
        let layout = match self.layout {
            Layout::EndAtBooking => "end_at_booking",
            Layout::NoOverlaps => "no_overlaps",
        };
        let tags = if self.tags.is_empty() {
            "none".to_string()
        } else {
            self.tags.join(",")
        };
        let mut lines = vec![
            format!("{}:", self.instance),
            format!("  unit {unit}; template {:?}", self.description_template),
            format!(
                "  rounding {rounding}; minimum {} min; tags {tags}; layout {layout}; exact day \
                 totals {}; rewrite previous service {}",
                r.minimum_minutes,
                if self.exact_day_totals { "on" } else { "off" },
                if self.rewrite_previous { "on" } else { "off" }
            ),
        ];
        if self.awaiting_go_ahead {
            lines.push(
                "  first sync: waits for your go-ahead (`timebridge sync` shows it, \
                 `timebridge sync --yes` does it)"
                    .into(),
            );
        }
        if self.rules.is_empty() {
            lines.push("  rules: none (every entry is parked as \"needs mapping\")".into());
        } else {
            lines.push(
                "  rules (most specific wins: ticket, organization, customer, group):".into(),
            );
        }
        for rule in &self.rules {
            let activity = rule.activity.map_or_else(
                || "activity by type".to_string(),
                |a| format!("activity {a}"),
            );
            lines.push(format!(
                "    {}. {} {} → customer {}, project {}, {activity}",
                rule.number, rule.scope, rule.id, rule.customer, rule.project
            ));
        }
        if self.activity_by_type.is_empty() && self.activity_without_type.is_none() {
            lines.push("  activities by accounting type: none".into());
        } else {
            lines.push("  activities by accounting type:".into());
        }
        for t in &self.activity_by_type {
            lines.push(format!("    type {} → activity {}", t.type_id, t.activity));
        }
        if let Some(a) = self.activity_without_type {
            lines.push(format!("    no type → activity {a}"));
        }
        lines.join("\n")
    }
}

/// The stored instance `key`, or exit 1 naming the configured ones.
pub(crate) fn find(
    ws: &Workspace<'_>,
    key: &InstanceKey,
) -> Result<timebridge_core::ZammadInstance, Failure> {
    match ws.helpdesk(key) {
        Err(OpError::NoSuchHelpdesk(_)) => {}
        found => return Ok(found?),
    }
    let known: Vec<String> = ws
        .helpdesk_settings()?
        .iter()
        .map(|i| i.key.as_str().to_string())
        .collect();
    let known = if known.is_empty() {
        "none is configured; add one with `timebridge connections add zammad …`".to_string()
    } else {
        format!("configured: {}", known.join(", "))
    };
    Err(Failure::usage(
        "unknown_instance",
        format!("no Zammad instance {:?} ({known})", key.as_str()),
    ))
}

/// `mappings list [<instance>]`.
pub(crate) fn list(ctx: &Context, key: Option<&InstanceKey>) -> Result<(), Failure> {
    let store = ctx.store()?;
    let ws = ctx.workspace(&store);
    let instances = match key {
        Some(key) => vec![find(&ws, key)?],
        None => ws.helpdesk_settings()?,
    };
    let doc = ListJson {
        instances: instances
            .iter()
            .map(|i| InstanceJson::new(&i.key, &i.settings))
            .collect(),
    };
    ctx.emit(&doc, || {
        if doc.instances.is_empty() {
            return "No Zammad instance; add one with `timebridge connections add zammad …`."
                .into();
        }
        let parts: Vec<String> = doc.instances.iter().map(InstanceJson::text).collect();
        parts.join("\n")
    });
    Ok(())
}

//! `timebridge mappings …`: the grammar of the per-instance mapping settings
//! ([`InstanceSettings`]). Every value is checked while parsing — by the same core types the
//! sync uses (template, unit, rounding) — so a typo fails with exit code 1 before the database
//! is even opened, and nothing half-valid is ever stored.
//!
//! The listing is in `mappings_show.rs`, the edits in `mappings_edit.rs`.

use clap::{Args, Subcommand};
use timebridge_core::sync::entries::{DescriptionTemplate, InstanceKey};
use timebridge_core::sync::mapping::{InstanceSettings, Layout};
use timebridge_core::sync::time::{RoundingMode, TimeUnit};

/// `timebridge mappings …`.
#[derive(Debug, Subcommand)]
pub(crate) enum MappingsCommand {
    /// Every rule and setting of one instance (or of all).
    List {
        /// A Zammad instance key; all instances if omitted.
        #[arg(value_parser = parse_key)]
        instance: Option<InstanceKey>,
    },
    /// Books a Zammad organization, customer, group or ticket into a Kimai project. A rule for
    /// the same scope is replaced. The most specific rule wins: ticket, organization, customer,
    /// group.
    AddRule(AddRule),
    /// Removes a rule by its number in `mappings list`.
    RemoveRule {
        /// The Zammad instance key.
        #[arg(value_parser = parse_key)]
        instance: InstanceKey,
        /// The rule's number (1, 2, …) as `mappings list` shows it.
        #[arg(value_parser = clap::value_parser!(u32).range(1..))]
        number: u32,
    },
    /// The Kimai activity for a Zammad accounting type (or for entries without one), used
    /// where the rule sets no activity. Replaces an earlier one for the same type.
    SetActivity {
        /// The Zammad instance key.
        #[arg(value_parser = parse_key)]
        instance: InstanceKey,
        /// A Zammad accounting type id, or `none` for entries without a type.
        #[arg(long = "type", value_parser = parse_type, value_name = "ID|none")]
        type_id: TypeArg,
        /// The Kimai activity id.
        #[arg(long, value_parser = parse_id)]
        activity: i64,
    },
    /// Removes the activity of an accounting type (or of entries without one).
    RemoveActivity {
        /// The Zammad instance key.
        #[arg(value_parser = parse_key)]
        instance: InstanceKey,
        /// A Zammad accounting type id, or `none`.
        #[arg(long = "type", value_parser = parse_type, value_name = "ID|none")]
        type_id: TypeArg,
    },
    /// Unit, description template, rounding, tags and layout; only the options given change.
    Set(SetArgs),
}

/// `mappings add-rule`.
#[derive(Debug, Args)]
pub(crate) struct AddRule {
    /// The Zammad instance key.
    #[arg(value_parser = parse_key)]
    pub(crate) instance: InstanceKey,
    /// What the rule covers.
    #[arg(long, value_enum)]
    pub(crate) scope: ScopeArg,
    /// The Zammad id of that organization, customer (user), group or ticket.
    #[arg(long, value_parser = parse_id)]
    pub(crate) id: i64,
    /// The Kimai project id.
    #[arg(long, value_parser = parse_id)]
    pub(crate) project: i64,
    /// The Kimai customer id; taken from the project if Kimai can be asked (then it must
    /// match), required when it cannot.
    #[arg(long, value_parser = parse_id)]
    pub(crate) customer: Option<i64>,
    /// A Kimai activity for every entry of this scope (else by accounting type).
    #[arg(long, value_parser = parse_id)]
    pub(crate) activity: Option<i64>,
}

/// `mappings set`.
#[derive(Debug, Args)]
pub(crate) struct SetArgs {
    /// The Zammad instance key.
    #[arg(value_parser = parse_key)]
    pub(crate) instance: InstanceKey,
    /// What one Zammad time unit means: minutes, hours, quarter_hours or custom:<minutes>.
    #[arg(long, value_parser = crate::args::parse_unit)]
    pub(crate) unit: Option<TimeUnit>,
    /// The description template: text with <number>, <title>, <organization>, <type>,
    /// <ticket_id> (the marker is appended).
    #[arg(long, value_parser = parse_template)]
    pub(crate) template: Option<DescriptionTemplate>,
    /// Rounding of each entry: `none`, or nearest|up|down:<minutes>, e.g. `up:15`.
    #[arg(long, value_parser = parse_rounding, value_name = "none|MODE:MINUTES")]
    pub(crate) rounding: Option<Rounding>,
    /// Minimum duration in minutes after rounding (0: none).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1440))]
    pub(crate) minimum: Option<u32>,
    /// Tags for every timesheet, comma-separated (2–100 characters each); "" for none.
    #[arg(long, value_parser = parse_tags, value_name = "A,B")]
    pub(crate) tags: Option<Tags>,
    /// How a day's entries are placed: end_at_booking (each ends when booked) or no_overlaps.
    #[arg(long, value_enum)]
    pub(crate) layout: Option<LayoutArg>,
    /// Exact day totals (on|off): round a day's entries of one ticket, project and activity
    /// by their running sum, so each such day's total is within half a minute of Zammad's. Changes existing
    /// timesheets of the open months at the next sync.
    #[arg(long, value_parser = parse_on_off, value_name = "on|off")]
    pub(crate) exact_day_totals: Option<bool>,
    /// Rewrite the previous sync service's timesheets (on|off): where only their description
    /// and day differ from Zammad's version and Kimai allows it (not exported, month not
    /// billed), the next sync writes Timebridge's description and marker and moves them to
    /// their local day. Everything else about them stays your decision.
    #[arg(long, value_parser = parse_on_off, value_name = "on|off")]
    pub(crate) rewrite_previous: Option<bool>,
}

fn parse_on_off(text: &str) -> Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("expected on or off, not {other:?}")),
    }
}

impl SetArgs {
    /// Whether any option was given.
    pub(crate) fn is_empty(&self) -> bool {
        self.unit.is_none()
            && self.template.is_none()
            && self.rounding.is_none()
            && self.minimum.is_none()
            && self.tags.is_none()
            && self.layout.is_none()
            && self.exact_day_totals.is_none()
            && self.rewrite_previous.is_none()
    }

    /// Applies the given options to `settings`.
    pub(crate) fn apply(&self, settings: &mut InstanceSettings) {
        if let Some(unit) = &self.unit {
            settings.time_unit = unit.clone();
        }
        if let Some(template) = &self.template {
            settings.description = template.clone();
        }
        if let Some(r) = self.rounding {
            settings.rounding.mode = r.mode;
            settings.rounding.step_minutes = r.step_minutes;
        }
        if let Some(minimum) = self.minimum {
            settings.rounding.minimum_minutes = minimum;
        }
        if let Some(tags) = &self.tags {
            settings.tags.clone_from(&tags.0);
        }
        if let Some(layout) = self.layout {
            settings.layout = layout.into();
        }
        if let Some(on) = self.exact_day_totals {
            settings.exact_day_totals = on;
        }
        if let Some(on) = self.rewrite_previous {
            settings.rewrite_previous = on;
        }
    }
}

/// A rule's scope, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ScopeArg {
    /// A Zammad organization.
    Organization,
    /// A Zammad customer (a user).
    Customer,
    /// A Zammad group.
    Group,
    /// One ticket.
    Ticket,
}

/// The layout, as typed (the core's serde names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub(crate) enum LayoutArg {
    /// Each entry ends when it was booked.
    EndAtBooking,
    /// A day's entries back to back.
    NoOverlaps,
}

impl From<LayoutArg> for Layout {
    fn from(arg: LayoutArg) -> Self {
        match arg {
            LayoutArg::EndAtBooking => Self::EndAtBooking,
            LayoutArg::NoOverlaps => Self::NoOverlaps,
        }
    }
}

/// An accounting type id, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TypeArg {
    /// Entries with this Zammad accounting type.
    Id(i64),
    /// Entries without a type.
    None,
}

/// A rounding direction and step (the minimum is its own option).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rounding {
    mode: RoundingMode,
    step_minutes: u32,
}

/// Validated tag names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tags(pub(crate) Vec<String>);

fn parse_key(text: &str) -> Result<InstanceKey, String> {
    InstanceKey::new(text).map_err(|e| e.to_string())
}

/// A positive id (Zammad and Kimai ids start at 1).
fn parse_id(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(format!("{text:?} is not an id (a positive whole number)")),
    }
}

fn parse_type(text: &str) -> Result<TypeArg, String> {
    if text == "none" {
        return Ok(TypeArg::None);
    }
    parse_id(text)
        .map(TypeArg::Id)
        .map_err(|_| format!("{text:?} is not an accounting type id or `none`"))
}

fn parse_template(text: &str) -> Result<DescriptionTemplate, String> {
    DescriptionTemplate::parse(text).map_err(|e| e.to_string())
}

/// `none`, or `nearest|up|down:<1-1440 minutes>`.
fn parse_rounding(text: &str) -> Result<Rounding, String> {
    if text == "none" {
        return Ok(Rounding {
            mode: RoundingMode::Nearest,
            step_minutes: 0,
        });
    }
    let usage = || format!("{text:?}: use none, or nearest|up|down:<minutes 1-1440>, e.g. up:15");
    let (mode, step) = text.split_once(':').ok_or_else(usage)?;
    let mode = match mode {
        "nearest" => RoundingMode::Nearest,
        "up" => RoundingMode::Up,
        "down" => RoundingMode::Down,
        _ => return Err(usage()),
    };
    match step.parse::<u32>() {
        Ok(step_minutes @ 1..=1440) => Ok(Rounding { mode, step_minutes }),
        _ => Err(usage()),
    }
}

/// Kimai's tag rules: 2–100 characters after trimming, no comma, unique.
fn parse_tags(text: &str) -> Result<Tags, String> {
    if text.trim().is_empty() {
        return Ok(Tags(Vec::new()));
    }
    let mut tags: Vec<String> = Vec::new();
    for raw in text.split(',') {
        let tag = raw.trim();
        let chars = tag.chars().count();
        if !(2..=100).contains(&chars) {
            return Err(format!(
                "tag {tag:?} must have 2 to 100 characters (Kimai's rule)"
            ));
        }
        if tag.chars().any(char::is_control) {
            return Err(format!("tag {tag:?} contains a control character"));
        }
        if tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            return Err(format!("tag {tag:?} is given twice"));
        }
        tags.push(tag.to_string());
    }
    Ok(Tags(tags))
}

#[cfg(test)]
#[path = "tests_mappings.rs"]
mod tests;

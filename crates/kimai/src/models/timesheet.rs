//! Timesheets as read and as written: writes take naive wall times in the Kimai
//! user's timezone, always carry an end (no accidental running timers), send tags as a comma
//! string and never send `duration`.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::datetime;

/// A visible meta field value.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MetaField {
    /// Field name.
    pub name: String,
    /// Value (Kimai sends strings; null becomes empty).
    #[serde(default, deserialize_with = "nullable_string")]
    pub value: String,
}

fn nullable_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A timesheet (collection or entity form; user/project/activity as ids).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timesheet {
    /// Id.
    pub id: i64,
    /// Begin, with the offset of the record's timezone.
    #[serde(deserialize_with = "datetime::required")]
    pub begin: DateTime<FixedOffset>,
    /// End; `None` while running.
    #[serde(default, deserialize_with = "datetime::optional")]
    pub end: Option<DateTime<FixedOffset>>,
    /// Seconds (end − begin − break, after rounding); `None` while running.
    #[serde(default)]
    pub duration: Option<i64>,
    /// Break in seconds.
    #[serde(default, rename = "break")]
    pub break_seconds: Option<i64>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Exported (locked for ordinary users).
    #[serde(default)]
    pub exported: bool,
    /// Billable.
    #[serde(default)]
    pub billable: bool,
    /// Tag names.
    #[serde(default, deserialize_with = "nullable_list")]
    pub tags: Vec<String>,
    /// Visible meta fields.
    #[serde(default, deserialize_with = "nullable_list")]
    pub meta_fields: Vec<MetaField>,
    /// Owner id.
    pub user: i64,
    /// Project id.
    pub project: i64,
    /// Activity id.
    pub activity: i64,
    /// Rate; absent without `view_rate_*` permission.
    #[serde(default, deserialize_with = "super::money::optional")]
    pub rate: Option<Decimal>,
    /// Internal rate; absent without permission.
    #[serde(default, deserialize_with = "super::money::optional")]
    pub internal_rate: Option<Decimal>,
    /// Fixed rate (entity form only); absent without permission.
    #[serde(default, deserialize_with = "super::money::optional")]
    pub fixed_rate: Option<Decimal>,
    /// Hourly rate (entity form only); absent without permission.
    #[serde(default, deserialize_with = "super::money::optional")]
    pub hourly_rate: Option<Decimal>,
}

fn nullable_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// One page of a paginated list and Kimai's four pagination headers.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The records.
    pub items: Vec<T>,
    /// `X-Page`.
    pub page: u32,
    /// `X-Total-Pages` (at least 1).
    pub total_pages: u32,
    /// `X-Total-Count`.
    pub total_count: u64,
    /// `X-Per-Page`.
    pub per_page: u32,
}

/// A new timesheet. `begin`/`end` are wall times in the Kimai user's timezone
/// ([`crate::User::timezone`]); `end` is required so no running timer is started by accident.
/// Fields other than these need permissions a plain `ROLE_USER` lacks (400 "extra fields").
#[derive(Clone, Debug, PartialEq)]
pub struct NewTimesheet {
    /// Begin (user-local wall time).
    pub begin: NaiveDateTime,
    /// End (user-local wall time).
    pub end: NaiveDateTime,
    /// Project id.
    pub project: i64,
    /// Activity id.
    pub activity: i64,
    /// Description.
    pub description: Option<String>,
    /// Existing tag names; unknown names are dropped silently by Kimai.
    pub tags: Vec<String>,
    /// Needs `edit_billable_*`.
    pub billable: Option<bool>,
    /// Needs `edit_export_*`.
    pub exported: Option<bool>,
    /// Needs `edit_rate_*`.
    pub fixed_rate: Option<Decimal>,
    /// Needs `edit_rate_*`.
    pub hourly_rate: Option<Decimal>,
    /// Owner other than the caller; needs `create_other_timesheet`.
    pub user: Option<i64>,
}

impl NewTimesheet {
    /// A record with only the fields every user may send.
    pub fn new(begin: NaiveDateTime, end: NaiveDateTime, project: i64, activity: i64) -> Self {
        Self {
            begin,
            end,
            project,
            activity,
            description: None,
            tags: Vec::new(),
            billable: None,
            exported: None,
            fixed_rate: None,
            hourly_rate: None,
            user: None,
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let patch = TimesheetPatch {
            begin: Some(self.begin),
            end: Some(self.end),
            project: Some(self.project),
            activity: Some(self.activity),
            description: self.description.clone(),
            tags: (!self.tags.is_empty()).then(|| self.tags.clone()),
            billable: self.billable,
            exported: self.exported,
            fixed_rate: self.fixed_rate,
            hourly_rate: self.hourly_rate,
            user: self.user,
        };
        patch.to_json()
    }
}

/// A partial update: `None` leaves a field unchanged; `tags: Some(vec![])` clears the tags.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimesheetPatch {
    /// Begin (user-local wall time).
    pub begin: Option<NaiveDateTime>,
    /// End (user-local wall time).
    pub end: Option<NaiveDateTime>,
    /// Project id.
    pub project: Option<i64>,
    /// Activity id.
    pub activity: Option<i64>,
    /// Description.
    pub description: Option<String>,
    /// Tag names (replaces all tags).
    pub tags: Option<Vec<String>>,
    /// Needs `edit_billable_*`.
    pub billable: Option<bool>,
    /// Needs `edit_export_*`.
    pub exported: Option<bool>,
    /// Needs `edit_rate_*`.
    pub fixed_rate: Option<Decimal>,
    /// Needs `edit_rate_*`.
    pub hourly_rate: Option<Decimal>,
    /// New owner.
    pub user: Option<i64>,
}

fn money(d: Decimal) -> Value {
    d.normalize()
        .to_string()
        .parse::<serde_json::Number>()
        .map_or(Value::Null, Value::Number)
}

impl TimesheetPatch {
    pub(crate) fn to_json(&self) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_string(), v);
            }
        };
        put(
            "begin",
            self.begin
                .as_ref()
                .map(|t| datetime::format_local(t).into()),
        );
        put(
            "end",
            self.end.as_ref().map(|t| datetime::format_local(t).into()),
        );
        put("project", self.project.map(Value::from));
        put("activity", self.activity.map(Value::from));
        put("description", self.description.clone().map(Value::from));
        put("tags", self.tags.as_ref().map(|t| t.join(",").into()));
        put("billable", self.billable.map(Value::from));
        put("exported", self.exported.map(Value::from));
        put("fixedRate", self.fixed_rate.map(money));
        put("hourlyRate", self.hourly_rate.map(money));
        put("user", self.user.map(Value::from));
        Value::Object(m)
    }
}

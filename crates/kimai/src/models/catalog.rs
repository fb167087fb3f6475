//! Customers, projects, activities and tags: what a synced record is booked onto.

use chrono::NaiveDate;
use serde::Deserialize;

/// A customer (collection form).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Customer {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Visible.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Billable.
    #[serde(default = "yes")]
    pub billable: bool,
    /// Customer number.
    #[serde(default)]
    pub number: Option<String>,
    /// Currency code.
    #[serde(default)]
    pub currency: Option<String>,
}

fn yes() -> bool {
    true
}

/// A project (collection form: `customer` is an id).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Customer id.
    pub customer: i64,
    /// Visible.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Billable.
    #[serde(default = "yes")]
    pub billable: bool,
    /// Whether global activities may be booked on it.
    #[serde(default = "yes")]
    pub global_activities: bool,
    /// First day, if limited.
    #[serde(default, deserialize_with = "super::datetime::optional_day")]
    pub start: Option<NaiveDate>,
    /// Last day, if limited.
    #[serde(default, deserialize_with = "super::datetime::optional_day")]
    pub end: Option<NaiveDate>,
    /// Project number.
    #[serde(default)]
    pub number: Option<String>,
}

/// An activity; `project` is `None` for a global activity.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Activity {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Owning project, `None` when global.
    #[serde(default)]
    pub project: Option<i64>,
    /// Visible.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Billable.
    #[serde(default = "yes")]
    pub billable: bool,
}

/// A tag (`TagEntity`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Tag {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Colour, if set.
    #[serde(default)]
    pub color: Option<String>,
    /// Visible.
    #[serde(default = "yes")]
    pub visible: bool,
}

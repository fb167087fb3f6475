//! Query parameters for the list endpoints. Lists are always sent with `[]` — Kimai
//! silently ignores `projects=5` and returns everything (docs/api-notes.md §15) — and dates in the exact
//! formats its filters accept (anything else is a 400).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::models::datetime::format_local;

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl Order {
    fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
}

/// Sort key of `GET /api/timesheets`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimesheetOrderBy {
    /// Record id (stable while paging).
    Id,
    /// Begin (Kimai's default).
    Begin,
    /// End.
    End,
    /// Rate.
    Rate,
}

impl TimesheetOrderBy {
    fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Begin => "begin",
            Self::End => "end",
            Self::Rate => "rate",
        }
    }
}

/// Which users' timesheets (only honoured with `view_other_timesheet`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserFilter {
    /// One user.
    Id(i64),
    /// All users the caller may see.
    All,
}

/// The `visible` filter of the catalog lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Visible only (Kimai's default).
    Visible,
    /// Hidden only.
    Hidden,
    /// Both.
    Both,
}

impl Visibility {
    fn code(self) -> u8 {
        match self {
            Self::Visible => 1,
            Self::Hidden => 2,
            Self::Both => 3,
        }
    }
}

type Pairs = Vec<(String, String)>;

fn push(q: &mut Pairs, k: &str, v: impl ToString) {
    q.push((k.to_string(), v.to_string()));
}

fn push_list(q: &mut Pairs, k: &str, ids: &[i64]) {
    for id in ids {
        push(q, &format!("{k}[]"), id);
    }
}

fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// Filters of `GET /api/timesheets` (every parameter except `full`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimesheetQuery {
    /// `user`: one user or all.
    pub user: Option<UserFilter>,
    /// `users[]`.
    pub users: Vec<i64>,
    /// `customers[]`.
    pub customers: Vec<i64>,
    /// `projects[]`.
    pub projects: Vec<i64>,
    /// `activities[]`.
    pub activities: Vec<i64>,
    /// `tags[]` (names; if none exists Kimai answers 400).
    pub tags: Vec<String>,
    /// Records that **begin** at or after this user-local wall time.
    pub begin: Option<NaiveDateTime>,
    /// Records that **begin** at or before this user-local wall time.
    pub end: Option<NaiveDateTime>,
    /// Records modified at or after this instant (inclusive).
    pub modified_after: Option<DateTime<Utc>>,
    /// Exported or not.
    pub exported: Option<bool>,
    /// Running or stopped.
    pub active: Option<bool>,
    /// Billable or not.
    pub billable: Option<bool>,
    /// Free-text search in description and meta values.
    pub term: Option<String>,
    /// Sort key (Kimai default `begin`).
    pub order_by: Option<TimesheetOrderBy>,
    /// Direction (Kimai default `DESC`).
    pub order: Option<Order>,
    /// Page size (clamped to 500).
    pub size: Option<u32>,
}

impl TimesheetQuery {
    pub(crate) fn pairs(&self) -> Pairs {
        let mut q = Pairs::new();
        match self.user {
            Some(UserFilter::Id(id)) => push(&mut q, "user", id),
            Some(UserFilter::All) => push(&mut q, "user", "all"),
            None => {}
        }
        push_list(&mut q, "users", &self.users);
        push_list(&mut q, "customers", &self.customers);
        push_list(&mut q, "projects", &self.projects);
        push_list(&mut q, "activities", &self.activities);
        for t in &self.tags {
            push(&mut q, "tags[]", t);
        }
        if let Some(b) = &self.begin {
            push(&mut q, "begin", format_local(b));
        }
        if let Some(e) = &self.end {
            push(&mut q, "end", format_local(e));
        }
        if let Some(m) = &self.modified_after {
            push(&mut q, "modified_after", format_local(&m.naive_utc()));
        }
        for (k, v) in [
            ("exported", self.exported),
            ("active", self.active),
            ("billable", self.billable),
        ] {
            if let Some(v) = v {
                push(&mut q, k, flag(v));
            }
        }
        if let Some(t) = &self.term {
            push(&mut q, "term", t);
        }
        if let Some(o) = self.order_by {
            push(&mut q, "orderBy", o.as_str());
        }
        if let Some(o) = self.order {
            push(&mut q, "order", o.as_str());
        }
        if let Some(s) = self.size {
            push(&mut q, "size", s.clamp(1, 500));
        }
        q
    }
}

/// Filters of `GET /api/customers`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    /// Visibility (Kimai default: visible only).
    pub visible: Option<Visibility>,
    /// Search text.
    pub term: Option<String>,
}

impl CustomerQuery {
    pub(crate) fn pairs(&self) -> Pairs {
        let mut q = Pairs::new();
        if let Some(v) = self.visible {
            push(&mut q, "visible", v.code());
        }
        if let Some(t) = &self.term {
            push(&mut q, "term", t);
        }
        q
    }
}

/// Filters of `GET /api/projects`. Without `ignore_dates` (or `start`/`end`) Kimai lists only
/// projects whose start/end window contains today (docs/api-notes.md §17).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectQuery {
    /// `customers[]`.
    pub customers: Vec<i64>,
    /// Visibility.
    pub visible: Option<Visibility>,
    /// `ignoreDates=1`: also projects outside their date window.
    pub ignore_dates: bool,
    /// Projects active on or after this day.
    pub start: Option<NaiveDate>,
    /// Projects active on or before this day.
    pub end: Option<NaiveDate>,
    /// Search text.
    pub term: Option<String>,
}

impl ProjectQuery {
    pub(crate) fn pairs(&self) -> Pairs {
        let mut q = Pairs::new();
        push_list(&mut q, "customers", &self.customers);
        if let Some(v) = self.visible {
            push(&mut q, "visible", v.code());
        }
        if self.ignore_dates {
            push(&mut q, "ignoreDates", "1");
        }
        for (k, d) in [("start", self.start), ("end", self.end)] {
            if let Some(d) = d {
                push(&mut q, k, d.format("%Y-%m-%d"));
            }
        }
        if let Some(t) = &self.term {
            push(&mut q, "term", t);
        }
        q
    }
}

/// Filters of `GET /api/activities`. A project filter also returns global activities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityQuery {
    /// `projects[]`.
    pub projects: Vec<i64>,
    /// `globals=1`: only global activities.
    pub globals_only: bool,
    /// Visibility.
    pub visible: Option<Visibility>,
    /// Search text.
    pub term: Option<String>,
}

impl ActivityQuery {
    pub(crate) fn pairs(&self) -> Pairs {
        let mut q = Pairs::new();
        push_list(&mut q, "projects", &self.projects);
        if self.globals_only {
            push(&mut q, "globals", "1");
        }
        if let Some(v) = self.visible {
            push(&mut q, "visible", v.code());
        }
        if let Some(t) = &self.term {
            push(&mut q, "term", t);
        }
        q
    }
}

//! What Kimai holds, in a form two worlds can be compared in: the consultant's timesheets by
//! the entry id in their marker (ids of records may differ between a crashed and a clean run,
//! the markers may not), plus the unmarked ones booked by hand. The marker is parsed here
//! independently of the core's parser, so a parser bug cannot hide a duplicate.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use timebridge_simulators::kimai::SimTimesheet;

use crate::dataset::{INSTANCE, KIMAI_USER};

/// The fields a user or an invoice sees.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct View {
    /// Begin (UTC).
    pub begin: DateTime<Utc>,
    /// End (UTC), `None` while running.
    pub end: Option<DateTime<Utc>>,
    /// Project id.
    pub project: u64,
    /// Activity id.
    pub activity: u64,
    /// Description.
    pub description: String,
    /// Tags, sorted (duplicates kept: a tag twice is a finding).
    pub tags: Vec<String>,
    /// Exported (billed).
    pub exported: bool,
}

impl View {
    fn of(t: &SimTimesheet) -> Self {
        let mut tags = t.tags.clone();
        tags.sort();
        Self {
            begin: t.begin,
            end: t.end,
            project: t.project,
            activity: t.activity,
            description: t.description.clone().unwrap_or_default(),
            tags,
            exported: t.exported,
        }
    }
}

/// Entry ids of the `[tb:acme:<id>]` markers in `text`, in any letter case.
pub fn markers(text: &str) -> Vec<i64> {
    let lower = text.to_ascii_lowercase();
    let prefix = format!("[tb:{INSTANCE}:");
    lower
        .split(&prefix)
        .skip(1)
        .filter_map(|rest| rest.split(']').next()?.parse().ok())
        .collect()
}

/// The consultant's timesheets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// By entry id: every timesheet carrying that marker (more than one is a duplicate).
    pub marked: BTreeMap<i64, Vec<(u64, View)>>,
    /// Timesheets without a marker, sorted.
    pub unmarked: Vec<View>,
    /// Timesheets with two or more markers.
    pub ambiguous: Vec<u64>,
}

impl Snapshot {
    /// Takes the snapshot from the simulator's records.
    pub fn of(sheets: &[SimTimesheet]) -> Self {
        let mut snap = Self::default();
        for t in sheets.iter().filter(|t| t.user == KIMAI_USER) {
            let found = markers(t.description.as_deref().unwrap_or_default());
            match found.as_slice() {
                [] => snap.unmarked.push(View::of(t)),
                [id] => snap
                    .marked
                    .entry(*id)
                    .or_default()
                    .push((t.id, View::of(t))),
                _ => snap.ambiguous.push(t.id),
            }
        }
        snap.unmarked.sort();
        snap
    }

    /// The timesheet id standing for `entry`, if exactly one does.
    pub fn sheet_of(&self, entry: i64) -> Option<u64> {
        match self.marked.get(&entry)?.as_slice() {
            [(id, _)] => Some(*id),
            _ => None,
        }
    }

    /// Problems of this snapshot on its own: duplicates and ambiguous markers.
    pub fn own_problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .marked
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(e, v)| {
                let ids: Vec<u64> = v.iter().map(|(id, _)| *id).collect();
                format!("duplicate: entry {e} has {} timesheets {ids:?}", v.len())
            })
            .collect();
        if !self.ambiguous.is_empty() {
            out.push(format!("timesheets with two markers: {:?}", self.ambiguous));
        }
        out
    }

    /// Differences from `want` (record ids ignored), one line each.
    pub fn diff(&self, want: &Self) -> Vec<String> {
        let mut out = Vec::new();
        let views = |s: &Self, e: &i64| -> Vec<View> {
            s.marked
                .get(e)
                .map(|v| v.iter().map(|(_, v)| v.clone()).collect())
                .unwrap_or_default()
        };
        let keys: std::collections::BTreeSet<&i64> =
            self.marked.keys().chain(want.marked.keys()).collect();
        for e in keys {
            let (got, exp) = (views(self, e), views(want, e));
            if got != exp {
                out.push(format!("entry {e}: got {got:?}, expected {exp:?}"));
            }
        }
        if self.unmarked != want.unmarked {
            out.push(format!(
                "unmarked timesheets: got {:?}, expected {:?}",
                self.unmarked, want.unmarked
            ));
        }
        out
    }
}

//! "Edit, then apply": the user's fields for a conflict, read from the form and checked before
//! they are stored so the next sync never meets a timesheet Kimai must refuse or one that lands
//! in another month. The placement's rules (a positive span of at most one day that begins in
//! the month the entry belongs to, an open month, the entry's own marker in the description)
//! are the core's; this adds the form's wall times and a project and activity Kimai knows (when
//! its catalog is known — offline it may not be).

use chrono::NaiveDateTime;

use super::super::catalog::Catalog;
use timebridge_core::sync::edit::{check_edit, with_marker};
use timebridge_core::sync::plan::{ConflictKind, SourceKey, TimesheetFields};
use timebridge_core::sync::time::Month;

/// Reads a wall time `YYYY-MM-DDTHH:MM[:SS]`.
fn wall(value: &str, what: &str) -> Result<NaiveDateTime, String> {
    let value = value.trim();
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M"))
        .map_err(|_| format!("the {what} `{value}` is not a date and time (YYYY-MM-DDTHH:MM)"))
}

/// The user's input for one entry.
pub(super) struct EditInput<'a> {
    /// Begin, wall time.
    pub(super) begin: &'a str,
    /// End, wall time.
    pub(super) end: &'a str,
    /// Project id.
    pub(super) project: i64,
    /// Activity id.
    pub(super) activity: i64,
    /// Description (the marker is added when missing).
    pub(super) description: &'a str,
}

/// The fields to store for `key`, or why not (a sentence for the user). `zammad` is Zammad's
/// version (tags are kept from it); `closed` tells whether a month is billed; `catalog` is
/// Kimai's catalog when known (empty: not checked). The placement's rules are the core's
/// (`sync::edit`, checked again when the decision is stored); the catalog is this adapter's.
pub(super) fn fields(
    key: &SourceKey,
    kind: ConflictKind,
    zammad: &TimesheetFields,
    input: &EditInput<'_>,
    closed: impl Fn(Month) -> bool,
    catalog: &Catalog,
) -> Result<TimesheetFields, String> {
    let edited = TimesheetFields {
        begin: wall(input.begin, "begin")?,
        end: wall(input.end, "end")?,
        project: input.project,
        activity: input.activity,
        description: with_marker(key, input.description).map_err(|e| e.to_string())?,
        tags: zammad.tags.clone(),
    }
    .normalized();
    check_edit(key, kind, zammad, &edited, closed).map_err(|e| e.to_string())?;
    if !catalog.projects.is_empty() && !catalog.projects.contains_key(&input.project) {
        return Err(format!("Kimai has no project {}", input.project));
    }
    if !catalog.activities.is_empty() {
        match catalog.activities.get(&input.activity) {
            None => return Err(format!("Kimai has no activity {}", input.activity)),
            Some((_, Some(p))) if *p != input.project => {
                return Err(format!(
                    "activity {} belongs to another project",
                    input.activity
                ))
            }
            Some(_) => {}
        }
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zammad() -> TimesheetFields {
        TimesheetFields {
            begin: wall("2026-03-02T09:00", "b").unwrap(),
            end: wall("2026-03-02T10:00", "e").unwrap(),
            project: 1,
            activity: 2,
            description: "#42 Printer [tb:acme:7]".into(),
            tags: vec!["zammad".into()],
        }
    }

    fn key() -> SourceKey {
        SourceKey {
            instance: "acme".into(),
            time_accounting_id: 7,
        }
    }

    fn check(begin: &str, end: &str, description: &str) -> Result<TimesheetFields, String> {
        let input = EditInput {
            begin,
            end,
            project: 1,
            activity: 2,
            description,
        };
        let kind = ConflictKind::BothChanged;
        fields(
            &key(),
            kind,
            &zammad(),
            &input,
            |m| m.to_string() == "2026-02",
            &Catalog::default(),
        )
    }

    #[test]
    fn an_edit_keeps_the_tags_and_adds_the_missing_marker() {
        let f = check("2026-03-02T09:15", "2026-03-02T11:00:00", "Printer fixed").unwrap();
        assert_eq!(f.description, "Printer fixed [tb:acme:7]");
        assert_eq!(f.tags, vec!["zammad".to_string()]);
        assert_eq!(f.begin.format("%H:%M").to_string(), "09:15");
        let kept = check("2026-03-02T09:00", "2026-03-03T00:00", "x [tb:acme:7] y").unwrap();
        assert_eq!(kept.description, "x [tb:acme:7] y");
    }

    #[test]
    fn bad_edits_are_refused_with_the_reason() {
        let e = |b, en, d| check(b, en, d).unwrap_err();
        assert!(e("2026-03-02T10:00", "2026-03-02T09:00", "x").contains("after"));
        assert!(e("2026-03-02T10:00", "2026-03-03T09:00", "x").contains("day"));
        assert!(e("2026-04-01T10:00", "2026-04-01T11:00", "x").contains("2026-03"));
        assert!(e("2026-03-02", "2026-03-02T11:00", "x").contains("begin"));
        assert!(e("2026-03-02T09:00", "2026-03-02T10:00", "[tb:acme:8]").contains("another"));
    }

    #[test]
    fn the_catalog_and_closed_months_are_checked_when_known() {
        let mut catalog = Catalog::default();
        catalog.projects.insert(1, ("P".into(), 9));
        catalog.activities.insert(2, ("A".into(), Some(5)));
        let input = EditInput {
            begin: "2026-02-02T09:00",
            end: "2026-02-02T10:00",
            project: 1,
            activity: 2,
            description: "",
        };
        let mut z = zammad();
        z.begin = wall("2026-02-02T09:00", "b").unwrap();
        let closed = |m: Month| m.to_string() == "2026-02";
        let kind = ConflictKind::BothChanged;
        let err = fields(&key(), kind, &z, &input, closed, &catalog).unwrap_err();
        assert!(err.contains("closed"), "{err}");
        let kind = ConflictKind::NewEntryInClosedMonth;
        let err = fields(&key(), kind, &z, &input, closed, &catalog).unwrap_err();
        assert!(err.contains("another project"), "{err}");
        catalog.activities.insert(2, ("A".into(), None));
        let ok = fields(&key(), kind, &z, &input, closed, &catalog).unwrap();
        assert_eq!(ok.description, "[tb:acme:7]");
        let input = EditInput {
            project: 3,
            ..input
        };
        let err = fields(&key(), kind, &z, &input, closed, &catalog).unwrap_err();
        assert!(err.contains("no project 3"), "{err}");
    }
}

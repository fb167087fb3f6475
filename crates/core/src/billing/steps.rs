//! The per-record steps of apply and reverse, decided from the record as Kimai holds it now:
//! apply never repeats or flips back a step that landed before a crash, and reverse touches a
//! record only while nothing but the run's own changes is on it.

use super::{JournalRow, Sheet};

/// The next remote step for one journal row, from the record as Kimai holds it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Write these tags (the record's own plus the billing tag).
    Tag(Vec<String>),
    /// Set exported (read first: Kimai's endpoint toggles).
    Export,
    /// Tagged and exported already.
    Nothing,
}

/// What a row still needs: the tag first (an exported record can no longer be edited by an
/// ordinary user), then the export. Decided from Kimai's current state, never from the
/// journal alone, so a step that landed before a crash is never repeated or flipped back.
pub fn next_step(current: &Sheet, tag: &str) -> Step {
    if !current.has_tag(tag) {
        let mut tags = current.tags.clone();
        tags.push(tag.to_string());
        tags.sort();
        Step::Tag(tags)
    } else if !current.exported {
        Step::Export
    } else {
        Step::Nothing
    }
}

/// What a reverse does to one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restore {
    /// Un-export it (it was not exported before the run).
    pub unexport: bool,
    /// Write these tags back (the record's tags before the run).
    pub tags: Option<Vec<String>>,
}

/// Whether a reverse may restore `row`'s record, now `current`: only if nothing but the
/// run's own changes (the tag, the export) — or part of their reversal — is on it. `Err`
/// names what changed since.
pub fn reverse_step(row: &JournalRow, current: &Sheet, tag: &str) -> Result<Restore, Vec<String>> {
    let reference = row.after.as_ref().unwrap_or(&row.before);
    let mut changed: Vec<String> = [
        ("begin", reference.begin == current.begin),
        ("end", reference.end == current.end),
        ("project", reference.project == current.project),
        ("activity", reference.activity == current.activity),
        ("description", reference.description == current.description),
        ("duration", reference.seconds == current.seconds),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(f, _)| f.to_string())
    .collect();
    let before = &row.before.tags;
    let mut billed = before.clone();
    if !billed.iter().any(|t| t == tag) {
        billed.push(tag.to_string());
        billed.sort();
    }
    if current.tags != *before && current.tags != billed {
        changed.push("tags".into());
    }
    if !changed.is_empty() {
        return Err(changed);
    }
    Ok(Restore {
        unexport: current.exported && !row.before.exported,
        tags: (current.tags != *before).then(|| before.clone()),
    })
}

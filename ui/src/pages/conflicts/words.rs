//! The core's codes in the user's words: conflict kinds and their reasons, decisions, why a
//! decision was refused, why an edit was refused. Unknown codes fall back to the core's text.

use timebridge_types::conflicts::{Decision, DecisionKind};

use crate::i18n::pages::conflicts::t;

/// A conflict kind, short (`both_changed` → "Changed on both sides").
pub(super) fn kind(code: &str) -> String {
    let t = t();
    match code {
        "both_changed" => t.kind_both_changed,
        "billed_changed_at_source" => t.kind_billed,
        "deleted_in_kimai" => t.kind_deleted_in_kimai,
        "deleted_at_source_edited_in_kimai" => t.kind_deleted_at_source,
        "new_entry_in_closed_month" => t.kind_closed_month,
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// Why it is a conflict and what the choices mean; `fallback` is the core's sentence.
pub(super) fn reason(code: &str, fallback: &str) -> String {
    let t = t();
    match code {
        "both_changed" => t.why_both_changed,
        "billed_changed_at_source" => t.why_billed,
        "deleted_in_kimai" => t.why_deleted_in_kimai,
        "deleted_at_source_edited_in_kimai" => t.why_deleted_at_source,
        "new_entry_in_closed_month" => t.why_closed_month,
        _ => return fallback.to_string(),
    }
    .to_string()
}

/// A decision's button label.
pub(super) fn choice(kind: DecisionKind) -> &'static str {
    let t = t();
    match kind {
        DecisionKind::TakeZammad => t.take_zammad,
        DecisionKind::KeepKimai => t.keep_kimai,
        DecisionKind::Recreate => t.recreate,
        DecisionKind::AcceptDeletion => t.accept_deletion,
        DecisionKind::Ignore => t.ignore,
        DecisionKind::Edit => t.edit,
    }
}

/// The kind of a stored decision.
pub(super) fn kind_of(d: &Decision) -> DecisionKind {
    match d {
        Decision::TakeZammad => DecisionKind::TakeZammad,
        Decision::KeepKimai => DecisionKind::KeepKimai,
        Decision::Recreate => DecisionKind::Recreate,
        Decision::AcceptDeletion => DecisionKind::AcceptDeletion,
        Decision::Ignore => DecisionKind::Ignore,
        Decision::Edit { .. } => DecisionKind::Edit,
    }
}

/// The `data-decision` value: the decision kind in snake_case.
pub(super) fn code(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::TakeZammad => "take_zammad",
        DecisionKind::KeepKimai => "keep_kimai",
        DecisionKind::Recreate => "recreate",
        DecisionKind::AcceptDeletion => "accept_deletion",
        DecisionKind::Ignore => "ignore",
        DecisionKind::Edit => "edit",
    }
}

/// A stored decision, as the list shows it.
pub(super) fn decided(d: &Decision) -> &'static str {
    match d {
        Decision::Edit { .. } => t().edited,
        d => choice(kind_of(d)),
    }
}

/// Why the core did not store a decision for one conflict.
pub(super) fn refused(reason: &str) -> String {
    if reason.starts_with("the entry has no open conflict") {
        t().refused_no_conflict.to_string()
    } else if reason.starts_with("this decision does not apply") {
        t().refused_not_applicable.to_string()
    } else {
        reason.to_string()
    }
}

/// Why the core refused an edit (its `validation` message), in the user's words.
pub(super) fn invalid(message: &str) -> String {
    let t = t();
    let known = [
        ("end must be after", t.v_order),
        ("ends on the day", t.v_day),
        ("must begin in that month", t.v_month),
        ("already billed", t.v_closed),
        ("no project", t.v_project),
        ("activity", t.v_activity),
        ("marker", t.v_marker),
        ("not a date and time", t.v_time),
    ];
    known
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or_else(|| message.to_string(), |(_, text)| text.to_string())
}

/// The human part of a description: marker tokens (`[tb:…]`) removed.
pub(super) fn without_marker(description: &str) -> String {
    let mut out = String::new();
    let mut rest = description;
    while let Some(start) = rest.find("[tb:") {
        out.push_str(&rest[..start]);
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

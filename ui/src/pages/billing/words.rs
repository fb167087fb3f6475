//! The core's kinds and codes in the window's language: blockers, differences, run states and
//! error codes are translated here by their kind; the core's English sentence is shown only
//! for a kind this window does not know yet.

use timebridge_types::billing::BlockerView;
use timebridge_types::dashboard::DifferenceView;
use timebridge_types::{ApiError, ErrorCode};

use crate::i18n::fmt;
use crate::i18n::pages::billing::{t, Billing};

/// Replaces `{name}` placeholders in a template.
pub(super) fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

/// A decimal string formatted in the current language, as a reactive text.
pub(super) fn dec(value: &str) -> impl Fn() -> String + Send + Sync + 'static {
    let value = value.to_string();
    move || fmt::decimal(&value)
}

/// The previous month (`YYYY-MM`) by the computer's clock: the page's default, as the core's.
pub(super) fn previous_month() -> String {
    let now = js_sys::Date::new_0();
    let (year, month) = (now.get_full_year(), now.get_month()); // month 0-based
    if month == 0 {
        format!("{:04}-12", year - 1)
    } else {
        format!("{year:04}-{month:02}")
    }
}

fn conflict_words(t: &Billing, kind: &str) -> String {
    match kind {
        "both_changed" => t.conflict_both_changed,
        "billed_changed_at_source" => t.conflict_billed_changed,
        "deleted_in_kimai" => t.conflict_deleted_in_kimai,
        "deleted_at_source_edited_in_kimai" => t.conflict_deleted_edited,
        "new_entry_in_closed_month" => t.conflict_closed_month,
        other => return other.replace('_', " "),
    }
    .to_string()
}

fn park_words(t: &Billing, reason: &str) -> String {
    match reason {
        "unapplied_correction" => t.reason_correction,
        "ambiguous_marker" => t.reason_marker,
        "invalid" => t.reason_invalid,
        "refused" => t.reason_refused,
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// A blocker in words.
pub(super) fn blocker(b: &BlockerView) -> String {
    let t = t();
    let subject = || {
        let month = b
            .month
            .as_deref()
            .map(fmt::month)
            .unwrap_or_else(|| t.month_unknown.to_string());
        (
            "subject",
            format!("{} ({month})", b.entry.clone().unwrap_or_default()),
        )
    };
    let timesheet = || {
        (
            "timesheet",
            b.timesheet_id.map(|i| i.to_string()).unwrap_or_default(),
        )
    };
    let detail = b.detail.clone().unwrap_or_default();
    match (b.kind.as_str(), b.entry.is_some()) {
        ("pending_write", true) => fill(t.blocker_pending, &[subject()]),
        ("conflict", true) => fill(
            t.blocker_conflict,
            &[subject(), ("conflict", conflict_words(t, &detail))],
        ),
        ("parked", true) if detail == "needs_mapping" => {
            fill(t.blocker_needs_mapping, &[subject()])
        }
        ("parked", true) => fill(
            t.blocker_parked,
            &[subject(), ("reason", park_words(t, &detail))],
        ),
        ("held", true) => fill(t.blocker_held, &[subject()]),
        ("running_timesheet", _) if b.timesheet_id.is_some() => {
            fill(t.blocker_running, &[timesheet()])
        }
        ("unknown_project", _) if b.timesheet_id.is_some() => fill(
            t.blocker_unknown_project,
            &[timesheet(), ("project", detail)],
        ),
        ("stale_sync", _) if !detail.is_empty() => {
            fill(t.blocker_stale, &[("time", fmt::instant(&detail))])
        }
        ("never_synced", _) => t.blocker_never.to_string(),
        ("awaiting_go_ahead", _) => fill(t.blocker_go_ahead, &[("helpdesk", detail)]),
        // A core without the particulars, or a kind this window does not know.
        _ => b.text.clone(),
    }
}

/// What fixes a blocker: the page to open, a sync, or a fresh look (fixed in Kimai itself).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fix {
    Conflicts,
    Mappings,
    Entries,
    Sync,
    Recheck,
}

/// The fix of a blocker.
pub(super) fn fix_of(b: &BlockerView) -> Fix {
    match b.kind.as_str() {
        "conflict" => Fix::Conflicts,
        "parked" if b.detail.as_deref() == Some("needs_mapping") => Fix::Mappings,
        "parked" | "held" => Fix::Entries,
        "pending_write" | "stale_sync" | "never_synced" => Fix::Sync,
        _ => Fix::Recheck,
    }
}

/// A difference between Zammad and Kimai in words.
pub(super) fn difference(d: &DifferenceView) -> String {
    let t = t();
    let entry = ("entry", d.entry.clone());
    let timesheet = (
        "timesheet",
        d.timesheet_id.map(|i| i.to_string()).unwrap_or_default(),
    );
    match d.kind.as_str() {
        "missing_in_kimai" => fill(t.diff_missing, &[entry, timesheet]),
        "differs" if !d.fields.is_empty() => {
            let fields: Vec<&str> = d
                .fields
                .iter()
                .map(|f| match f.as_str() {
                    "begin" => t.field_begin,
                    "end" => t.field_end,
                    "project" => t.field_project,
                    "activity" => t.field_activity,
                    other => other,
                })
                .collect();
            fill(
                t.diff_differs,
                &[entry, timesheet, ("fields", fields.join(", "))],
            )
        }
        "accepted_deletion" => fill(t.diff_accepted, &[entry]),
        _ => d.explanation.clone(),
    }
}

/// A run's state in words.
pub(super) fn run_state(state: &str) -> String {
    let t = t();
    match state {
        "running" => t.state_running,
        "done" => t.state_done,
        "failed" => t.state_failed,
        "reversed" => t.state_reversed,
        "partly_reversed" => t.state_partly_reversed,
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// The pill class of a run state.
pub(super) fn state_class(state: &str) -> &'static str {
    match state {
        "done" => "pill ok",
        "running" | "partly_reversed" => "pill warn",
        "failed" => "pill bad",
        _ => "pill",
    }
}

/// A heading for an error from the core, by its code (the core's message follows it).
pub(super) fn error_heading(e: &ApiError) -> &'static str {
    let t = t();
    match e.code {
        ErrorCode::Blocked => t.err_blocked,
        ErrorCode::Offline => t.err_offline,
        ErrorCode::Validation => t.err_validation,
        ErrorCode::NotConfigured | ErrorCode::TokenMissing => t.err_not_configured,
        ErrorCode::AuthFailed => t.err_auth,
        ErrorCode::SyncRunning => t.err_sync_running,
        ErrorCode::Remote => t.err_remote,
        _ => t.err_other,
    }
}

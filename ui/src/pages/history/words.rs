//! The core's codes on the history page in the user's words: triggers, modes, outcomes, audit
//! actions, actors and the undo reason codes. Unknown codes are shown as they come.

use crate::i18n::pages::history::t;

fn or_code(known: Option<&'static str>, code: &str) -> String {
    known.map_or_else(|| code.replace('_', " "), str::to_string)
}

/// `manual`, `schedule`, `cli`.
pub(super) fn trigger(code: &str) -> String {
    let t = t();
    or_code(
        match code {
            "manual" => Some(t.trigger_manual),
            "schedule" => Some(t.trigger_schedule),
            "cli" => Some(t.trigger_cli),
            _ => None,
        },
        code,
    )
}

/// `sync`, `preview`, `undo`.
pub(super) fn mode(code: &str) -> String {
    let t = t();
    or_code(
        match code {
            "sync" => Some(t.mode_sync),
            "preview" => Some(t.mode_preview),
            "undo" => Some(t.mode_undo),
            _ => None,
        },
        code,
    )
}

/// A run's or an undo's outcome.
pub(super) fn outcome(code: &str) -> String {
    let t = t();
    or_code(
        match code {
            "running" => Some(t.outcome_running),
            "ok" => Some(t.outcome_ok),
            "offline" => Some(t.outcome_offline),
            "failed" => Some(t.outcome_failed),
            "interrupted" => Some(t.outcome_interrupted),
            _ => None,
        },
        code,
    )
}

/// The pill class of an outcome.
pub(super) fn outcome_class(code: &str) -> &'static str {
    match code {
        "ok" => "pill ok",
        "offline" | "interrupted" => "pill warn",
        "failed" => "pill bad",
        _ => "pill",
    }
}

/// An audit action (`create`, `update`, …).
pub(super) fn action(code: &str) -> String {
    let t = t();
    or_code(
        match code {
            "create" => Some(t.act_create),
            "adopt" => Some(t.act_adopt),
            "update" => Some(t.act_update),
            "delete" => Some(t.act_delete),
            "keep_user_edit" => Some(t.act_keep_user_edit),
            "rebase" => Some(t.act_rebase),
            "forget_link" => Some(t.act_forget_link),
            "tombstone" => Some(t.act_tombstone),
            _ => None,
        },
        code,
    )
}

/// Who wrote it.
pub(super) fn actor(code: &str) -> String {
    let t = t();
    or_code(
        match code {
            "scheduler" => Some(t.by_scheduler),
            "user" => Some(t.by_user),
            "cli" => Some(t.by_cli),
            _ => None,
        },
        code,
    )
}

/// What undoing does, or why not, by the core's code; `None` for an unknown code (then the
/// core's sentence is shown).
pub(super) fn undo_code(code: &str) -> Option<&'static str> {
    let t = t();
    Some(match code {
        "deleted" => t.code_deleted,
        "restored" => t.code_restored,
        "recreated" => t.code_recreated,
        "already_gone" => t.code_already_gone,
        "already_undone" => t.code_already_undone,
        "exported" => t.code_exported,
        "changed_in_kimai" => t.code_changed_in_kimai,
        "deleted_in_kimai" => t.code_deleted_in_kimai,
        "changed_since" => t.code_changed_since,
        "month_closed" => t.code_month_closed,
        "locked" => t.code_locked,
        "rejected" => t.code_rejected,
        "failed" => t.code_failed,
        "not_attempted" => t.code_not_attempted,
        "ticket_unknown" => t.code_ticket_unknown,
        _ => return None,
    })
}

/// Whether the core's sentence adds something (Kimai's message) to the translated code.
pub(super) fn with_detail(code: &str) -> bool {
    matches!(code, "rejected" | "failed")
}

//! A connection check's outcome as the wizard shows it: the core's specific `CheckProblem`
//! (its stable code, the sentence for people, the missing permission) or what was found; and
//! a failed check as the `ApiError` of a save.

use timebridge_types::setup::{CheckProblemView, CheckView};
use timebridge_types::{ApiError, ErrorCode};

use timebridge_core::connections::{CheckProblem, KimaiAccount, ZammadAccount};
use timebridge_core::sync::time::TimeUnit;

fn problem_view(p: &CheckProblem) -> CheckProblemView {
    CheckProblemView {
        code: p.code().to_string(),
        message: p.message(),
        permission: match p {
            CheckProblem::Forbidden { permission, .. } => permission.clone(),
            _ => None,
        },
        transient: p.is_transient(),
    }
}

pub(super) fn failed_check(p: &CheckProblem) -> CheckView {
    CheckView {
        ok: false,
        problem: Some(problem_view(p)),
        summary: None,
        timezone: None,
        warnings: Vec::new(),
        time_unit: None,
        unit_setting: None,
    }
}

pub(super) fn kimai_ok(a: &KimaiAccount) -> CheckView {
    CheckView {
        ok: true,
        problem: None,
        summary: Some(format!(
            "Kimai {} as {}, timezone {}",
            a.version, a.username, a.timezone
        )),
        timezone: Some(a.timezone.clone()),
        warnings: Vec::new(),
        time_unit: None,
        unit_setting: None,
    }
}

pub(super) fn zammad_ok(a: &ZammadAccount) -> CheckView {
    CheckView {
        ok: true,
        problem: None,
        summary: Some(format!("Zammad as {} ({})", a.login, a.name)),
        timezone: None,
        warnings: a.warnings.iter().map(|w| w.message()).collect(),
        time_unit: TimeUnit::of_zammad_setting(&a.time_accounting.unit)
            .as_ref()
            .map(super::views::unit_view),
        unit_setting: Some(a.time_accounting.unit_setting()),
    }
}

/// A failed check as an error of `save_*`: the problem's code decides the `ErrorCode`.
pub(super) fn check_error(p: &CheckProblem) -> ApiError {
    let code = match p {
        CheckProblem::AuthFailed { .. } => ErrorCode::AuthFailed,
        _ if p.is_transient() => ErrorCode::Offline,
        CheckProblem::Dns { .. } | CheckProblem::Refused { .. } | CheckProblem::Tls { .. } => {
            ErrorCode::Offline
        }
        _ => ErrorCode::Validation,
    };
    ApiError {
        code,
        message: p.message(),
        retryable: p.is_transient(),
    }
}

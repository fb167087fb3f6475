//! How a connection check and a core error look, shared by the wizard, the settings'
//! connections card and the mappings page: the problem in plain words chosen by its code (so
//! German users read German), the missing permission, whether retrying may help, and the
//! core's English sentence folded away as technical details.

use leptos::prelude::*;
use timebridge_types::setup::{CheckProblemView, CheckView};
use timebridge_types::{ApiError, ErrorCode};

use crate::i18n::pages::wizard::{t, Wizard};

/// The words for a check problem's code, `None` for a code this build does not know.
fn problem_text(w: &'static Wizard, code: &str) -> Option<&'static str> {
    Some(match code {
        "invalid_url" => w.p_invalid_url,
        "dns" => w.p_dns,
        "refused" => w.p_refused,
        "tls" => w.p_tls,
        "timeout" => w.p_timeout,
        "unreachable" => w.p_unreachable,
        "auth_failed" => w.p_auth_failed,
        "forbidden" => w.p_forbidden,
        "not_kimai" => w.p_not_kimai,
        "not_zammad" => w.p_not_zammad,
        "rate_limited" => w.p_rate_limited,
        "server_error" => w.p_server_error,
        "unexpected_response" => w.p_unexpected_response,
        _ => return None,
    })
}

/// The outcome of "Test connection": `id` carries `data-ok`, `problem_id` the code.
#[component]
pub(crate) fn CheckOutcome(check: CheckView, id: String, problem_id: String) -> impl IntoView {
    let ok = check.ok;
    let body = match check.problem {
        Some(p) if !ok => view! { <ProblemLines problem=p id=problem_id/> }.into_any(),
        _ => {
            let warnings = check.warnings;
            let has_warnings = !warnings.is_empty();
            view! {
                <p class="check-title">
                    {move || if has_warnings { t().warnings } else { t().check_ok }}
                </p>
                {check.summary.map(|s| view! { <p class="check-summary">{s}</p> })}
                {has_warnings.then(|| view! {
                    <ul class="check-warnings">
                        {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                    </ul>
                })}
            }
            .into_any()
        }
    };
    let class = if ok { "check ok-box" } else { "check error" };
    view! {
        <div class=class id=id data-ok=if ok { "true" } else { "false" } role="status">
            {body}
        </div>
    }
}

#[component]
fn ProblemLines(problem: CheckProblemView, id: String) -> impl IntoView {
    let code = problem.code.clone();
    let message = problem.message.clone();
    let text = {
        let (code, message) = (code.clone(), message.clone());
        move || problem_text(t(), &code).map_or_else(|| message.clone(), str::to_string)
    };
    let data_code = code.clone();
    view! {
        <div class="check-problem" id=id data-code=data_code>
            <p class="check-title">{move || t().check_failed}</p>
            <p class="check-text">{text}</p>
            {problem.permission.map(|p| view! {
                <p class="check-permission">
                    {move || t().permission} ": " <code>{p}</code>
                </p>
            })}
            {problem.transient.then(|| view! {
                <p class="check-transient">{move || t().transient}</p>
            })}
            <details class="check-details">
                <summary>{move || t().details}</summary>
                <p>{message}</p>
                <p><code>{code}</code></p>
            </details>
        </div>
    }
}

/// A core error's lead sentence by code; the core's message follows it (it is specific, e.g.
/// which field a validation error is about).
fn error_lead(w: &'static Wizard, code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Validation => w.e_validation,
        ErrorCode::Offline => w.e_offline,
        ErrorCode::AuthFailed => w.e_auth_failed,
        ErrorCode::TokenMissing => w.e_token_missing,
        ErrorCode::KeychainUnavailable => w.e_keychain,
        ErrorCode::SyncRunning => w.e_sync_running,
        ErrorCode::NotConfigured => w.e_not_configured,
        ErrorCode::NotFound => w.e_not_found,
        _ => w.e_other,
    }
}

/// A core error: the lead in the user's language, the core's message, the code for support.
#[component]
pub(crate) fn Problem(error: ApiError, id: String) -> impl IntoView {
    let code = error.code;
    view! {
        <div class="error problem" role="alert" id=id data-code=code.as_str()>
            <p class="error-lead">{move || error_lead(t(), code)}</p>
            <p class="error-message">{error.message}</p>
            {error.retryable.then(|| view! {
                <p class="check-transient">{move || t().transient}</p>
            })}
        </div>
    }
}

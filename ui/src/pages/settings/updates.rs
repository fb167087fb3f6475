//! The updates card: the running version, what the release server offers, "Check now",
//! "Install" (always the user's choice), the wait for a running sync, "Restart now"; a refused
//! signature or a failed install said in plain words with what to do. The shell announces
//! every change (`update://changed`: a check at start or the daily one may find a version
//! while the page is open); while something is going the card also asks every 700 ms, for
//! the download's progress.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::updates::{UpdateProblem, UpdateState, UpdateView};
use timebridge_types::ApiError;

use crate::api;
use crate::components::ErrorBox;
use crate::i18n::fmt;
use crate::i18n::pages::settings::t;

/// Waits `ms` milliseconds.
async fn pause(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(
            move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            },
            Duration::from_millis(ms),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn going(state: UpdateState) -> bool {
    matches!(
        state,
        UpdateState::Checking | UpdateState::WaitingForSync | UpdateState::Installing
    )
}

/// Shows `first`, then follows the updater until nothing is going.
async fn follow(view: RwSignal<Option<UpdateView>>, first: UpdateView) {
    let mut now = first;
    loop {
        let still = going(now.state);
        view.set(Some(now));
        if !still {
            return;
        }
        pause(700).await;
        match api::update_status().await {
            Ok(next) => now = next,
            Err(_) => return,
        }
    }
}

fn state_text(v: &UpdateView) -> String {
    let version = v.available.clone().unwrap_or_default();
    match v.state {
        UpdateState::NotConfigured => t().update_not_configured.into(),
        UpdateState::NotChecked => t().update_not_checked.into(),
        UpdateState::Checking => t().update_checking.into(),
        UpdateState::UpToDate => t().update_up_to_date.into(),
        UpdateState::Available => t().update_available.replace("{version}", &version),
        UpdateState::WaitingForSync => t().update_waiting.into(),
        UpdateState::Installing => match v.downloaded {
            Some((done, Some(total))) if total > 0 => {
                format!("{} {}%", t().update_installing, done * 100 / total)
            }
            _ => t().update_installing.into(),
        },
        UpdateState::Installed => t().update_installed.replace("{version}", &version),
        UpdateState::Failed => match v.problem {
            Some(UpdateProblem::Network) => t().update_network.into(),
            Some(UpdateProblem::NoRelease) => t().update_no_release.into(),
            Some(UpdateProblem::Signature) => t().update_signature.into(),
            Some(UpdateProblem::Install) => t().update_install_failed.into(),
            Some(UpdateProblem::Other) | None => t().update_other.into(),
        },
    }
}

fn state_name(state: UpdateState) -> &'static str {
    match state {
        UpdateState::NotConfigured => "not_configured",
        UpdateState::NotChecked => "not_checked",
        UpdateState::Checking => "checking",
        UpdateState::UpToDate => "up_to_date",
        UpdateState::Available => "available",
        UpdateState::WaitingForSync => "waiting_for_sync",
        UpdateState::Installing => "installing",
        UpdateState::Installed => "installed",
        UpdateState::Failed => "failed",
    }
}

/// The updates card.
#[component]
pub(super) fn UpdatesCard() -> impl IntoView {
    let view = crate::state::shared().update;
    let error = RwSignal::new(None::<ApiError>);
    spawn_local(async move {
        match api::update_status().await {
            Ok(v) => follow(view, v).await,
            Err(e) => error.set(Some(e)),
        }
    });
    // "Check now" (`false`) or "Install" (`true`).
    let act = move |install: bool| {
        error.set(None);
        spawn_local(async move {
            let answer = if install {
                api::install_update().await
            } else {
                api::check_update().await
            };
            match answer {
                Ok(v) => follow(view, v).await,
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let state = move || view.get().map(|v| v.state);
    let can_check = move || {
        state().is_some_and(|s| {
            matches!(
                s,
                UpdateState::NotChecked
                    | UpdateState::UpToDate
                    | UpdateState::Available
                    | UpdateState::Failed
            )
        })
    };
    let can_install = move || {
        view.get().is_some_and(|v| {
            v.available.is_some()
                && (v.state == UpdateState::Available
                    || (v.state == UpdateState::Failed
                        && v.problem != Some(UpdateProblem::Network)))
        })
    };
    let restart = move |_| {
        error.set(None);
        spawn_local(async move {
            if let Err(e) = api::restart_app().await {
                error.set(Some(e));
            }
        });
    };
    view! {
        <div class="card" id="settings-updates">
            <div class="card-title-row">
                <h3>{move || t().updates_title}</h3>
                <Show when=can_check>
                    <button id="update-check" class="secondary"
                        on:click=move |_| act(false)>{move || t().update_check_now}</button>
                </Show>
            </div>
            {move || view.get().map(|v| {
                let name = state_name(v.state);
                let text = state_text(&v);
                let detail = v.detail.clone();
                let checked = v.last_checked.clone();
                view! {
                    <p class="muted">{move || t().update_current} ": "
                        <span id="update-current" class="mono">{v.current.clone()}</span></p>
                    <p id="update-state" data-state=name
                        class:error-lead=v.state == UpdateState::Failed>{text}</p>
                    {detail.map(|d| view! { <p id="update-detail" class="field-hint muted mono">{d}</p> })}
                    {checked.map(|c| view! {
                        <p class="field-hint muted">{move || t().update_last_checked.replace("{time}", &fmt::instant(&c))}</p>
                    })}
                }
            })}
            <Show when=can_install>
                <button id="update-install" on:click=move |_| act(true)>
                    {move || t().update_install.replace("{version}", &view.get().and_then(|v| v.available).unwrap_or_default())}
                </button>
            </Show>
            <Show when=move || state() == Some(UpdateState::Installed)>
                <button id="update-restart" on:click=restart>{move || t().update_restart}</button>
            </Show>
            {move || error.get().map(|e| view! { <ErrorBox error=e id="update-error"/> })}
        </div>
    }
}

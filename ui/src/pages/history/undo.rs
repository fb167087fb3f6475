//! Undo of a run, in two steps: first the preview (nothing written) — what will be undone and
//! what will stay, each with its reason in plain words — then, on confirmation, the undo
//! itself and its result.

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::history::{UndoItem, UndoView};
use timebridge_types::{ApiError, EntryKey};

use super::words;
use crate::api;
use crate::components::{ErrorBox, Loading};
use crate::i18n::pages::history::t;
use crate::state::shared;

/// Where the undo of a run stands.
#[derive(Clone)]
pub(super) enum UndoState {
    /// Nothing asked.
    Idle,
    /// Asking the core (preview or undo).
    Busy,
    /// The preview, waiting for confirmation.
    Preview(UndoView),
    /// The undo's result.
    Done(UndoView),
    /// A command failed.
    Failed(ApiError),
}

fn kid(k: &EntryKey) -> String {
    format!("{}-{}", k.instance, k.time_accounting_id)
}

/// Loads the preview of undoing run `id`.
pub(super) fn preview(state: RwSignal<UndoState>, id: i64) {
    state.set(UndoState::Busy);
    spawn_local(async move {
        state.set(match api::undo_preview(id).await {
            Ok(v) => UndoState::Preview(v),
            Err(e) => UndoState::Failed(e),
        });
    });
}

fn confirm(state: RwSignal<UndoState>, id: i64) {
    let shared = shared();
    state.set(UndoState::Busy);
    spawn_local(async move {
        let outcome = api::undo_run(id).await;
        shared.bump();
        state.set(match outcome {
            Ok(v) => UndoState::Done(v),
            Err(e) => UndoState::Failed(e),
        });
    });
}

/// The undo panel for the current state.
#[component]
pub(super) fn UndoPanel(state: RwSignal<UndoState>) -> impl IntoView {
    move || match state.get() {
        UndoState::Idle => ().into_any(),
        UndoState::Busy => view! { <Loading/> }.into_any(),
        UndoState::Failed(e) => view! { <ErrorBox error=e id="undo-error"/> }.into_any(),
        UndoState::Preview(v) => {
            let run = v.undoes_run;
            view! {
                <section class="card undo-panel" id="undo-preview" data-run=run.to_string()>
                    <h3>{move || t().preview_title.replace("{}", &format!("#{run}"))}</h3>
                    {v.error.clone().map(|e| view! { <p class="warn-box">{e}</p> })}
                    <Lists v=v.clone() will="undo-will" wont="undo-wont"/>
                    {(!v.undone.is_empty()).then(|| view! { <p class="muted small">{move || t().held_note}</p> })}
                    <div class="actions">
                        <button class="danger" id="undo-confirm" disabled=v.undone.is_empty()
                            on:click=move |_| confirm(state, run)>{move || t().confirm}</button>
                        <button class="secondary" id="undo-cancel"
                            on:click=move |_| state.set(UndoState::Idle)>{move || t().cancel}</button>
                    </div>
                </section>
            }
            .into_any()
        }
        UndoState::Done(v) => {
            let class = if v.outcome == "ok" {
                "card undo-panel done ok"
            } else {
                "card undo-panel done warn"
            };
            let outcome = v.outcome.clone();
            view! {
                <section class=class id="undo-result" data-outcome=v.outcome.clone()
                    data-run=v.run_id.map(|r| r.to_string()).unwrap_or_default()>
                    <h3>
                        {move || t().result_title} " "
                        <span class=words::outcome_class(&outcome)>{
                            let o = outcome.clone();
                            move || words::outcome(&o)
                        }</span>
                    </h3>
                    <p>
                        <strong data-value=v.undone.len().to_string() id="undo-result-undone">{v.undone.len()}</strong>
                        " " {move || t().undone_n} " · "
                        <strong data-value=v.not_undone.len().to_string() id="undo-result-not-undone">{v.not_undone.len()}</strong>
                        " " {move || t().not_undone_n}
                    </p>
                    {v.error.clone().map(|e| view! { <p class="warn-box">{e}</p> })}
                    <Lists v=v.clone() will="undo-done" wont="undo-left"/>
                    <div class="actions">
                        <button class="secondary" id="undo-close"
                            on:click=move |_| state.set(UndoState::Idle)>{move || crate::i18n::common::t().close}</button>
                    </div>
                </section>
            }
            .into_any()
        }
    }
}

/// What is (or will be) undone, and what stays, with reasons.
#[component]
fn Lists(v: UndoView, will: &'static str, wont: &'static str) -> impl IntoView {
    let items = |items: Vec<UndoItem>, prefix: &'static str| {
        items
            .into_iter()
            .map(|i| {
                let code = i.code.clone();
                let text = i.text.clone();
                let action = i.action.clone();
                view! {
                    <li id=format!("{prefix}-{}", kid(&i.key)) data-code=i.code.clone()>
                        <span class="key">{i.key.label()}</span>
                        <span class="muted small">{move || words::action(&action)}
                            {i.timesheet_id.map(|id| format!(" · #{id}"))}</span>
                        <span class="why">{
                            let (code, text) = (code.clone(), text.clone());
                            move || match words::undo_code(&code) {
                                Some(w) if words::with_detail(&code) => format!("{w}: {text}"),
                                Some(w) => w.to_string(),
                                None => text.clone(),
                            }
                        }</span>
                    </li>
                }
            })
            .collect_view()
    };
    let (undone, left) = (v.undone.is_empty(), v.not_undone.is_empty());
    view! {
        <div class="undo-lists">
            <div class="undo-list will">
                <h4>{move || t().will} " (" {v.undone.len()} ")"</h4>
                <ul id=will>{items(v.undone.clone(), will)}</ul>
                {undone.then(|| view! { <p class="muted">{move || t().will_none}</p> })}
            </div>
            <div class="undo-list wont">
                <h4>{move || t().wont} " (" {v.not_undone.len()} ")"</h4>
                <ul id=wont>{items(v.not_undone.clone(), wont)}</ul>
                {left.then(|| view! { <p class="muted">{move || t().wont_none}</p> })}
            </div>
        </div>
    }
}

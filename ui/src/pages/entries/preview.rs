//! "Preview next sync": what a run would do now, nothing written. Each action in plain words
//! (by its code; the core's English description is the row's tooltip), whether it writes to
//! Kimai, and a click opens the entry.

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::entries::{PlannedAction, SyncPreviewView};
use timebridge_types::{ApiError, EntryKey};

use super::key_id;
use crate::api;
use crate::components::ErrorBox;
use crate::i18n::common;
use crate::i18n::pages::entries::{t, Entries};

/// The preview's result, shared by the button and the result card.
pub(super) type PreviewState = RwSignal<Option<Result<SyncPreviewView, ApiError>>>;

/// At most this many actions are listed (a first sync of a large helpdesk plans thousands).
const SHOWN: usize = 300;

/// The button in the page header.
#[component]
pub(super) fn PreviewButton(preview: PreviewState, running: RwSignal<bool>) -> impl IntoView {
    let start = move |_| {
        running.set(true);
        spawn_local(async move {
            let result = api::preview_sync().await;
            preview.set(Some(result));
            running.set(false);
        });
    };
    view! {
        <button id="entries-preview" class="secondary" disabled=move || running.get()
            on:click=start>
            {move || if running.get() { t().previewing } else { t().preview }}
        </button>
    }
}

fn action_words(tx: &Entries, a: &PlannedAction) -> String {
    match a.action.as_str() {
        "create" => tx.a_create,
        "update" => tx.a_update,
        "delete" => tx.a_delete,
        "keep_user_edit" => tx.a_keep_user_edit,
        "rebase" => tx.a_rebase,
        "forget_link" => tx.a_forget_link,
        "park" => tx.a_park,
        "conflict" => tx.a_conflict,
        _ => return a.description.clone(),
    }
    .to_string()
}

/// The result card (`entries-preview-result`).
#[component]
pub(super) fn PreviewResult(
    preview: PreviewState,
    selected: RwSignal<Option<EntryKey>>,
) -> impl IntoView {
    move || {
        preview.get().map(|result| match result {
            Err(e) => view! {
                <div class="card" id="entries-preview-result" data-outcome="error">
                    <ErrorBox error=e/>
                </div>
            }
            .into_any(),
            Ok(p) => view! { <PreviewCard preview=p state=preview selected=selected/> }.into_any(),
        })
    }
}

#[component]
fn PreviewCard(
    preview: SyncPreviewView,
    state: PreviewState,
    selected: RwSignal<Option<EntryKey>>,
) -> impl IntoView {
    let count = preview.actions.len();
    let writes = preview.actions.iter().filter(|a| a.writes).count();
    let outcome = preview.outcome.clone();
    let problem = match outcome.as_str() {
        "ok" => None,
        "offline" => Some((true, preview.error.clone())),
        _ => Some((false, preview.error.clone())),
    };
    let more = count.saturating_sub(SHOWN);
    let rows = preview
        .actions
        .into_iter()
        .take(SHOWN)
        .map(|a| {
            let id = format!("preview-action-{}", key_id(&a.key));
            let key = a.key.clone();
            let label = a.key.label();
            let action = a.action.clone();
            let tooltip = a.description.clone();
            let write_class = if a.writes { "pill warn" } else { "pill" };
            let write = a.writes;
            view! {
                <tr id=id data-action=action data-writes=write.to_string() title=tooltip>
                    <td>{move || action_words(t(), &a)}</td>
                    <td>
                        <button class="link" on:click=move |_| selected.set(Some(key.clone()))>
                            {label}
                        </button>
                    </td>
                    <td>
                        <span class=write_class>
                            {move || if write { t().preview_writes } else { t().preview_no_write }}
                        </span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="card preview-card" id="entries-preview-result" data-outcome=outcome>
            <header class="preview-head">
                <h3>{move || t().preview_title}</h3>
                <button class="link" id="entries-preview-close" on:click=move |_| state.set(None)>
                    {move || common::t().close}
                </button>
            </header>
            {problem.map(|(offline, error)| view! {
                <div class="warn-box">
                    <p>{move || if offline { t().preview_offline } else { t().preview_failed }}</p>
                    {error.map(|e| view! { <p class="small">{e}</p> })}
                </div>
            })}
            {if count == 0 {
                view! { <p class="ok-box">{move || t().preview_nothing}</p> }.into_any()
            } else {
                view! {
                    <p class="muted">
                        <strong data-value=count.to_string()>{count}</strong> " "
                        {move || t().preview_summary} " "
                        <strong id="entries-preview-writes" data-value=writes.to_string()>{writes}</strong>
                    </p>
                    <div class="preview-scroll">
                        <table class="preview-table">
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    {(more > 0).then(|| view! {
                        <p class="muted">{move || t().preview_more.replace("{n}", &more.to_string())}</p>
                    })}
                }
                .into_any()
            }}
        </div>
    }
}

//! The connections card: every stored connection (never its token), a test with the stored
//! token showing the same plain-words diagnosis as the wizard, removal behind a confirm step,
//! and the way into the wizard to add a helpdesk.

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::setup::{CheckView, ConnectionKindDto, ConnectionView};
use timebridge_types::ApiError;

use crate::api;
use crate::components::Loading;
use crate::i18n::pages::settings::t;
use crate::pages::wizard::check::{CheckOutcome, Problem};
use crate::pages::wizard::{open_for_helpdesk, unit_label};
use crate::state::shared;

/// The connections card.
#[component]
pub(super) fn ConnectionsCard() -> impl IntoView {
    let shared = shared();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        shared.changed.get();
        reload.get();
        api::list_connections()
    });
    let has_kimai = move || {
        list.get()
            .and_then(Result::ok)
            .is_some_and(|l| l.iter().any(|c| c.kind == ConnectionKindDto::Kimai))
    };
    view! {
        <div class="card connections-card" id="settings-connections">
            <div class="card-title-row">
                <h3>{move || t().connections_title}</h3>
                <button id="settings-add-connection" class="secondary" on:click=move |_| open_for_helpdesk()>
                    {move || if has_kimai() { t().add_connection } else { t().setup_first }}
                </button>
            </div>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <Problem error=e id="settings-connections-error".into()/> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p class="muted">{move || t().connections_none}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="connection-list">
                            {l.into_iter().map(|c| view! { <ConnectionRow c=c reload=reload/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ConnectionRow(c: ConnectionView, reload: RwSignal<u32>) -> impl IntoView {
    let id = c.id;
    let testing = RwSignal::new(false);
    let result = RwSignal::new(None::<CheckView>);
    let error = RwSignal::new(None::<ApiError>);
    let confirming = RwSignal::new(false);
    let test = move |_| {
        testing.set(true);
        result.set(None);
        error.set(None);
        spawn_local(async move {
            match api::test_connection(id).await {
                Ok(check) => result.set(Some(check)),
                Err(e) => error.set(Some(e)),
            }
            testing.set(false);
        });
    };
    let remove = move |_| {
        error.set(None);
        // Read before spawning: the task has no reactive owner to find the context in.
        let shared = shared();
        spawn_local(async move {
            match api::remove_connection(id).await {
                Ok(()) => {
                    confirming.set(false);
                    reload.update(|n| *n += 1);
                    shared.bump();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let kind = c.kind;
    let token_stored = c.token_stored;
    view! {
        <li class="connection-row" id=format!("settings-connection-{id}")
            data-kind=match kind { ConnectionKindDto::Kimai => "kimai", ConnectionKindDto::Zammad => "zammad" }>
            <div class="connection-main">
                <span class=match kind { ConnectionKindDto::Kimai => "pill kind kimai", ConnectionKindDto::Zammad => "pill kind zammad" }>
                    {move || match kind { ConnectionKindDto::Kimai => t().kind_kimai, ConnectionKindDto::Zammad => t().kind_zammad }}
                </span>
                <strong>{c.name.clone()}</strong>
                {c.instance_key.clone().map(|k| view! { <code>{k}</code> })}
                <span class="muted url">{c.url.clone()}</span>
                {c.time_unit.clone().map(|u| view! { <span class="muted">{move || unit_label(&u)}</span> })}
                <span class=if token_stored { "pill ok" } else { "pill bad" }>
                    {move || if token_stored { t().token_stored } else { t().token_missing }}
                </span>
            </div>
            <div class="connection-actions">
                <button id=format!("settings-connection-test-{id}") class="secondary"
                    disabled=move || testing.get() on:click=test>
                    {move || if testing.get() { t().testing } else { t().test }}
                </button>
                <button id=format!("settings-connection-remove-{id}") class="danger"
                    disabled=move || confirming.get() on:click=move |_| confirming.set(true)>
                    {move || t().remove}
                </button>
            </div>
            <Show when=move || confirming.get()>
                <div class="warn-box confirm" id=format!("settings-connection-confirm-{id}")>
                    <p>{move || t().remove_confirm}</p>
                    <button id=format!("settings-connection-remove-confirm-{id}") class="danger" on:click=remove>
                        {move || t().remove_yes}
                    </button>
                    " "
                    <button id=format!("settings-connection-remove-cancel-{id}") class="secondary"
                        on:click=move |_| confirming.set(false)>
                        {move || crate::i18n::common::t().cancel}
                    </button>
                </div>
            </Show>
            {move || result.get().map(|check| view! {
                <CheckOutcome check=check id=format!("settings-connection-result-{id}")
                    problem_id=format!("settings-connection-problem-{id}")/>
            })}
            {move || error.get().map(|e| view! { <Problem error=e id=format!("settings-connection-error-{id}")/> })}
        </li>
    }
}

//! A new helpdesk's first sync waits for the user's go-ahead: its card says what the sync
//! would do (as the last run planned it) — timesheets to create, those already in Kimai it
//! links instead, entries that look booked by hand, differences to decide — offers to
//! rewrite the previous sync service's timesheets, and carries the sync out on "Go ahead".

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::dashboard::{FirstSyncView, GoAheadRequest};
use timebridge_types::ApiError;

use crate::api;
use crate::components::ErrorBox;
use crate::i18n::pages::dashboard::t;
use crate::state::shared;

/// One card per helpdesk waiting (`first-sync-{key}`).
#[component]
pub(super) fn FirstSyncCards(waiting: Vec<FirstSyncView>) -> impl IntoView {
    waiting
        .into_iter()
        .map(|view| view! { <FirstSyncCard view=view/> })
        .collect_view()
}

/// A count line (`first-sync-{key}-{what}`, `data-value`), shown when not zero.
fn line(key: &str, what: &str, n: u32, words: fn() -> &'static str) -> impl IntoView {
    (n > 0).then(|| {
        view! {
            <li id=format!("first-sync-{key}-{what}") data-value=n.to_string()>
                <strong>{n}</strong> " " {move || words()}
            </li>
        }
    })
}

#[component]
fn FirstSyncCard(view: FirstSyncView) -> impl IntoView {
    let shared = shared();
    let key = view.instance.clone();
    let rewrite = RwSignal::new(view.rewrite_previous);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let go = {
        let instance = key.clone();
        move |_| {
            busy.set(true);
            error.set(None);
            shared.last_result.set(None);
            let req = GoAheadRequest {
                instance: instance.clone(),
                rewrite_previous: rewrite.get_untracked(),
            };
            spawn_local(async move {
                let result = api::first_sync_go_ahead(&req).await;
                busy.set(false);
                match result {
                    Ok(done) => {
                        shared.last_result.set(Some(Ok(done)));
                        shared.bump();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let name = view.name.clone();
    let rewritable = view.rewritable;
    let counts = view.planned.then(|| {
        view! {
            <ul class="first-sync-counts">
                {line(&key, "creates", view.creates, || t().fs_creates)}
                {line(&key, "adopted", view.adopted, || t().fs_adopted)}
                {line(&key, "previous", view.adopted_previous, || t().fs_previous)}
                {line(&key, "twins", view.possible_twins, || t().fs_twins)}
                {line(&key, "conflicts", view.conflicts, || t().fs_conflicts)}
                {line(&key, "parked", view.parked, || t().fs_parked)}
                {line(&key, "changes", view.other_writes, || t().fs_changes)}
            </ul>
        }
    });
    view! {
        <div class="card notice first-sync" id=format!("first-sync-{key}")
            data-planned=view.planned.to_string() data-creates=view.creates.to_string()
            data-adopted=view.adopted.to_string() data-twins=view.possible_twins.to_string()
            data-rewritable=rewritable.to_string()>
            <h3>{move || t().fs_title.replace("{name}", &name)}</h3>
            <p class="small">{move || t().fs_hint}</p>
            {counts}
            {(!view.planned).then(|| view! { <p class="muted small">{move || t().fs_unplanned}</p> })}
            {(rewritable > 0).then(|| {
                let id = format!("first-sync-rewrite-{key}");
                let label_for = id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input type="checkbox" id=id prop:checked=move || rewrite.get()
                            on:change=move |ev| rewrite.set(event_target_checked(&ev))/>
                        {move || t().fs_rewrite.replace("{n}", &rewritable.to_string())}
                    </label>
                }
            })}
            <div class="actions">
                <button id=format!("first-sync-go-{key}") disabled=move || busy.get() on:click=go>
                    {move || if busy.get() { t().fs_going } else { t().fs_go }}
                </button>
            </div>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </div>
    }
}

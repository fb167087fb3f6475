//! History: the sync runs (time, trigger, mode, outcome, counts, which run an undo reversed);
//! a click shows what the run wrote ([`audit`]); "Undo this run" first previews what will
//! and will not be undone, then undoes on confirmation ([`undo`]).

mod audit;
mod undo;
mod words;

use leptos::prelude::*;
use timebridge_types::history::RunView;

use crate::api;
use crate::components::{ErrorBox, Loading, PageHeader};
use crate::i18n::fmt;
use crate::i18n::pages::history::t;
use crate::state::shared;
use undo::{UndoPanel, UndoState};

/// The history page.
#[component]
pub(crate) fn HistoryPage() -> impl IntoView {
    let shared = shared();
    let runs = LocalResource::new(move || {
        shared.changed.get();
        api::list_runs(100)
    });
    let selected = crate::memory::kept("history.selected", None::<i64>);
    let undo = RwSignal::new(UndoState::Idle);
    view! {
        <section class="page" id="page-history">
            <PageHeader title=Signal::derive(move || t().title)>
                <span class="muted">{move || t().intro}</span>
            </PageHeader>
            <UndoPanel state=undo/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || runs.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e id="history-error"/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted" id="history-empty">{move || t().no_runs}</p>
                    }.into_any(),
                    Ok(list) => view! { <Runs list=list selected=selected undo=undo/> }.into_any(),
                })}
            </Transition>
            {move || selected.get().map(|id| view! { <audit::Audit id=id/> })}
        </section>
    }
}

#[component]
fn Runs(
    list: Vec<RunView>,
    selected: RwSignal<Option<i64>>,
    undo: RwSignal<UndoState>,
) -> impl IntoView {
    view! {
        <div class="card runs-card">
            <table class="runs-table" id="runs">
                <thead><tr>
                    <th>{move || t().col_started}</th>
                    <th>{move || t().col_trigger}</th>
                    <th>{move || t().col_mode}</th>
                    <th>{move || t().col_outcome}</th>
                    <th>{move || t().col_changes}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|r| view! { <RunRow r=r selected=selected undo=undo/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RunRow(r: RunView, selected: RwSignal<Option<i64>>, undo: RwSignal<UndoState>) -> impl IntoView {
    let id = r.id;
    let (started, trigger, mode, outcome) = (
        r.started_at.clone(),
        r.trigger.clone(),
        r.mode.clone(),
        r.outcome.clone(),
    );
    let error = r.error.clone();
    let counts = [
        (
            r.created,
            "created",
            (|| t().n_created) as fn() -> &'static str,
        ),
        (r.updated, "updated", || t().n_updated),
        (r.deleted, "deleted", || t().n_deleted),
        (r.conflicts, "conflicts", || t().n_conflicts),
        (r.parked, "parked", || t().n_parked),
        (r.failed, "failed", || t().n_failed),
    ];
    let any = counts.iter().any(|(n, _, _)| *n > 0);
    let counts = counts
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, code, word)| view! {
            <span class=format!("count {code}") data-count=code data-value=n.to_string()>{n} " " {move || word()}</span>
        })
        .collect_view();
    view! {
        <tr id=format!("run-{id}") data-outcome=r.outcome.clone() data-trigger=r.trigger.clone() data-mode=r.mode.clone()
            class:selected=move || selected.get() == Some(id)
            on:click=move |_| selected.set(if selected.get_untracked() == Some(id) { None } else { Some(id) })>
            <td class="when">{move || fmt::instant(&started)} <span class="muted small">" #" {id}</span></td>
            <td>{move || words::trigger(&trigger)}</td>
            <td>
                {move || words::mode(&mode)}
                {r.undoes_run.map(|u| view! {
                    <span class="muted small undoes" data-value=u.to_string()>" ↶ " {move || t().undoes} " #" {u}</span>
                })}
            </td>
            <td>
                <span class=words::outcome_class(&r.outcome)>{move || words::outcome(&outcome)}</span>
                {error.map(|e| view! { <span class="run-error small" title=e.clone()>{e.clone()}</span> })}
            </td>
            <td class="counts">
                {counts}
                {(!any).then(|| view! { <span class="muted small">{move || t().nothing_written}</span> })}
            </td>
            <td class="undo">
                {r.undoable.then(|| view! {
                    <button class="secondary small" id=format!("run-undo-{id}")
                        on:click=move |ev| { ev.stop_propagation(); selected.set(Some(id)); undo::preview(undo, id); }>
                        "↶ " {move || t().undo_button}
                    </button>
                })}
            </td>
        </tr>
    }
}

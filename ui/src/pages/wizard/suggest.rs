//! The last step: mapping suggestions (a Zammad organization that looks like a Kimai
//! customer) for the user to accept or reject. Nothing is applied on its own: accepted ones
//! become organization rules only when the user clicks Finish (appended to the helpdesk's
//! current rules, never replacing one).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::settings::{MappingRuleView, ScopeKind};
use timebridge_types::setup::{KimaiCatalogView, MappingSuggestion};
use timebridge_types::ApiError;

use super::check::Problem;
use super::{Footer, Step, Wiz};
use crate::api;
use crate::i18n::pages::wizard::t;
use crate::state::{shared, Page};

/// The core's reason in the user's language (it sends English words without a code).
fn reason_text(reason: &str) -> String {
    let w = t();
    if reason == "the same name" {
        return w.reason_same.into();
    }
    match reason.strip_prefix("both names start with ") {
        Some(word) => format!("{} ({word})", w.reason_start),
        None => reason.into(),
    }
}

/// Appends the accepted suggestions as organization rules, per helpdesk.
async fn apply(accepted: Vec<(MappingSuggestion, i64)>) -> Result<(), ApiError> {
    if accepted.is_empty() {
        return Ok(());
    }
    for mut m in api::get_mappings().await? {
        let mine: Vec<_> = accepted
            .iter()
            .filter(|(s, _)| s.instance == m.instance)
            .collect();
        if mine.is_empty() {
            continue;
        }
        for (s, project) in mine {
            let exists = m
                .rules
                .iter()
                .any(|r| r.scope == ScopeKind::Organization && r.scope_id == s.organization.id);
            if !exists {
                m.rules.push(MappingRuleView {
                    scope: ScopeKind::Organization,
                    scope_id: s.organization.id,
                    customer: s.customer.id,
                    project: *project,
                    activity: None,
                });
            }
        }
        api::save_mappings(&m).await?;
    }
    Ok(())
}

/// The mappings step.
#[component]
pub(super) fn MappingsStep(wiz: Wiz) -> impl IntoView {
    let suggestions = LocalResource::new(api::mapping_suggestions);
    let catalog = LocalResource::new(api::kimai_catalog);
    // Index → accepted (true) or rejected (false); absent: undecided.
    let decisions = RwSignal::new(BTreeMap::<usize, bool>::new());
    // Index → the project chosen instead of the suggested one.
    let projects = RwSignal::new(BTreeMap::<usize, i64>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    let finish = move |_| {
        let list = suggestions.get().and_then(Result::ok).unwrap_or_default();
        let chosen = decisions.get_untracked();
        let picked = projects.get_untracked();
        let accepted: Vec<_> = list
            .into_iter()
            .enumerate()
            .filter(|(i, _)| chosen.get(i) == Some(&true))
            .filter_map(|(i, s)| {
                let project = picked
                    .get(&i)
                    .copied()
                    .or(s.project.as_ref().map(|p| p.id))?;
                Some((s, project))
            })
            .collect();
        busy.set(true);
        error.set(None);
        // The context is read here: a task spawned with `spawn_local` has no reactive owner.
        let shared = shared();
        spawn_local(async move {
            match apply(accepted).await {
                Ok(()) => {
                    wiz.update_mode();
                    shared.bump();
                    shared.go(Page::Dashboard);
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let accepted_count = move || decisions.with(|d| d.values().filter(|a| **a).count());
    view! {
        <div class="card wizard-card">
            <h3>{move || t().map_title}</h3>
            <p class="muted">{move || t().map_text}</p>
            <Suspense fallback=move || view! { <p class="loading">{move || t().map_loading}</p> }>
                {move || suggestions.get().map(|r| match r {
                    Err(e) => view! {
                        <p class="warn-box">{move || t().map_failed}</p>
                        <Problem error=e id="wizard-suggestions-error".into()/>
                    }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="notice" id="wizard-suggestions-none">{move || t().map_none}</p>
                    }.into_any(),
                    Ok(list) => {
                        let cat = catalog.get().and_then(Result::ok).unwrap_or_default();
                        view! {
                            <SuggestionTable list=list catalog=cat decisions=decisions projects=projects/>
                        }.into_any()
                    }
                })}
            </Suspense>
            <p class="muted" id="wizard-accepted-count" data-value=move || accepted_count().to_string()>
                {move || accepted_count()} " " {move || t().accepted_count}
            </p>
            {move || error.get().map(|e| view! { <Problem error=e id="wizard-finish-error".into()/> })}
            <Footer wiz=wiz back=Step::Timezone can_next=Signal::derive(|| true) hint=Signal::derive(|| None)>
                <button id="wizard-finish" disabled=move || busy.get() on:click=finish>
                    {move || if busy.get() { t().working } else { t().finish }}
                </button>
            </Footer>
        </div>
    }
}

#[component]
fn SuggestionTable(
    list: Vec<MappingSuggestion>,
    catalog: KimaiCatalogView,
    decisions: RwSignal<BTreeMap<usize, bool>>,
    projects: RwSignal<BTreeMap<usize, i64>>,
) -> impl IntoView {
    let rows = list
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let decision = move || decisions.with(|d| d.get(&i).copied());
            let state = move || match decision() {
                Some(true) => "accepted",
                Some(false) => "rejected",
                None => "",
            };
            let choices: Vec<_> = catalog
                .projects
                .iter()
                .filter(|p| p.customer == s.customer.id)
                .cloned()
                .collect();
            let suggested = s.project.as_ref().map(|p| p.id);
            let can_accept = suggested.is_some() || !choices.is_empty();
            let project_cell = if choices.len() > 1 {
                view! {
                    <select id=format!("wizard-suggestion-project-{i}")
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                                projects.update(|p| { p.insert(i, id); });
                            }
                        }>
                        {choices.into_iter().map(|p| view! {
                            <option value=p.id.to_string() selected=Some(p.id) == suggested>{p.name}</option>
                        }).collect_view()}
                    </select>
                }.into_any()
            } else if let Some(p) = s.project.clone() {
                view! { <span>{p.name}</span> }.into_any()
            } else {
                view! { <span class="warn">{move || t().no_project}</span> }.into_any()
            };
            if suggested.is_none() && can_accept {
                // No suggested project but the catalog knows some: default to the first.
                if let Some(first) = catalog.projects.iter().find(|p| p.customer == s.customer.id) {
                    projects.update(|p| { p.entry(i).or_insert(first.id); });
                }
            }
            let reason = s.reason.clone();
            view! {
                <tr id=format!("wizard-suggestion-{i}") class=state data-decision=state
                    data-instance=s.instance.clone() data-organization=s.organization.id.to_string()
                    data-customer=s.customer.id.to_string()>
                    <td><code class="pill">{s.instance.clone()}</code></td>
                    <td><strong>{s.organization.name.clone()}</strong></td>
                    <td class="arrow">"→"</td>
                    <td>{s.customer.name.clone()}</td>
                    <td>{project_cell}</td>
                    <td class="muted">{move || reason_text(&reason)}</td>
                    <td class="suggestion-actions">
                        <button id=format!("wizard-suggestion-accept-{i}")
                            class=move || if decision() == Some(true) { "choice on" } else { "choice secondary" }
                            disabled=!can_accept aria-pressed=move || (decision() == Some(true)).to_string()
                            on:click=move |_| decisions.update(|d| { d.insert(i, true); })>
                            {move || if decision() == Some(true) { format!("✓ {}", t().accepted) } else { t().accept.to_string() }}
                        </button>
                        <button id=format!("wizard-suggestion-reject-{i}")
                            class=move || if decision() == Some(false) { "choice off" } else { "choice secondary" }
                            aria-pressed=move || (decision() == Some(false)).to_string()
                            on:click=move |_| decisions.update(|d| { d.insert(i, false); })>
                            {move || if decision() == Some(false) { t().rejected } else { t().reject }}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="wizard-suggestions">
            <thead>
                <tr>
                    <th>{move || t().helpdesk}</th>
                    <th>{move || t().organization}</th>
                    <th></th>
                    <th>{move || t().customer}</th>
                    <th>{move || t().project}</th>
                    <th>{move || t().reason}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

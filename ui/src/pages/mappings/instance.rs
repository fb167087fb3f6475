//! One helpdesk's section: its rules, the accounting type → activity table, the activity for
//! entries without a type, and "Save" for this helpdesk (errors from the core shown in place).

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::settings::{ScopeKind, TypeActivity};
use timebridge_types::ApiError;

use super::catalog::{choose, Cat, IdPicker};
use super::Draft;
use crate::api;
use crate::i18n::pages::mappings::t;
use crate::pages::wizard::check::Problem;
use crate::pages::wizard::unit_label;
use crate::state::shared;

/// A scope kind in words.
pub(super) fn scope_label(kind: ScopeKind) -> &'static str {
    let w = t();
    match kind {
        ScopeKind::Ticket => w.scope_ticket,
        ScopeKind::Organization => w.scope_organization,
        ScopeKind::Customer => w.scope_customer,
        ScopeKind::Group => w.scope_group,
    }
}

/// A scope kind's stable value (`organization`).
pub(super) fn scope_value(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Ticket => "ticket",
        ScopeKind::Organization => "organization",
        ScopeKind::Customer => "customer",
        ScopeKind::Group => "group",
    }
}

#[component]
pub(super) fn InstanceSection(
    d: Draft,
    cat: Cat,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let name = d.instance.get_value();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let dirty = move || d.draft.with(|a| d.stored.with(|b| a != b));
    let save = move |_| {
        let view = d.draft.get_untracked();
        busy.set(true);
        error.set(None);
        // Read before spawning: the task has no reactive owner to find the context in.
        let shared = shared();
        spawn_local(async move {
            match api::save_mappings(&view).await {
                Ok(stored) => {
                    d.draft.set(stored.clone());
                    d.stored.set(stored);
                    saved.set(Some(d.instance.get_value()));
                    shared.bump();
                }
                Err(e) => {
                    saved.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let unit = d.stored.with_untracked(|m| m.time_unit.clone());
    let inst = name.clone();
    view! {
        <section class="card mapping-instance" id=format!("mappings-{name}")>
            <div class="card-title-row">
                <h3><code class="pill">{name.clone()}</code></h3>
                {unit.map(|u| view! {
                    <span class="muted">{move || t().unit} ": " {move || unit_label(&u)}</span>
                })}
                <Show when=dirty>
                    <span class="pill warn" id=format!("mappings-dirty-{inst}")>{move || t().unsaved}</span>
                </Show>
            </div>
            <h4>{move || t().rules}</h4>
            <RulesTable d=d cat=cat/>
            <h4>{move || t().types_title}</h4>
            <TypesTable d=d cat=cat/>
            <div class="actions">
                <button id=format!("mappings-save-{name}") disabled=move || busy.get() on:click=save>
                    {move || t().save}
                </button>
            </div>
            {move || error.get().map(|e| view! {
                <Problem error=e id=format!("mappings-error-{}", d.instance.get_value())/>
            })}
        </section>
    }
}

#[component]
fn RulesTable(d: Draft, cat: Cat) -> impl IntoView {
    let name = d.instance.get_value();
    move || {
        let rules = d.draft.with(|m| m.rules.clone());
        if rules.is_empty() {
            return view! { <p class="muted">{move || t().no_rules}</p> }.into_any();
        }
        let rows = rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let activity = match r.activity {
                    Some(a) => view! { <span>{cat.activity(a)}</span> }.into_any(),
                    None => view! { <span class="muted">{move || t().activity_by_type}</span> }.into_any(),
                };
                view! {
                    <tr id=format!("mapping-rule-{name}-{i}") data-scope=scope_value(r.scope)
                        data-scope-id=r.scope_id.to_string() data-customer=r.customer.to_string()
                        data-project=r.project.to_string()
                        data-activity=r.activity.map(|a| a.to_string()).unwrap_or_default()>
                        <td>{move || scope_label(r.scope)} " " <code>"#" {r.scope_id}</code></td>
                        <td class="arrow">"→"</td>
                        <td>{cat.customer(r.customer)}</td>
                        <td>{cat.project(r.project)}</td>
                        <td>{activity}</td>
                        <td class="row-actions">
                            <button id=format!("mapping-remove-{name}-{i}") class="link"
                                on:click=move |_| d.draft.update(|m| { if i < m.rules.len() { m.rules.remove(i); } })>
                                {move || t().remove}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="mapping-rules">
                <thead><tr>
                    <th>{move || t().scope}</th><th></th><th>{move || t().customer}</th>
                    <th>{move || t().project}</th><th>{move || t().activity}</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    }
}

#[component]
fn TypesTable(d: Draft, cat: Cat) -> impl IntoView {
    let name = d.instance.get_value();
    let new_type = RwSignal::new(String::new());
    let new_activity = RwSignal::new(None::<i64>);
    let type_error = RwSignal::new(false);
    let all = Signal::derive(move || cat.activities_for(None));
    let set_type = move |type_id: i64, activity: Option<i64>| {
        d.draft.update(|m| match activity {
            Some(a) => {
                if let Some(t) = m.activity_by_type.iter_mut().find(|t| t.type_id == type_id) {
                    t.activity = a;
                }
            }
            None => m.activity_by_type.retain(|t| t.type_id != type_id),
        })
    };
    let add = move |_| {
        let type_id = new_type
            .get_untracked()
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v > 0);
        match (type_id, new_activity.get_untracked()) {
            (Some(type_id), Some(activity)) => {
                d.draft.update(|m| {
                    m.activity_by_type.retain(|t| t.type_id != type_id);
                    m.activity_by_type.push(TypeActivity { type_id, activity });
                });
                new_type.set(String::new());
                new_activity.set(None);
                type_error.set(false);
            }
            _ => type_error.set(true),
        }
    };
    let rows_name = name.clone();
    let rows = move || {
        let types = d.draft.with(|m| m.activity_by_type.clone());
        if types.is_empty() {
            return view! { <p class="muted">{move || t().types_none}</p> }.into_any();
        }
        types
            .into_iter()
            .map(|ta| {
                let type_id = ta.type_id;
                view! {
                    <div class="type-row">
                        <label for=format!("mapping-type-{rows_name}-{type_id}")>
                            {move || t().type_label} " #" {type_id}
                        </label>
                        <IdPicker id=format!("mapping-type-{rows_name}-{type_id}") cat=cat options=all
                            value=Signal::derive(move || Some(ta.activity))
                            on_pick=Callback::new(move |a| set_type(type_id, a)) empty=choose/>
                        <button class="link" id=format!("mapping-type-remove-{rows_name}-{type_id}")
                            on:click=move |_| set_type(type_id, None)>
                            {move || t().remove}
                        </button>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="type-table">{rows}</div>
        <div class="form-row type-add">
            <div>
                <label for=format!("mapping-type-add-id-{name}")>{move || t().type_id}</label>
                <input id=format!("mapping-type-add-id-{name}") type="number" min="1" class="id-input"
                    prop:value=move || new_type.get() on:input=move |ev| new_type.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for=format!("mapping-type-add-activity-{name}")>{move || t().activity}</label>
                <IdPicker id=format!("mapping-type-add-activity-{name}") cat=cat options=all
                    value=new_activity on_pick=Callback::new(move |a| new_activity.set(a)) empty=choose/>
            </div>
            <button class="secondary" id=format!("mapping-type-add-{name}") on:click=add>{move || t().type_add}</button>
        </div>
        <Show when=move || type_error.get()>
            <p class="warn-box">{move || t().err_type}</p>
        </Show>
        <div class="notype">
            <label for=format!("mapping-notype-{name}")>{move || t().without_type}</label>
            <IdPicker id=format!("mapping-notype-{name}") cat=cat options=all
                value=Signal::derive(move || d.draft.with(|m| m.activity_without_type))
                on_pick=Callback::new(move |a| d.draft.update(|m| m.activity_without_type = a))
                empty=|| t().none/>
        </div>
    }
}

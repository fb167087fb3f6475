//! The "add a rule" form: helpdesk, what the rule applies to and its Zammad id, the Kimai
//! customer, a project of that customer (the list follows the customer) and an optional
//! activity (the type's otherwise). A rule lands in the helpdesk's draft; "Save" stores it.

use leptos::prelude::*;
use timebridge_types::settings::{MappingRuleView, ScopeKind};

use super::catalog::{choose, Cat, IdPicker};
use super::instance::{scope_label, scope_value};
use super::Draft;
use crate::i18n::pages::mappings::{t, Mappings};

const SCOPES: [ScopeKind; 4] = [
    ScopeKind::Organization,
    ScopeKind::Ticket,
    ScopeKind::Customer,
    ScopeKind::Group,
];

#[component]
pub(super) fn AddRule(drafts: Vec<Draft>, cat: Cat) -> impl IntoView {
    let names: Vec<String> = drafts.iter().map(|d| d.instance.get_value()).collect();
    let drafts = StoredValue::new(drafts);
    let instance = RwSignal::new(names.first().cloned().unwrap_or_default());
    let scope = RwSignal::new(ScopeKind::Organization);
    let scope_id = RwSignal::new(String::new());
    let customer = RwSignal::new(None::<i64>);
    let project = RwSignal::new(None::<i64>);
    let activity = RwSignal::new(None::<i64>);
    let problem = RwSignal::new(None::<fn(&Mappings) -> &'static str>);
    let added = RwSignal::new(false);

    let customers = Signal::derive(move || cat.customers());
    let projects = Signal::derive(move || match customer.get() {
        Some(c) => cat
            .projects_of(c)
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
        None => Vec::new(),
    });
    let activities = Signal::derive(move || match project.get() {
        Some(p) => cat.activities_for(Some(p)),
        None => Vec::new(),
    });
    let pick_customer = Callback::new(move |c: Option<i64>| {
        customer.set(c);
        // The project list follows the customer: preselect its first project.
        let first = c.and_then(|c| cat.projects_of(c).first().map(|p| p.id));
        project.set(if cat.known() {
            first
        } else {
            project.get_untracked()
        });
        activity.set(None);
    });
    let add = move |_| {
        added.set(false);
        let id = scope_id
            .get_untracked()
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v > 0);
        let Some(id) = id else {
            problem.set(Some(|w| w.err_scope_id));
            return;
        };
        let Some(c) = customer.get_untracked() else {
            problem.set(Some(|w| w.err_customer));
            return;
        };
        let p = project.get_untracked();
        let belongs =
            p.is_some_and(|p| !cat.known() || cat.projects_of(c).iter().any(|x| x.id == p));
        let (Some(p), true) = (p, belongs) else {
            problem.set(Some(|w| w.err_project));
            return;
        };
        let rule = MappingRuleView {
            scope: scope.get_untracked(),
            scope_id: id,
            customer: c,
            project: p,
            activity: activity.get_untracked(),
        };
        let target = instance.get_untracked();
        let Some(d) = drafts.with_value(|ds| {
            ds.iter()
                .find(|d| d.instance.get_value() == target)
                .copied()
        }) else {
            return;
        };
        let duplicate = d.draft.with_untracked(|m| {
            m.rules
                .iter()
                .any(|r| r.scope == rule.scope && r.scope_id == id)
        });
        if duplicate {
            problem.set(Some(|w| w.err_duplicate));
            return;
        }
        d.draft.update(|m| m.rules.push(rule));
        problem.set(None);
        scope_id.set(String::new());
        added.set(true);
    };
    let instance_options = names
        .into_iter()
        .map(|n| {
            let value = n.clone();
            view! { <option value=value.clone() selected=move || instance.get() == value>{n}</option> }
        })
        .collect_view();
    view! {
        <div class="card mapping-add" id="mapping-add-form">
            <h3>{move || t().add_title}</h3>
            <div class="form-row">
                <div>
                    <label for="mapping-add-instance">{move || t().helpdesk}</label>
                    <select id="mapping-add-instance" on:change=move |ev| instance.set(event_target_value(&ev))>
                        {instance_options}
                    </select>
                </div>
                <div>
                    <label for="mapping-add-scope">{move || t().scope}</label>
                    <select id="mapping-add-scope" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = SCOPES.iter().find(|k| scope_value(**k) == v) {
                            scope.set(*k);
                        }
                    }>
                        {SCOPES.iter().map(|&k| view! {
                            <option value=scope_value(k) selected=move || scope.get() == k>{move || scope_label(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="mapping-add-scope-id">{move || t().scope_id}</label>
                    <input id="mapping-add-scope-id" type="number" min="1" class="id-input"
                        prop:value=move || scope_id.get() on:input=move |ev| scope_id.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="mapping-add-customer">{move || t().customer}</label>
                    <IdPicker id="mapping-add-customer".into() cat=cat options=customers value=customer
                        on_pick=pick_customer empty=choose/>
                </div>
                <div>
                    <label for="mapping-add-project">{move || t().project}</label>
                    <IdPicker id="mapping-add-project".into() cat=cat options=projects value=project
                        on_pick=Callback::new(move |p| { project.set(p); activity.set(None); }) empty=choose/>
                </div>
                <div>
                    <label for="mapping-add-activity">{move || t().activity}</label>
                    <IdPicker id="mapping-add-activity".into() cat=cat options=activities value=activity
                        on_pick=Callback::new(move |a| activity.set(a)) empty=|| t().activity_by_type/>
                </div>
                <button id="mapping-add" on:click=add>{move || t().add}</button>
            </div>
            {move || problem.get().map(|p| view! { <p class="warn-box" id="mapping-add-error">{move || p(t())}</p> })}
            <Show when=move || added.get()>
                <p class="notice" id="mapping-add-done">{move || t().added}</p>
            </Show>
        </div>
    }
}

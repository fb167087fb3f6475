//! Kimai's catalog for the mapping pickers: names for ids (`#id` when unknown), the projects
//! of a customer, the activities usable in a project; and pickers that fall back to number
//! inputs when the catalog could not be read.

use leptos::prelude::*;
use timebridge_types::setup::{KimaiCatalogView, ProjectView};

use crate::i18n::pages::mappings::t;

/// The catalog, if it could be read.
#[derive(Clone, Copy)]
pub(super) struct Cat(pub(super) StoredValue<Option<KimaiCatalogView>>);

impl Cat {
    pub(super) fn known(self) -> bool {
        self.0.with_value(Option::is_some)
    }
    pub(super) fn customer(self, id: i64) -> String {
        self.0
            .with_value(|c| {
                c.as_ref()?
                    .customers
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| x.name.clone())
            })
            .unwrap_or_else(|| format!("#{id}"))
    }
    pub(super) fn project(self, id: i64) -> String {
        self.0
            .with_value(|c| {
                c.as_ref()?
                    .projects
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| x.name.clone())
            })
            .unwrap_or_else(|| format!("#{id}"))
    }
    pub(super) fn activity(self, id: i64) -> String {
        self.0
            .with_value(|c| {
                c.as_ref()?
                    .activities
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| x.name.clone())
            })
            .unwrap_or_else(|| format!("#{id}"))
    }
    pub(super) fn customers(self) -> Vec<(i64, String)> {
        self.0.with_value(|c| {
            c.iter()
                .flat_map(|c| c.customers.iter().map(|x| (x.id, x.name.clone())))
                .collect()
        })
    }
    pub(super) fn projects_of(self, customer: i64) -> Vec<ProjectView> {
        self.0.with_value(|c| {
            c.iter()
                .flat_map(|c| {
                    c.projects
                        .iter()
                        .filter(|p| p.customer == customer)
                        .cloned()
                })
                .collect()
        })
    }
    /// Activities for a picker: global ones, then those of `project` (every project's when
    /// `None`, labelled with the project).
    pub(super) fn activities_for(self, project: Option<i64>) -> Vec<(i64, String)> {
        self.0.with_value(|c| {
            let Some(c) = c else { return Vec::new() };
            let global = c.activities.iter().filter(|a| a.project.is_none());
            let own = c.activities.iter().filter(|a| match (a.project, project) {
                (Some(p), Some(want)) => p == want,
                (Some(_), None) => true,
                (None, _) => false,
            });
            global
                .map(|a| (a.id, a.name.clone()))
                .chain(own.map(|a| {
                    let label = match (a.project, project) {
                        (Some(p), None) => format!("{} ({})", a.name, self.project(p)),
                        _ => a.name.clone(),
                    };
                    (a.id, label)
                }))
                .collect()
        })
    }
}

/// A picker of an id: a select over `options` (with an empty choice labelled `empty`), or a
/// number input when the catalog is unknown.
#[component]
pub(super) fn IdPicker(
    id: String,
    cat: Cat,
    #[prop(into)] options: Signal<Vec<(i64, String)>>,
    #[prop(into)] value: Signal<Option<i64>>,
    on_pick: Callback<Option<i64>>,
    empty: fn() -> &'static str,
) -> impl IntoView {
    let parse = |text: String| text.trim().parse::<i64>().ok().filter(|v| *v > 0);
    if !cat.known() {
        return view! {
            <input id=id type="number" min="1" class="id-input"
                prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                on:change=move |ev| on_pick.run(parse(event_target_value(&ev)))/>
        }
        .into_any();
    }
    view! {
        <select id=id on:change=move |ev| on_pick.run(parse(event_target_value(&ev)))>
            <option value="" selected=move || value.get().is_none()>{move || empty()}</option>
            {move || {
                let current = value.get();
                let mut list = options.get();
                if let Some(v) = current.filter(|v| !list.iter().any(|(id, _)| id == v)) {
                    list.push((v, format!("#{v}")));
                }
                list.into_iter()
                    .map(|(v, label)| view! {
                        <option value=v.to_string() selected=current == Some(v)>{label}</option>
                    })
                    .collect_view()
            }}
        </select>
    }
    .into_any()
}

/// "Choose…" for pickers where a value is needed.
pub(super) fn choose() -> &'static str {
    t().choose
}

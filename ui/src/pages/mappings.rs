//! The mappings page: per helpdesk, its rules (what a rule applies to → Kimai customer,
//! project, optional activity), the accounting type → activity table and the activity for
//! entries without a type; edited as a draft and saved per helpdesk (`save_mappings`
//! replaces that helpdesk's mappings). Names come from Kimai's catalog when it can be read,
//! ids otherwise.

mod add;
mod catalog;
mod instance;

use leptos::prelude::*;
use timebridge_types::settings::InstanceMappingsView;
use timebridge_types::setup::KimaiCatalogView;

use crate::api;
use crate::components::Loading;
use crate::i18n::pages::mappings::t;
use crate::pages::wizard::check::Problem;
use catalog::Cat;

/// One helpdesk's draft and what is stored.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub(super) instance: StoredValue<String>,
    pub(super) draft: RwSignal<InstanceMappingsView>,
    pub(super) stored: RwSignal<InstanceMappingsView>,
}

/// The mappings page.
#[component]
pub(crate) fn MappingsPage() -> impl IntoView {
    // Read once: a background sync must not reset an unsaved draft.
    let mappings = LocalResource::new(api::get_mappings);
    let catalog = LocalResource::new(api::kimai_catalog);
    view! {
        <section class="page mappings" id="page-mappings">
            <header class="page-header"><h2>{move || t().title}</h2></header>
            <p class="muted intro">{move || t().intro}</p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || {
                    let m = mappings.get()?;
                    let c = catalog.get()?;
                    Some(match m {
                        Err(e) => view! { <Problem error=e id="mappings-error".into()/> }.into_any(),
                        Ok(list) => view! { <Editor list=list catalog=c.ok()/> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Editor(list: Vec<InstanceMappingsView>, catalog: Option<KimaiCatalogView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="notice" id="mappings-empty">{move || t().no_helpdesk}</p> }
            .into_any();
    }
    let offline = catalog.is_none();
    let cat = Cat(StoredValue::new(catalog));
    let drafts: Vec<Draft> = list
        .into_iter()
        .map(|m| Draft {
            instance: StoredValue::new(m.instance.clone()),
            draft: RwSignal::new(m.clone()),
            stored: RwSignal::new(m),
        })
        .collect();
    let saved = RwSignal::new(None::<String>);
    let sections = drafts
        .iter()
        .map(|&d| view! { <instance::InstanceSection d=d cat=cat saved=saved/> })
        .collect_view();
    view! {
        {offline.then(|| view! { <p class="warn-box" id="mappings-catalog-offline">{move || t().catalog_offline}</p> })}
        {move || saved.get().map(|i| view! {
            <p class="ok-box" id="mappings-saved" data-instance=i>"✓ " {move || t().saved}</p>
        })}
        <add::AddRule drafts=drafts cat=cat/>
        {sections}
    }
    .into_any()
}

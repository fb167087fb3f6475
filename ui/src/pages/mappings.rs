//! The mappings page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::mappings::t;

/// The mappings page.
#[component]
pub(crate) fn MappingsPage() -> impl IntoView {
    view! {
        <section class="page" id="page-mappings">
            <h2>{move || t().title}</h2>
        </section>
    }
}

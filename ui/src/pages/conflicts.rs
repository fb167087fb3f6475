//! The conflicts page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::conflicts::t;

/// The conflicts page.
#[component]
pub(crate) fn ConflictsPage() -> impl IntoView {
    view! {
        <section class="page" id="page-conflicts">
            <h2>{move || t().title}</h2>
        </section>
    }
}

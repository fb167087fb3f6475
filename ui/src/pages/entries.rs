//! The entries page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::entries::t;

/// The entries page.
#[component]
pub(crate) fn EntriesPage() -> impl IntoView {
    view! {
        <section class="page" id="page-entries">
            <h2>{move || t().title}</h2>
        </section>
    }
}

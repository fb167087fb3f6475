//! The history page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::history::t;

/// The history page.
#[component]
pub(crate) fn HistoryPage() -> impl IntoView {
    view! {
        <section class="page" id="page-history">
            <h2>{move || t().title}</h2>
        </section>
    }
}

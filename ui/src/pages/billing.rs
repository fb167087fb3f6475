//! The billing page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::billing::t;

/// The billing page.
#[component]
pub(crate) fn BillingPage() -> impl IntoView {
    view! {
        <section class="page" id="page-billing">
            <h2>{move || t().title}</h2>
        </section>
    }
}

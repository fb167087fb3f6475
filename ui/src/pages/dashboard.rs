//! The dashboard page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::dashboard::t;

/// The dashboard page.
#[component]
pub(crate) fn DashboardPage() -> impl IntoView {
    view! {
        <section class="page" id="page-dashboard">
            <h2>{move || t().title}</h2>
        </section>
    }
}

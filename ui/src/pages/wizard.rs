//! The wizard page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::wizard::t;

/// The wizard page.
#[component]
pub(crate) fn WizardPage() -> impl IntoView {
    view! {
        <section class="page" id="page-setup">
            <h2>{move || t().title}</h2>
        </section>
    }
}

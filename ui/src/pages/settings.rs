//! The settings page (to be built).

use leptos::prelude::*;

use crate::i18n::pages::settings::t;

/// The settings page.
#[component]
pub(crate) fn SettingsPage() -> impl IntoView {
    view! {
        <section class="page" id="page-settings">
            <h2>{move || t().title}</h2>
        </section>
    }
}

//! The app frame. One page for now: the status page.

use leptos::prelude::*;

use crate::pages::status::StatusPage;

/// The root component.
#[component]
pub(crate) fn App() -> impl IntoView {
    view! {
        <main class="page" id="app">
            <h1>"Timebridge"</h1>
            <p class="subtitle">"Time accounted on Zammad tickets, booked into Kimai."</p>
            <StatusPage/>
        </main>
    }
}

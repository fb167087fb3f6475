//! Small pieces every page uses: an error box that shows the core's message and code, a
//! loading line, a page header.

use leptos::prelude::*;
use timebridge_types::ApiError;

use crate::i18n::common;

/// An error from a command: the message for people, the code for support.
#[component]
pub(crate) fn ErrorBox(error: ApiError, #[prop(optional)] id: &'static str) -> impl IntoView {
    let id = if id.is_empty() { "error" } else { id };
    view! {
        <div class="error" role="alert" id=id>
            <p class="error-message">{error.message.clone()}</p>
            <p class="error-code">
                {move || common::t().error_code} ": " <code>{error.code.as_str()}</code>
            </p>
        </div>
    }
}

/// "Loading…" in the current language.
#[component]
pub(crate) fn Loading() -> impl IntoView {
    view! { <p class="loading">{move || common::t().loading}</p> }
}

/// A page's title row; `children` go to the right (actions).
#[component]
pub(crate) fn PageHeader(title: Signal<&'static str>, children: Children) -> impl IntoView {
    view! {
        <header class="page-header">
            <h2>{move || title.get()}</h2>
            <div class="page-actions">{children()}</div>
        </header>
    }
}

//! The status page: which build runs on which data, or why it could not start.
//!
//! Element ids (`status-*`, `startup-error*`) are what the end-to-end test reads.

use leptos::prelude::*;
use timebridge_types::{ApiError, StatusView};

use crate::api;
use crate::i18n::common;
use crate::i18n::pages::status::t;

/// Loads the status and shows it, or the start-up error with what to do about it.
#[component]
pub(crate) fn StatusPage() -> impl IntoView {
    let status = LocalResource::new(api::get_status);
    view! {
        <h2 class="status-title">{move || t().title}</h2>
        <Suspense fallback=|| view! { <p id="status-loading">{move || t().reading}</p> }>
            {move || {
                status
                    .get()
                    .map(|result| match result {
                        Ok(s) => view! { <StatusCard status=s/> }.into_any(),
                        Err(e) => view! { <StartupError error=e retry=move || status.refetch()/> }
                            .into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn StatusCard(status: StatusView) -> impl IntoView {
    let schema = if status.schema_version == status.latest_schema_version {
        status.schema_version.to_string()
    } else {
        format!(
            "{} ({} {})",
            status.schema_version,
            t().this_build_knows,
            status.latest_schema_version
        )
    };
    let log_dir = status.log_dir.unwrap_or_else(|| t().stderr_only.into());
    view! {
        <section class="card" id="status">
            <dl class="status">
                <dt>{move || t().version}</dt>
                <dd id="status-version">{status.app_version}</dd>
                <dt>{move || t().data_dir}</dt>
                <dd id="status-data-dir">{status.data_dir}</dd>
                <dt>{move || t().database}</dt>
                <dd id="status-database">{status.database_file}</dd>
                <dt>{move || t().schema}</dt>
                <dd id="status-schema-version">{schema}</dd>
                <dt>{move || t().journal}</dt>
                <dd id="status-journal-mode">{status.journal_mode}</dd>
                <dt>{move || t().connections}</dt>
                <dd id="status-connections">{status.connections}</dd>
                <dt>{move || t().logs}</dt>
                <dd id="status-log-dir">{log_dir}</dd>
            </dl>
        </section>
    }
}

#[component]
fn StartupError(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <section class="error" id="startup-error" role="alert">
            <p>
                <strong>{move || t().could_not_start}" "</strong>
                <span id="startup-error-message">{error.message}</span>
            </p>
            <p>{move || common::t().error_code}": " <code id="startup-error-code">{error.code.as_str()}</code></p>
            <div class="actions">
                <button id="startup-error-retry" on:click=move |_| retry()>
                    {move || common::t().retry}
                </button>
            </div>
        </section>
    }
}

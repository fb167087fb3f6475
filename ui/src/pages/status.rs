//! The status page: which build runs on which data, or why it could not start.
//!
//! Element ids (`status-*`, `startup-error*`) are what the end-to-end test reads.

use leptos::prelude::*;
use timebridge_types::{ApiError, StatusView};

use crate::api;

/// Loads the status and shows it, or the start-up error with what to do about it.
#[component]
pub(crate) fn StatusPage() -> impl IntoView {
    let status = LocalResource::new(api::get_status);
    view! {
        <Suspense fallback=|| view! { <p id="status-loading">"Reading the database…"</p> }>
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
            "{} (this build knows {})",
            status.schema_version, status.latest_schema_version
        )
    };
    let log_dir = status
        .log_dir
        .unwrap_or_else(|| "stderr only (file logging is off)".into());
    view! {
        <section class="card" id="status">
            <dl class="status">
                <dt>"Version"</dt>
                <dd id="status-version">{status.app_version}</dd>
                <dt>"Data directory"</dt>
                <dd id="status-data-dir">{status.data_dir}</dd>
                <dt>"Database"</dt>
                <dd id="status-database">{status.database_file}</dd>
                <dt>"Schema version"</dt>
                <dd id="status-schema-version">{schema}</dd>
                <dt>"Journal mode"</dt>
                <dd id="status-journal-mode">{status.journal_mode}</dd>
                <dt>"Connections"</dt>
                <dd id="status-connections">{status.connections}</dd>
                <dt>"Logs"</dt>
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
                <strong>"Timebridge could not start. "</strong>
                <span id="startup-error-message">{error.message}</span>
            </p>
            <p>"Error code: " <code id="startup-error-code">{error.code.as_str()}</code></p>
            <div class="actions">
                <button id="startup-error-retry" on:click=move |_| retry()>
                    "Try again"
                </button>
            </div>
        </section>
    }
}

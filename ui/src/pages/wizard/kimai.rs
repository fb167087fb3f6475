//! The Kimai step: name, address, token (sent to the shell only inside the form), the plain
//! HTTP opt-in with its warning, "Test connection", and "Save" (checked first, so a problem
//! shows in plain words with its code before anything is stored).

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::setup::{CheckView, ConnectionKindDto, KimaiForm};
use timebridge_types::ApiError;

use super::check::{CheckOutcome, Problem};
use super::{ConnectionItem, Footer, Step, Wiz};
use crate::api;
use crate::i18n::pages::wizard::t;

/// Whether `url` is plain http to another machine (the opt-in is needed).
pub(super) fn needs_insecure(url: &str) -> bool {
    let Some(rest) = url
        .trim()
        .to_ascii_lowercase()
        .strip_prefix("http://")
        .map(str::to_string)
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default().to_string()
    };
    !matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]") && !name.starts_with("127.")
}

/// The Kimai step.
#[component]
pub(super) fn KimaiStep(wiz: Wiz) -> impl IntoView {
    let connected = move || {
        wiz.connections.with(|c| {
            c.iter()
                .flatten()
                .find(|c| c.kind == ConnectionKindDto::Kimai)
                .cloned()
        })
    };
    let hint = Signal::derive(move || (!wiz.has_kimai()).then(|| t().need_kimai));
    view! {
        <div class="card wizard-card">
            <h3>{move || t().kimai_title}</h3>
            <p class="muted">{move || t().kimai_text}</p>
            {move || match connected() {
                Some(c) => view! {
                    <div class="ok-box wizard-connected">
                        <p><strong>{move || t().kimai_connected}</strong></p>
                        <ul class="wizard-connections"><ConnectionItem c=c/></ul>
                        <p class="muted">{move || t().kimai_one}</p>
                    </div>
                }.into_any(),
                None => view! { <KimaiFormView wiz=wiz/> }.into_any(),
            }}
            <Footer wiz=wiz back=Step::Welcome can_next=Signal::derive(move || wiz.has_kimai())
                hint=hint next=Callback::new(move |_| wiz.step.set(Step::Zammad))/>
        </div>
    }
}

#[component]
fn KimaiFormView(wiz: Wiz) -> impl IntoView {
    let name = RwSignal::new("Kimai".to_string());
    let url = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let insecure = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<CheckView>);
    let error = RwSignal::new(None::<ApiError>);
    let missing = RwSignal::new(false);

    let form = move || KimaiForm {
        name: name.get_untracked().trim().to_string(),
        url: url.get_untracked().trim().to_string(),
        token: token.get_untracked().trim().to_string(),
        allow_insecure_http: insecure.get_untracked(),
    };
    let complete = move |f: &KimaiForm| {
        let ok = !f.name.is_empty() && !f.url.is_empty() && !f.token.is_empty();
        missing.set(!ok);
        ok
    };
    let test = move |_| {
        let f = form();
        if !complete(&f) {
            return;
        }
        busy.set(true);
        error.set(None);
        result.set(None);
        spawn_local(async move {
            match api::check_kimai(&f).await {
                Ok(c) => {
                    if c.timezone.is_some() {
                        wiz.kimai_tz.set(c.timezone.clone());
                    }
                    result.set(Some(c));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let save = move |_| {
        let f = form();
        if !complete(&f) {
            return;
        }
        busy.set(true);
        error.set(None);
        result.set(None);
        spawn_local(async move {
            match api::check_kimai(&f).await {
                Ok(c) if !c.ok => result.set(Some(c)),
                Ok(c) => {
                    if c.timezone.is_some() {
                        wiz.kimai_tz.set(c.timezone.clone());
                    }
                    match api::save_kimai(&f).await {
                        Ok(_) => {
                            token.set(String::new());
                            wiz.refresh(|_| ());
                            wiz.update_mode();
                        }
                        Err(e) => error.set(Some(e)),
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="wizard-form">
            <label for="wizard-kimai-name">{move || t().name}</label>
            <input id="wizard-kimai-name" type="text" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="wizard-kimai-url">{move || t().url}</label>
            <input id="wizard-kimai-url" type="url" placeholder="https://kimai.example.com"
                prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
            <p class="field-hint muted">{move || t().url_hint}</p>
            <label for="wizard-kimai-token">{move || t().token}</label>
            <input id="wizard-kimai-token" type="password" autocomplete="off"
                prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
            <p class="field-hint muted">{move || t().token_hint}</p>
            <InsecureBox id="wizard-kimai-insecure" url=url insecure=insecure/>
            <Show when=move || missing.get()>
                <p class="warn-box">{move || t().fill_all}</p>
            </Show>
            <div class="actions">
                <button id="wizard-kimai-test" class="secondary" disabled=move || busy.get() on:click=test>
                    {move || t().test}
                </button>
                <button id="wizard-kimai-save" disabled=move || busy.get() on:click=save>
                    {move || if busy.get() { t().working } else { t().save_connection }}
                </button>
            </div>
            {move || result.get().map(|c| view! {
                <CheckOutcome check=c id="wizard-kimai-result".into() problem_id="wizard-kimai-problem".into()/>
            })}
            {move || error.get().map(|e| view! { <Problem error=e id="wizard-kimai-error".into()/> })}
        </div>
    }
}

/// The plain-HTTP opt-in, its warning when ticked, and a hint when the address needs it.
#[component]
pub(super) fn InsecureBox(
    id: &'static str,
    url: RwSignal<String>,
    insecure: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <Show when=move || needs_insecure(&url.get()) && !insecure.get()>
            <p class="warn-box">{move || t().insecure_needed}</p>
        </Show>
        <label class="checkbox">
            <input id=id type="checkbox" prop:checked=move || insecure.get()
                on:change=move |ev| insecure.set(event_target_checked(&ev))/>
            " " {move || t().insecure}
        </label>
        <Show when=move || insecure.get()>
            <p class="warn-box insecure-warning">"⚠ " {move || t().insecure_warning}</p>
        </Show>
    }
}

//! The billing timezone step, and the timezone helpers the settings page shares: this
//! computer's zone and the list of IANA names for the input's suggestions (both from the
//! browser's `Intl`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::ApiError;
use wasm_bindgen::{JsCast, JsValue};

use super::check::Problem;
use super::{Footer, Step, Wiz};
use crate::api;
use crate::i18n::pages::wizard::t;

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// This computer's timezone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
pub(crate) fn browser_timezone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    get(&format.resolved_options().into(), "timeZone")?.as_string()
}

/// Every IANA name the browser knows (`Intl.supportedValuesOf("timeZone")`), or a short list.
fn timezone_names() -> Vec<String> {
    let known = (|| {
        let intl = get(&js_sys::global().into(), "Intl")?;
        let f = get(&intl, "supportedValuesOf")?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let list = f.call1(&intl, &JsValue::from_str("timeZone")).ok()?;
        let array = list.dyn_into::<js_sys::Array>().ok()?;
        Some(
            array
                .iter()
                .filter_map(|v| v.as_string())
                .collect::<Vec<_>>(),
        )
    })();
    known.filter(|l| !l.is_empty()).unwrap_or_else(|| {
        [
            "Europe/Berlin",
            "Europe/Vienna",
            "Europe/Zurich",
            "Europe/London",
            "Europe/Paris",
            "Europe/Amsterdam",
            "America/New_York",
            "America/Chicago",
            "America/Los_Angeles",
            "Asia/Tokyo",
            "Australia/Sydney",
            "UTC",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    })
}

/// A `<datalist>` of timezone names for an input's `list` attribute.
#[component]
pub(crate) fn TimezoneList(id: &'static str) -> impl IntoView {
    let names = timezone_names();
    view! {
        <datalist id=id>
            {names.into_iter().map(|n| view! { <option value=n></option> }).collect_view()}
        </datalist>
    }
}

/// Where the prefilled timezone came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Settings,
    Kimai,
    Browser,
}

/// The timezone step.
#[component]
pub(super) fn TimezoneStep(wiz: Wiz) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let book_from = RwSignal::new(String::new());
    let source = RwSignal::new(None::<Source>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    spawn_local(async move {
        let settings = api::get_settings().await.ok();
        if let Some(day) = settings.as_ref().and_then(|s| s.book_from.clone()) {
            if book_from.get_untracked().is_empty() {
                book_from.set(day);
            }
        }
        let stored = settings.and_then(|s| s.billing_timezone);
        let kimai = wiz.kimai_tz.get_untracked();
        let (tz, from) = match (stored, kimai) {
            (Some(s), Some(k)) if s == k => (Some(s), Source::Kimai),
            (Some(s), _) => (Some(s), Source::Settings),
            (None, Some(k)) => (Some(k), Source::Kimai),
            (None, None) => (browser_timezone(), Source::Browser),
        };
        if let Some(tz) = tz {
            if value.get_untracked().is_empty() {
                value.set(tz);
                source.set(Some(from));
            }
        }
    });
    let next = Callback::new(move |_| {
        let tz = value.get_untracked().trim().to_string();
        let day = book_from.get_untracked().trim().to_string();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let saved = async {
                let mut settings = api::get_settings().await?;
                settings.billing_timezone = Some(tz);
                settings.book_from = Some(day).filter(|d| !d.is_empty());
                api::save_settings(&settings).await
            };
            match saved.await {
                Ok(_) => wiz.step.set(Step::Mappings),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let source_text = move || {
        source.get().map(|s| match s {
            Source::Settings => t().tz_from_settings,
            Source::Kimai => t().tz_from_kimai,
            Source::Browser => t().tz_from_browser,
        })
    };
    let empty = Signal::derive(move || value.get().trim().is_empty());
    view! {
        <div class="card wizard-card">
            <h3>{move || t().tz_title}</h3>
            <p class="muted">{move || t().tz_text}</p>
            <label for="wizard-timezone">{move || t().tz_label}</label>
            <input id="wizard-timezone" class="timezone-input" type="text" list="wizard-timezones"
                autocomplete="off" prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    source.set(None);
                }/>
            <TimezoneList id="wizard-timezones"/>
            <p class="field-hint muted">{source_text}</p>
            <label for="wizard-book-from">{move || t().book_from_label}</label>
            <input id="wizard-book-from" type="date" prop:value=move || book_from.get()
                on:input=move |ev| book_from.set(event_target_value(&ev))/>
            <p class="field-hint muted">{move || t().book_from_hint}</p>
            {move || error.get().map(|e| view! { <Problem error=e id="wizard-timezone-error".into()/> })}
            <Footer wiz=wiz back=Step::Zammad can_next=Signal::derive(move || !empty.get())
                hint=Signal::derive(move || empty.get().then(|| t().tz_empty)) busy=busy next=next/>
        </div>
    }
}

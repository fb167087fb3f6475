//! The helpdesk step (repeatable): the helpdesks connected so far, and a form to add one
//! more with its short key and what one `time_unit` means there — prefilled from the
//! helpdesk's own time accounting setting by "Test connection"; another unit must be
//! confirmed, since every entry is counted in it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::setup::{CheckView, ConnectionKindDto, TimeUnitDto, ZammadForm};
use timebridge_types::ApiError;

use super::check::{CheckOutcome, Problem};
use super::kimai::InsecureBox;
use super::{ConnectionItem, Footer, Step, Wiz};
use crate::api;
use crate::i18n::fmt::decimal;
use crate::i18n::pages::wizard::t;

/// A time unit in words (current language).
pub(crate) fn unit_label(unit: &TimeUnitDto) -> String {
    let w = t();
    match unit {
        TimeUnitDto::Minutes => w.unit_minutes.into(),
        TimeUnitDto::Hours => w.unit_hours.into(),
        TimeUnitDto::QuarterHours => w.unit_quarter.into(),
        TimeUnitDto::Custom { minutes_per_unit } => {
            format!("{} {}", decimal(minutes_per_unit), w.unit_custom_short)
        }
    }
}

/// The unit's value in the form's select.
fn unit_code(unit: &TimeUnitDto) -> &'static str {
    match unit {
        TimeUnitDto::Minutes => "minutes",
        TimeUnitDto::Hours => "hours",
        TimeUnitDto::QuarterHours => "quarter_hours",
        TimeUnitDto::Custom { .. } => "custom",
    }
}

fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 12
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// `"7,5"` or `"7.5"` as a positive decimal string, or `None`.
fn minutes_per_unit(text: &str) -> Option<String> {
    let text = text.trim().replace(',', ".");
    let value: f64 = text.parse().ok()?;
    (value > 0.0 && value.is_finite()).then_some(text)
}

/// The helpdesk step.
#[component]
pub(super) fn ZammadStep(wiz: Wiz) -> impl IntoView {
    let saved = move || {
        wiz.connections.with(|c| {
            c.iter()
                .flatten()
                .filter(|c| c.kind == ConnectionKindDto::Zammad)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let hint = Signal::derive(move || (wiz.zammad_count() == 0).then(|| t().need_zammad));
    view! {
        <div class="card wizard-card">
            <h3>{move || t().zammad_title}</h3>
            <p class="muted">{move || t().zammad_text}</p>
            <h4>{move || t().zammad_saved}</h4>
            {move || {
                let list = saved();
                if list.is_empty() {
                    view! { <p class="muted" id="wizard-connections-empty">{move || t().zammad_none}</p> }
                        .into_any()
                } else {
                    view! {
                        <ul class="wizard-connections" id="wizard-connections">
                            {list.into_iter().map(|c| view! { <ConnectionItem c=c/> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
            <h4>
                {move || if wiz.zammad_count() == 0 { t().zammad_add } else { t().zammad_another }}
            </h4>
            <ZammadFormView wiz=wiz/>
            <Footer wiz=wiz back=Step::Kimai
                can_next=Signal::derive(move || wiz.zammad_count() > 0)
                hint=hint next=Callback::new(move |_| wiz.step.set(Step::Timezone))/>
        </div>
    }
}

#[component]
fn ZammadFormView(wiz: Wiz) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let unit = RwSignal::new("minutes".to_string());
    let custom = RwSignal::new(String::new());
    let insecure = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<CheckView>);
    let error = RwSignal::new(None::<ApiError>);
    let invalid = RwSignal::new(None::<&'static str>);
    let saved_ok = RwSignal::new(false);
    // The unit the helpdesk's own setting names (from the last check), and whether the user
    // confirmed keeping another one.
    let zammad_unit = RwSignal::new(None::<TimeUnitDto>);
    let differs_ok = RwSignal::new(false);
    // The helpdesk's setting when it names no standard unit (unset, custom): then only the
    // user knows what one unit is, and must say so.
    let unnamed = RwSignal::new(None::<String>);
    let differs = move || {
        zammad_unit.with(|z| {
            z.as_ref()
                .is_some_and(|z| unit_code(z) != unit.get().as_str())
        })
    };

    // The form, or why it cannot be sent (a text of this page).
    let form = move || -> Result<ZammadForm, &'static str> {
        let w = t();
        let time_unit = match unit.get_untracked().as_str() {
            "hours" => TimeUnitDto::Hours,
            "quarter_hours" => TimeUnitDto::QuarterHours,
            "custom" => TimeUnitDto::Custom {
                minutes_per_unit: minutes_per_unit(&custom.get_untracked())
                    .ok_or(w.unit_custom_invalid)?,
            },
            _ => TimeUnitDto::Minutes,
        };
        let f = ZammadForm {
            name: name.get_untracked().trim().to_string(),
            key: key.get_untracked().trim().to_string(),
            url: url.get_untracked().trim().to_string(),
            token: token.get_untracked().trim().to_string(),
            time_unit,
            allow_insecure_http: insecure.get_untracked(),
            unit_differs_from_zammad: differs_ok.get_untracked(),
        };
        if f.name.is_empty() || f.url.is_empty() || f.token.is_empty() {
            return Err(w.fill_all);
        }
        if !key_ok(&f.key) {
            return Err(w.key_invalid);
        }
        Ok(f)
    };
    let start = move || -> Option<ZammadForm> {
        error.set(None);
        result.set(None);
        saved_ok.set(false);
        match form() {
            Ok(f) => {
                invalid.set(None);
                busy.set(true);
                Some(f)
            }
            Err(why) => {
                invalid.set(Some(why));
                None
            }
        }
    };
    let test = move |_| {
        let Some(f) = start() else { return };
        spawn_local(async move {
            match api::check_zammad(&f).await {
                Ok(c) => {
                    unnamed.set(c.unit_setting.clone().filter(|_| c.time_unit.is_none()));
                    // Start from the helpdesk's own unit when it names one.
                    if let Some(z) = c.time_unit.clone() {
                        if zammad_unit.get_untracked().is_none() {
                            unit.set(unit_code(&z).to_string());
                        }
                        zammad_unit.set(Some(z));
                    }
                    result.set(Some(c));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let save = move |_| {
        let Some(f) = start() else { return };
        spawn_local(async move {
            match api::check_zammad(&f).await {
                Ok(c) if !c.ok => result.set(Some(c)),
                Ok(c) if c.time_unit.is_none() && !f.unit_differs_from_zammad => {
                    unnamed.set(c.unit_setting.clone());
                    result.set(Some(c));
                }
                Ok(_) => match api::save_zammad(&f).await {
                    Ok(_) => {
                        name.set(String::new());
                        key.set(String::new());
                        url.set(String::new());
                        token.set(String::new());
                        insecure.set(false);
                        saved_ok.set(true);
                        wiz.refresh(|_| ());
                        wiz.update_mode();
                    }
                    Err(e) => error.set(Some(e)),
                },
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let text_input = move |id: &'static str,
                           label: fn() -> &'static str,
                           value: RwSignal<String>,
                           kind: &'static str,
                           placeholder: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || label()}</label>
                <input id=id type=kind placeholder=placeholder autocomplete="off"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <div class="wizard-form">
            <div class="form-grid">
                {text_input("wizard-zammad-name", || t().name, name, "text", "Acme Helpdesk")}
                <div class="field">
                    <label for="wizard-zammad-key">{move || t().key}</label>
                    <input id="wizard-zammad-key" type="text" maxlength="12" placeholder="acme"
                        prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
                </div>
            </div>
            <p class="field-hint muted">{move || t().key_hint}</p>
            {text_input("wizard-zammad-url", || t().url, url, "url", "https://helpdesk.example.com")}
            {text_input("wizard-zammad-token", || t().token, token, "password", "")}
            <p class="field-hint muted">{move || t().token_hint}</p>
            <div class="form-grid">
                <div class="field">
                    <label for="wizard-zammad-unit">{move || t().unit}</label>
                    <select id="wizard-zammad-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                        <option value="minutes" selected=move || unit.get() == "minutes">{move || t().unit_minutes}</option>
                        <option value="hours" selected=move || unit.get() == "hours">{move || t().unit_hours}</option>
                        <option value="quarter_hours" selected=move || unit.get() == "quarter_hours">{move || t().unit_quarter}</option>
                        <option value="custom" selected=move || unit.get() == "custom">{move || t().unit_custom}</option>
                    </select>
                </div>
                <Show when=move || unit.get() == "custom">
                    <div class="field">
                        <label for="wizard-zammad-unit-custom">{move || t().unit_custom_label}</label>
                        <input id="wizard-zammad-unit-custom" type="text" inputmode="decimal" placeholder="7.5"
                            prop:value=move || custom.get() on:input=move |ev| custom.set(event_target_value(&ev))/>
                    </div>
                </Show>
            </div>
            <p class="field-hint muted">{move || t().unit_hint}</p>
            <Show when=differs>
                <div class="warn-box" id="wizard-zammad-unit-differs">
                    <label>
                        <input type="checkbox" id="wizard-zammad-unit-differs-ok"
                            prop:checked=move || differs_ok.get()
                            on:change=move |ev| differs_ok.set(event_target_checked(&ev))/>
                        " "
                        {move || {
                            let z = zammad_unit.get().map(|z| unit_label(&z)).unwrap_or_default();
                            t().unit_differs.replace("{zammad}", &z)
                        }}
                    </label>
                </div>
            </Show>
            {move || unnamed.get().map(|setting| view! {
                <div class="warn-box" id="wizard-zammad-unit-unnamed">
                    <label>
                        <input type="checkbox" id="wizard-zammad-unit-unnamed-ok"
                            prop:checked=move || differs_ok.get()
                            on:change=move |ev| differs_ok.set(event_target_checked(&ev))/>
                        " "
                        {move || t().unit_unnamed.replace("{setting}", &setting)}
                    </label>
                </div>
            })}
            <InsecureBox id="wizard-zammad-insecure" url=url insecure=insecure/>
            {move || invalid.get().map(|why| view! { <p class="warn-box" id="wizard-zammad-invalid">{why}</p> })}
            <div class="actions">
                <button id="wizard-zammad-test" class="secondary" disabled=move || busy.get() on:click=test>
                    {move || t().test}
                </button>
                <button id="wizard-zammad-save" disabled=move || busy.get() on:click=save>
                    {move || if busy.get() { t().working } else { t().save_connection }}
                </button>
            </div>
            <Show when=move || saved_ok.get()>
                <p class="ok-box" id="wizard-zammad-saved">{move || t().saved_connection}</p>
            </Show>
            {move || result.get().map(|c| view! {
                <CheckOutcome check=c id="wizard-zammad-result".into() problem_id="wizard-zammad-problem".into()/>
            })}
            {move || error.get().map(|e| view! { <Problem error=e id="wizard-zammad-error".into()/> })}
        </div>
    }
}

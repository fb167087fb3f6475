//! The settings page: background schedule (presets or six-field UTC cron), pause,
//! notifications, launch at login, the update check, theme and language (applied at once and stored), billing
//! timezone; the updates card and the connections card. Errors from the core (a bad cron or timezone is a
//! `validation` error with the core's message) are shown as they come.

mod connections;
mod updates;

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::settings::{Language, SchedulePreset, SettingsView, Theme};
use timebridge_types::ApiError;

use crate::api;
use crate::app::{apply_language, apply_theme};
use crate::components::Loading;
use crate::i18n::pages::settings::t;
use crate::pages::wizard::check::Problem;
use crate::pages::wizard::timezone::TimezoneList;

/// The settings page.
#[component]
pub(crate) fn SettingsPage() -> impl IntoView {
    // Read once: a background sync must not reset what the user is editing.
    let settings = LocalResource::new(api::get_settings);
    view! {
        <section class="page settings" id="page-settings">
            <header class="page-header"><h2>{move || t().title}</h2></header>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || settings.get().map(|r| match r {
                    Ok(s) => view! { <SettingsForm initial=s/> }.into_any(),
                    Err(e) => view! { <Problem error=e id="settings-error".into()/> }.into_any(),
                })}
            </Suspense>
            <updates::UpdatesCard/>
            <connections::ConnectionsCard/>
        </section>
    }
}

fn preset_value(p: &SchedulePreset) -> &'static str {
    match p {
        SchedulePreset::Every5Minutes => "every5_minutes",
        SchedulePreset::Every15Minutes => "every15_minutes",
        SchedulePreset::Every30Minutes => "every30_minutes",
        SchedulePreset::Hourly => "hourly",
        SchedulePreset::Custom { .. } => "custom",
    }
}

fn preset_of(value: &str, cron: String) -> SchedulePreset {
    match value {
        "every5_minutes" => SchedulePreset::Every5Minutes,
        "every30_minutes" => SchedulePreset::Every30Minutes,
        "hourly" => SchedulePreset::Hourly,
        "custom" => SchedulePreset::Custom { cron },
        _ => SchedulePreset::Every15Minutes,
    }
}

/// Stores one change (theme, language) on top of the stored settings, leaving other edits
/// of the form alone until "Save".
fn persist(change: impl FnOnce(&mut SettingsView) + 'static) {
    spawn_local(async move {
        if let Ok(mut s) = api::get_settings().await {
            change(&mut s);
            let _ = api::save_settings(&s).await;
        }
    });
}

#[component]
fn SettingsForm(initial: SettingsView) -> impl IntoView {
    let schedule = RwSignal::new(preset_value(&initial.schedule).to_string());
    let cron = RwSignal::new(match &initial.schedule {
        SchedulePreset::Custom { cron } => cron.clone(),
        _ => "0 */15 * * * *".to_string(),
    });
    let paused = RwSignal::new(initial.paused);
    let notifications = RwSignal::new(initial.notifications);
    let launch = RwSignal::new(initial.launch_at_login);
    let check_updates = RwSignal::new(initial.check_for_updates);
    let theme = RwSignal::new(initial.theme);
    let language = RwSignal::new(initial.language);
    let timezone = RwSignal::new(initial.billing_timezone.clone().unwrap_or_default());
    let book_from = RwSignal::new(initial.book_from.clone().unwrap_or_default());
    let oldest = RwSignal::new(initial.oldest_open_month.clone());
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    let on_theme = move |ev| {
        let value = match event_target_value(&ev).as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        };
        theme.set(value);
        apply_theme(value);
        persist(move |s| s.theme = value);
    };
    let on_language = move |ev| {
        let value = match event_target_value(&ev).as_str() {
            "de" => Language::De,
            _ => Language::En,
        };
        language.set(value);
        apply_language(value);
        persist(move |s| s.language = value);
    };
    let save = move |_| {
        let tz = timezone.get_untracked().trim().to_string();
        let view = SettingsView {
            schedule: preset_of(
                &schedule.get_untracked(),
                cron.get_untracked().trim().to_string(),
            ),
            paused: paused.get_untracked(),
            notifications: notifications.get_untracked(),
            launch_at_login: launch.get_untracked(),
            check_for_updates: check_updates.get_untracked(),
            theme: theme.get_untracked(),
            language: language.get_untracked(),
            billing_timezone: (!tz.is_empty()).then_some(tz),
            book_from: Some(book_from.get_untracked().trim().to_string()).filter(|d| !d.is_empty()),
            oldest_open_month: None,
        };
        busy.set(true);
        saved.set(false);
        error.set(None);
        // Read before spawning: the task has no reactive owner to find the context in.
        let shared = crate::state::shared();
        spawn_local(async move {
            match api::save_settings(&view).await {
                Ok(s) => {
                    timezone.set(s.billing_timezone.unwrap_or_default());
                    book_from.set(s.book_from.unwrap_or_default());
                    oldest.set(s.oldest_open_month);
                    saved.set(true);
                    shared.bump();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let edited = move || {
        saved.set(false);
    };
    let check = move |id: &'static str,
                      value: RwSignal<bool>,
                      label: fn() -> &'static str,
                      hint: fn() -> &'static str| {
        view! {
            <div class="setting-check">
                <label class="checkbox">
                    <input id=id type="checkbox" prop:checked=move || value.get()
                        on:change=move |ev| { value.set(event_target_checked(&ev)); edited(); }/>
                    " " {move || label()}
                </label>
                <p class="field-hint muted">{move || hint()}</p>
            </div>
        }
    };
    let option = move |value: &'static str,
                       current: RwSignal<String>,
                       label: fn() -> &'static str| {
        view! { <option value=value selected=move || current.get() == value>{move || label()}</option> }
    };
    view! {
        <div class="settings-grid">
            <div class="card">
                <h3>{move || t().sync_title}</h3>
                <label for="settings-schedule">{move || t().schedule}</label>
                <select id="settings-schedule" on:change=move |ev| { schedule.set(event_target_value(&ev)); edited(); }>
                    {option("every5_minutes", schedule, || t().every5)}
                    {option("every15_minutes", schedule, || t().every15)}
                    {option("every30_minutes", schedule, || t().every30)}
                    {option("hourly", schedule, || t().hourly)}
                    {option("custom", schedule, || t().custom)}
                </select>
                <Show when=move || schedule.get() == "custom">
                    <label for="settings-cron">{move || t().cron}</label>
                    <input id="settings-cron" class="mono" type="text" spellcheck="false"
                        prop:value=move || cron.get() on:input=move |ev| { cron.set(event_target_value(&ev)); edited(); }/>
                    <p class="field-hint muted">{move || t().cron_hint}</p>
                </Show>
                {check("settings-paused", paused, || t().paused, || t().paused_hint)}
            </div>
            <div class="card">
                <h3>{move || t().app_title}</h3>
                {check("settings-notifications", notifications, || t().notifications, || t().notifications_hint)}
                {check("settings-launch", launch, || t().launch, || t().launch_hint)}
                {check("settings-check-updates", check_updates, || t().check_updates, || t().check_updates_hint)}
                <div class="form-row">
                    <div>
                        <label for="settings-theme">{move || t().theme}</label>
                        <select id="settings-theme" on:change=on_theme>
                            <option value="system" selected=move || theme.get() == Theme::System>{move || t().theme_system}</option>
                            <option value="light" selected=move || theme.get() == Theme::Light>{move || t().theme_light}</option>
                            <option value="dark" selected=move || theme.get() == Theme::Dark>{move || t().theme_dark}</option>
                        </select>
                    </div>
                    <div>
                        <label for="settings-language">{move || t().language}</label>
                        <select id="settings-language" on:change=on_language>
                            <option value="en" selected=move || language.get() == Language::En>"English"</option>
                            <option value="de" selected=move || language.get() == Language::De>"Deutsch"</option>
                        </select>
                    </div>
                </div>
                <p class="field-hint muted">{move || t().applied_now}</p>
            </div>
            <div class="card">
                <h3>{move || t().billing_title}</h3>
                <label for="settings-timezone">{move || t().timezone}</label>
                <input id="settings-timezone" type="text" list="settings-timezones" autocomplete="off"
                    prop:value=move || timezone.get() on:input=move |ev| { timezone.set(event_target_value(&ev)); edited(); }/>
                <TimezoneList id="settings-timezones"/>
                <p class="field-hint muted">{move || t().timezone_hint}</p>
                <label for="settings-book-from">{move || t().book_from}</label>
                <input id="settings-book-from" type="date"
                    prop:value=move || book_from.get() on:input=move |ev| { book_from.set(event_target_value(&ev)); edited(); }/>
                <p class="field-hint muted" id="settings-oldest-month" data-value=move || oldest.get().unwrap_or_default()>
                    {move || t().book_from_hint.replace("{month}", &oldest.get().unwrap_or_else(|| "–".into()))}
                </p>
            </div>
        </div>
        <div class="settings-save">
            <button id="settings-save" disabled=move || busy.get() on:click=save>{move || t().save}</button>
            <Show when=move || saved.get()>
                <span class="ok-box inline" id="settings-saved">"✓ " {move || t().saved}</span>
            </Show>
        </div>
        {move || error.get().map(|e| view! {
            <div class="settings-error-wrap">
                <p class="error-lead">{move || t().not_saved}</p>
                <Problem error=e id="settings-error".into()/>
            </div>
        })}
    }
}

//! The app frame: navigation, the sync bar, and the page shown. It loads the app state (first
//! run → the wizard), applies the language and theme from the settings, and turns the shell's
//! events into the shared state every page reads (`state::Shared`).

use leptos::prelude::*;
use timebridge_types::settings::{Language, Theme};
use timebridge_types::setup::AppMode;
use timebridge_types::sync::{SyncProgress, SyncStep};
use timebridge_types::{event, ApiError};

use crate::api;
use crate::events::{listen, listen_unit};
use crate::i18n::{common, Lang};
use crate::memory;
use crate::pages;
use crate::state::{Page, Shared};
use crate::syncbar::SyncBar;
use timebridge_types::updates::UpdateView;

/// Applies a theme to the document (`data-theme` on `<html>`; CSS follows it).
pub(crate) fn apply_theme(theme: Theme) {
    if let Some(root) = document().document_element() {
        let value = match theme {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        };
        let _ = root.set_attribute("data-theme", value);
    }
}

/// Applies a language to the document and the texts (the texts only where the component
/// context is: a component or an event handler, not a spawned task).
pub(crate) fn apply_language(lang: Language) {
    if let Some(Lang(signal)) = use_context::<Lang>() {
        signal.set(lang);
    }
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute(
            "lang",
            match lang {
                Language::En => "en",
                Language::De => "de",
            },
        );
    }
}

/// The root component.
#[component]
pub(crate) fn App() -> impl IntoView {
    let shared = Shared::new();
    provide_context(shared);
    let lang = RwSignal::new(Language::En);
    provide_context(Lang(lang));
    let loaded = RwSignal::new(false);

    // The start page: where the user was before the window closed; the wizard on a first run;
    // else the dashboard.
    leptos::task::spawn_local(async move {
        memory::load().await;
        shared.restore_page();
        loaded.set(true);
        match api::app_state().await {
            Ok(s) => {
                shared.mode.set(Some(s.mode));
                if s.mode == AppMode::FirstRun {
                    shared.go(Page::Setup);
                }
            }
            Err(_) => shared.go(Page::Status),
        }
        if let Ok(settings) = api::get_settings().await {
            // A spawned task has no component context: the signal is set through the copy
            // taken above, where `apply_language` alone would not find it.
            lang.set(settings.language);
            apply_language(settings.language);
            apply_theme(settings.theme);
        }
    });

    listen::<SyncProgress>(event::SYNC_PROGRESS, move |p| {
        let done = p.step == SyncStep::Finished;
        shared.progress.set((!done).then_some(p));
    });
    listen_unit(event::SYNC_FINISHED, move || {
        shared.progress.set(None);
        shared.bump();
    });
    listen_unit(event::STATUS_CHANGED, move || shared.bump());
    listen_unit(event::SHOW_CONFLICTS, move || shared.go(Page::Conflicts));
    listen::<UpdateView>(event::UPDATE_CHANGED, move |v| shared.update.set(Some(v)));

    view! {
        <div class="frame" id="app">
            <Nav/>
            <main class="content">
                <SyncBar/>
                {move || loaded.get().then(|| view! { <PageView/> })}
            </main>
        </div>
    }
}

/// The page shown.
#[component]
fn PageView() -> impl IntoView {
    let shared = crate::state::shared();
    move || match shared.page.get() {
        Page::Setup => view! { <pages::wizard::WizardPage/> }.into_any(),
        Page::Dashboard => view! { <pages::dashboard::DashboardPage/> }.into_any(),
        Page::Entries => view! { <pages::entries::EntriesPage/> }.into_any(),
        Page::Conflicts => view! { <pages::conflicts::ConflictsPage/> }.into_any(),
        Page::History => view! { <pages::history::HistoryPage/> }.into_any(),
        Page::Billing => view! { <pages::billing::BillingPage/> }.into_any(),
        Page::Mappings => view! { <pages::mappings::MappingsPage/> }.into_any(),
        Page::Settings => view! { <pages::settings::SettingsPage/> }.into_any(),
        Page::Status => view! { <pages::status::StatusPage/> }.into_any(),
    }
}

/// The side navigation, with the open conflicts' count.
#[component]
fn Nav() -> impl IntoView {
    let shared = crate::state::shared();
    let tray = LocalResource::new(move || {
        shared.changed.get();
        api::tray_state()
    });
    let conflicts = move || {
        tray.get()
            .and_then(|r: Result<_, ApiError>| r.ok())
            .map(|t| t.conflicts)
            .filter(|n| *n > 0)
    };
    let item = move |page: Page, label: fn() -> &'static str| {
        let id = format!("nav-{}", page.id());
        view! {
            <li>
                <button
                    id=id
                    class="nav-item"
                    class:active=move || shared.page.get() == page
                    on:click=move |_| shared.go(page)
                >
                    {move || label()}
                    {(page == Page::Conflicts).then(|| view! {
                        <span class="badge" id="nav-conflicts-count">{conflicts}</span>
                    })}
                </button>
            </li>
        }
    };
    view! {
        <nav class="nav">
            <div class="brand">
                <img src="logo.svg" alt="" class="logo"/>
                <span>"Timebridge"</span>
            </div>
            {move || (shared.mode.get() == Some(AppMode::Demo)).then(|| view! {
                <p class="demo-badge" id="demo-badge">{move || common::t().demo_badge}</p>
            })}
            <ul>
                {item(Page::Dashboard, || common::t().nav_dashboard)}
                {item(Page::Entries, || common::t().nav_entries)}
                {item(Page::Conflicts, || common::t().nav_conflicts)}
                {item(Page::History, || common::t().nav_history)}
                {item(Page::Billing, || common::t().nav_billing)}
                {item(Page::Mappings, || common::t().nav_mappings)}
                {item(Page::Settings, || common::t().nav_settings)}
                {item(Page::Setup, || common::t().nav_setup)}
                {item(Page::Status, || common::t().nav_status)}
            </ul>
        </nav>
    }
}

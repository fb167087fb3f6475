//! The setup wizard: a stepper through Welcome (demo or own accounts) → Kimai → Zammad
//! helpdesks → billing timezone → mapping suggestions. Reached later from the navigation or
//! the settings, it shows what is connected and lets the user add another helpdesk.
//!
//! Tokens only travel from the form to the shell; nothing shows one back.

pub(crate) mod check;
mod kimai;
mod suggest;
pub(crate) mod timezone;
mod zammad;
pub(crate) use zammad::unit_label;

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::setup::{AppMode, ConnectionKindDto, ConnectionView};
use timebridge_types::ApiError;

use crate::api;
use crate::i18n::pages::wizard::t;
use crate::state::{shared, Page};
use check::Problem;

/// Set by "Add a helpdesk" elsewhere: the wizard opens at the helpdesk step.
static OPEN_AT_HELPDESKS: AtomicBool = AtomicBool::new(false);

/// Opens the wizard at the helpdesk step (the settings' "Add a helpdesk").
pub(crate) fn open_for_helpdesk() {
    OPEN_AT_HELPDESKS.store(true, Ordering::Relaxed);
    shared().go(Page::Setup);
}

/// The wizard's steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    Welcome,
    Kimai,
    Zammad,
    Timezone,
    Mappings,
}

const STEPS: [Step; 5] = [
    Step::Welcome,
    Step::Kimai,
    Step::Zammad,
    Step::Timezone,
    Step::Mappings,
];

impl Step {
    fn label(self) -> &'static str {
        let w = t();
        match self {
            Self::Welcome => w.step_welcome,
            Self::Kimai => w.step_kimai,
            Self::Zammad => w.step_zammad,
            Self::Timezone => w.step_timezone,
            Self::Mappings => w.step_mappings,
        }
    }
    fn id(self) -> &'static str {
        match self {
            Self::Welcome => "welcome",
            Self::Kimai => "kimai",
            Self::Zammad => "zammad",
            Self::Timezone => "timezone",
            Self::Mappings => "mappings",
        }
    }
}

/// The wizard's state, shared by its steps.
#[derive(Clone, Copy)]
pub(crate) struct Wiz {
    pub(super) step: RwSignal<Step>,
    /// The stored connections (`None` until loaded).
    pub(super) connections: RwSignal<Option<Vec<ConnectionView>>>,
    pub(super) load_error: RwSignal<Option<ApiError>>,
    /// The Kimai user's timezone from the last successful check.
    pub(super) kimai_tz: RwSignal<Option<String>>,
    /// The app's shared state, kept here because tasks spawned after a save have no reactive
    /// owner to look the context up in.
    pub(super) shared: crate::state::Shared,
}

impl Wiz {
    /// Reloads the connections; `then` runs with them once loaded.
    pub(super) fn refresh(self, then: impl FnOnce(&[ConnectionView]) + 'static) {
        spawn_local(async move {
            match api::list_connections().await {
                Ok(list) => {
                    self.load_error.set(None);
                    then(&list);
                    self.connections.set(Some(list));
                }
                Err(e) => self.load_error.set(Some(e)),
            }
        });
    }

    pub(super) fn has_kimai(self) -> bool {
        self.connections.with(|c| {
            c.iter()
                .flatten()
                .any(|c| c.kind == ConnectionKindDto::Kimai)
        })
    }

    pub(super) fn zammad_count(self) -> usize {
        self.connections.with(|c| {
            c.iter()
                .flatten()
                .filter(|c| c.kind == ConnectionKindDto::Zammad)
                .count()
        })
    }

    /// Whether the user may jump to `step` from the stepper.
    fn reachable(self, step: Step) -> bool {
        match step {
            Step::Welcome | Step::Kimai => true,
            Step::Zammad => self.has_kimai(),
            Step::Timezone | Step::Mappings => self.has_kimai() && self.zammad_count() > 0,
        }
    }

    /// After a connection was saved: the app is set up once Kimai and a helpdesk exist.
    pub(super) fn update_mode(self) {
        let shared = self.shared;
        spawn_local(async move {
            if let Ok(state) = api::app_state().await {
                shared.mode.set(Some(state.mode));
            }
        });
    }
}

/// The wizard page.
#[component]
pub(crate) fn WizardPage() -> impl IntoView {
    let wiz = Wiz {
        step: RwSignal::new(Step::Welcome),
        connections: RwSignal::new(None),
        load_error: RwSignal::new(None),
        kimai_tz: RwSignal::new(None),
        shared: shared(),
    };
    let at_helpdesks = OPEN_AT_HELPDESKS.swap(false, Ordering::Relaxed);
    wiz.refresh(move |list| {
        if at_helpdesks && list.iter().any(|c| c.kind == ConnectionKindDto::Kimai) {
            wiz.step.set(Step::Zammad);
        }
    });
    let step_view = move || match wiz.step.get() {
        Step::Welcome => view! { <Welcome wiz=wiz/> }.into_any(),
        Step::Kimai => view! { <kimai::KimaiStep wiz=wiz/> }.into_any(),
        Step::Zammad => view! { <zammad::ZammadStep wiz=wiz/> }.into_any(),
        Step::Timezone => view! { <timezone::TimezoneStep wiz=wiz/> }.into_any(),
        Step::Mappings => view! { <suggest::MappingsStep wiz=wiz/> }.into_any(),
    };
    view! {
        <section class="page wizard" id="page-setup" data-step=move || wiz.step.get().id()>
            <header class="page-header">
                <div>
                    <h2>{move || t().title}</h2>
                    <p class="subtitle">{move || t().subtitle}</p>
                </div>
            </header>
            <Stepper wiz=wiz/>
            {move || wiz.load_error.get().map(|e| view! {
                <Problem error=e id="wizard-error".to_string()/>
            })}
            <div class="wizard-body">{step_view}</div>
        </section>
    }
}

/// Where the user is: done steps ticked, the current one highlighted.
#[component]
fn Stepper(wiz: Wiz) -> impl IntoView {
    let items = STEPS
        .iter()
        .enumerate()
        .map(|(i, &step)| {
            let state = move || {
                let current = wiz.step.get();
                if step == current {
                    "current"
                } else if step < current {
                    "done"
                } else {
                    "todo"
                }
            };
            view! {
                <li class=move || format!("wizard-step {}", state()) id=format!("wizard-step-{}", step.id())
                    aria-current=move || (wiz.step.get() == step).then_some("step")>
                    <button class="wizard-step-button" disabled=move || !wiz.reachable(step)
                        on:click=move |_| wiz.step.set(step)>
                        <span class="wizard-step-dot">
                            {move || if state() == "done" { "✓".to_string() } else { (i + 1).to_string() }}
                        </span>
                        <span class="wizard-step-label">{move || step.label()}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="wizard-stepper">{items}</ol> }
}

/// The first step: the demo, or one's own accounts.
#[component]
fn Welcome(wiz: Wiz) -> impl IntoView {
    let shared = shared();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let start_demo = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::start_demo().await {
                Ok(_) => {
                    shared.mode.set(Some(AppMode::Demo));
                    shared.bump();
                    shared.go(Page::Dashboard);
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let set_up = move || wiz.has_kimai();
    view! {
        <div class="card wizard-welcome">
            <h3>{move || t().welcome_title}</h3>
            <p>{move || if set_up() { t().again_text } else { t().welcome_text }}</p>
            <div class="wizard-choices">
                <Show when=move || !set_up()>
                    <div class="wizard-choice">
                        <h4>{move || t().demo_title}</h4>
                        <p class="muted">{move || t().demo_text}</p>
                        <button id="wizard-demo" class="secondary" disabled=move || busy.get()
                            on:click=start_demo>
                            {move || if busy.get() { t().working } else { t().demo_button }}
                        </button>
                    </div>
                </Show>
                <div class="wizard-choice primary">
                    <h4>{move || if set_up() { t().zammad_another } else { t().real_title }}</h4>
                    <p class="muted">{move || t().real_text}</p>
                    <button id="wizard-next" disabled=move || busy.get()
                        on:click=move |_| wiz.step.set(if set_up() { Step::Zammad } else { Step::Kimai })>
                        {move || if set_up() { t().zammad_add } else { t().real_button }}
                    </button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <Problem error=e id="wizard-demo-error".to_string()/> })}
        </div>
    }
}

/// Back / continue under a step; `next` is `None` where the step has its own final button.
#[component]
pub(super) fn Footer(
    wiz: Wiz,
    back: Step,
    #[prop(into)] can_next: Signal<bool>,
    #[prop(into)] hint: Signal<Option<&'static str>>,
    #[prop(optional)] busy: Option<RwSignal<bool>>,
    #[prop(optional)] next: Option<Callback<()>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let busy = busy.unwrap_or_else(|| RwSignal::new(false));
    view! {
        <div class="wizard-footer">
            <button id="wizard-back" class="secondary" on:click=move |_| wiz.step.set(back)>
                {move || t().back}
            </button>
            <span class="wizard-hint muted">{move || hint.get()}</span>
            {match next {
                Some(next) => view! {
                    <button id="wizard-next" disabled=move || !can_next.get() || busy.get()
                        on:click=move |_| next.run(())>
                        {move || if busy.get() { t().working } else { t().next }}
                    </button>
                }.into_any(),
                None => children.map(|c| c()).into_any(),
            }}
        </div>
    }
}

/// A saved connection in the wizard's lists.
#[component]
pub(super) fn ConnectionItem(c: ConnectionView) -> impl IntoView {
    view! {
        <li class="wizard-connection" id=format!("wizard-connection-{}", c.id)
            data-kind=match c.kind { ConnectionKindDto::Kimai => "kimai", ConnectionKindDto::Zammad => "zammad" }>
            <span class="wizard-connection-check">"✓"</span>
            <strong>{c.name}</strong>
            {c.instance_key.map(|k| view! { <code class="pill">{k}</code> })}
            <span class="muted url">{c.url}</span>
            {c.time_unit.map(|u| view! { <span class="muted">{move || zammad::unit_label(&u)}</span> })}
        </li>
    }
}

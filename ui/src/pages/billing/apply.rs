//! Billing the previewed month: options (sync first, override with a reason), a confirmation
//! that says exactly what will happen, a busy indicator while the core works, and the result.
//!
//! The indicator is indeterminate on purpose: `billing_apply` sends no progress events (the
//! core tags and exports record by record but reports only at the end), so a percentage here
//! would be invented. When "sync first" is on, the sync's own progress may appear in the sync
//! bar above.

use leptos::prelude::*;
use timebridge_types::billing::{BillingApplyRequest, BillingResultView};
use timebridge_types::ApiError;

use super::words::{self, fill};
use super::{BillingError, Ctx};
use crate::api;
use crate::i18n::pages::billing::t;
use crate::i18n::{common, fmt};

/// Where the apply stands.
#[derive(Clone)]
pub(super) enum Step {
    /// Options shown.
    Idle,
    /// The confirmation of this request, with the count and tag the preview showed.
    Confirm(BillingApplyRequest, u32, String),
    /// `billing_apply` is running.
    Running(bool),
    /// Its answer.
    Done(Result<BillingResultView, ApiError>),
}

/// The apply options and step; kept by the page so a refreshed preview does not lose them.
#[derive(Clone, Copy)]
pub(super) struct ApplyState {
    step: RwSignal<Step>,
    sync_first: RwSignal<bool>,
    override_on: RwSignal<bool>,
    reason: RwSignal<String>,
}

impl ApplyState {
    pub(super) fn new() -> Self {
        Self {
            step: RwSignal::new(Step::Idle),
            sync_first: RwSignal::new(true),
            override_on: RwSignal::new(false),
            reason: RwSignal::new(String::new()),
        }
    }

    /// Back to the options (a new preview was asked for).
    pub(super) fn reset(&self) {
        if !matches!(self.step.get_untracked(), Step::Running(_)) {
            self.step.set(Step::Idle);
        }
    }
}

fn run(ctx: Ctx, state: ApplyState, req: BillingApplyRequest) {
    state.step.set(Step::Running(req.sync_first));
    leptos::task::spawn_local(async move {
        let result = api::billing_apply(&req).await;
        state.step.set(Step::Done(result));
        ctx.shared.bump();
    });
}

/// The apply card.
#[component]
pub(super) fn ApplyPanel(ctx: Ctx, state: ApplyState, stale: Signal<bool>) -> impl IntoView {
    let preview = move || ctx.preview.get().and_then(|r| r.ok());
    let blocked = move || preview().is_some_and(|p| !p.blockers.is_empty());
    let nothing = move || preview().is_some_and(|p| p.to_bill == 0);
    let overridden = move || state.override_on.get() && !state.reason.get().trim().is_empty();
    let running = move || matches!(state.step.get(), Step::Running(_));
    let can_apply = move || {
        preview().is_some()
            && !stale.get()
            && !nothing()
            && !running()
            && !ctx.previewing.get()
            && (!blocked() || overridden())
    };
    let ask = move |_| {
        let (Some(p), Some(query)) = (preview(), ctx.query.get_untracked()) else {
            return;
        };
        let override_reason = (!p.blockers.is_empty() && state.override_on.get_untracked())
            .then(|| state.reason.get_untracked().trim().to_string());
        let req = BillingApplyRequest {
            query,
            override_reason,
            sync_first: state.sync_first.get_untracked(),
        };
        state.step.set(Step::Confirm(req, p.to_bill, p.tag));
    };

    let options = move || {
        view! {
            <label class="billing-check">
                <input
                    type="checkbox"
                    id="billing-sync-first"
                    prop:checked=move || state.sync_first.get()
                    on:change=move |ev| state.sync_first.set(event_target_checked(&ev))
                />
                {move || t().sync_first}
            </label>
            <div class="billing-override" class:hidden=move || !blocked()>
                <label class="billing-check">
                    <input
                        type="checkbox"
                        id="billing-override"
                        prop:checked=move || state.override_on.get()
                        on:change=move |ev| state.override_on.set(event_target_checked(&ev))
                    />
                    {move || t().override_label}
                </label>
                <label for="billing-override-reason">{move || t().override_reason}</label>
                <input
                    type="text"
                    id="billing-override-reason"
                    class="billing-reason"
                    required=move || state.override_on.get()
                    disabled=move || !state.override_on.get()
                    placeholder=move || t().override_placeholder
                    prop:value=move || state.reason.get()
                    on:input=move |ev| state.reason.set(event_target_value(&ev))
                />
            </div>
            {move || (blocked() && !overridden()).then(|| view! {
                <p class="muted" id="billing-apply-hint">{move || t().apply_needs_override}</p>
            })}
            {move || nothing().then(|| view! {
                <p class="muted" id="billing-nothing">{move || t().apply_nothing}</p>
            })}
            <div class="actions">
                <button id="billing-apply" disabled=move || !can_apply() on:click=ask>
                    {move || t().apply_btn}
                </button>
            </div>
        }
    };

    let step_view = move || match state.step.get() {
        Step::Idle => ().into_any(),
        Step::Confirm(req, count, tag) => {
            let names = ctx.customer_names(&req.query.customers);
            let month = req.query.month.clone().unwrap_or_default();
            let (sync_first, reason) = (req.sync_first, req.override_reason.clone());
            let go = move |_| run(ctx, state, req.clone());
            view! {
                <div class="billing-confirm warn-box" id="billing-confirm" role="alertdialog">
                    <strong>{move || t().confirm_title}</strong>
                    <p id="billing-confirm-text">
                        {move || fill(t().confirm_text, &[
                            ("count", count.to_string()),
                            ("customers", names.clone()),
                            ("month", fmt::month(&month)),
                            ("tag", tag.clone()),
                        ])}
                    </p>
                    {sync_first.then(|| view! { <p>{move || t().confirm_sync}</p> })}
                    {reason.map(|r| view! {
                        <p>{move || fill(t().confirm_override, &[("reason", r.clone())])}</p>
                    })}
                    <div class="actions">
                        <button class="danger" id="billing-confirm-btn" on:click=go>
                            {move || t().confirm_btn}
                        </button>
                        <button class="secondary" id="billing-cancel-btn" on:click=move |_| state.step.set(Step::Idle)>
                            {move || common::t().cancel}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
        Step::Running(sync_first) => view! {
            <div class="progress billing-progress" id="billing-progress" role="status">
                <span class="progress-label">
                    {move || if sync_first { t().running_sync } else { t().running }}
                </span>
                <div class="progress-track">
                    <div class="progress-fill indeterminate billing-indeterminate"></div>
                </div>
            </div>
        }
        .into_any(),
        Step::Done(Ok(r)) => {
            view! { <ResultBox result=r id="billing-result".to_string() reversed=false/> }
                .into_any()
        }
        Step::Done(Err(e)) => view! {
            <div id="billing-result" data-state="error" data-changed="0">
                <BillingError error=e id="billing-apply-error"/>
            </div>
        }
        .into_any(),
    };

    view! {
        <div class="card billing-apply" id="billing-apply-card" class:hidden=move || preview().is_none()>
            <h3>{move || t().apply_title}</h3>
            {move || (!matches!(state.step.get(), Step::Confirm(..) | Step::Running(_))).then(options)}
            {step_view}
        </div>
    }
}

/// What an apply or a reverse did: changed, and the records left alone with why.
#[component]
pub(super) fn ResultBox(result: BillingResultView, id: String, reversed: bool) -> impl IntoView {
    let r = result;
    let ok = matches!(r.run.state.as_str(), "done" | "reversed");
    let (changed, run_id, state) = (r.changed, r.run.id, r.run.state.clone());
    let skipped = r.skipped.clone();
    let error = r.run.error.clone();
    let prefix = id.clone();
    view! {
        <div
            class=if ok { "ok-box billing-result" } else { "warn-box billing-result" }
            id=id
            data-state=state.clone()
            data-changed=changed
        >
            <p>
                {move || {
                    let template = if reversed { t().result_reversed } else { t().result_changed };
                    fill(template, &[("count", changed.to_string()), ("run", run_id.to_string())])
                }}
                " "
                <span class=words::state_class(&state)>{
                    let state = state.clone();
                    move || words::run_state(&state)
                }</span>
            </p>
            {(!ok && !reversed).then(|| view! { <p>{move || t().result_failed}</p> })}
            {error.map(|e| view! { <p class="billing-run-error">{e}</p> })}
            {(!skipped.is_empty()).then(|| view! {
                <p>{move || if reversed { t().refused } else { t().result_skipped }}</p>
                <ul class="billing-skipped">
                    {skipped.into_iter().enumerate().map(|(i, s)| view! {
                        <li id=format!("{prefix}-skipped-{i}")>{s}</li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

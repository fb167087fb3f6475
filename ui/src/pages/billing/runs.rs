//! Earlier billing runs: month, customers, state, override reason, times, the report files,
//! and "Reverse" behind a confirmation that says what a reverse does and does not do.
//!
//! Reports are shown as their paths in read-only fields with a copy button. Opening a file
//! would need the shell's opener (a Tauri plugin and a capability), which this page does not
//! add on its own.

use leptos::prelude::*;
use timebridge_types::billing::{BillingResultView, BillingRunView, ReportFormat};
use timebridge_types::ApiError;
use wasm_bindgen::{JsCast, JsValue};

use super::apply::ResultBox;
use super::words::{self, fill};
use super::{BillingError, Ctx};
use crate::api;
use crate::components::Loading;
use crate::i18n::pages::billing::t;
use crate::i18n::{common, fmt};

/// A reverse in progress for one run.
#[derive(Clone)]
enum Reverse {
    Confirm,
    Running,
    Done(Box<Result<BillingResultView, ApiError>>),
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`); `false` if unavailable.
fn copy_text(text: &str) -> bool {
    let window: JsValue = window().into();
    let clipboard = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()));
    let Ok(clipboard) = clipboard else {
        return false;
    };
    match js_sys::Reflect::get(&clipboard, &"writeText".into()) {
        Ok(f) => match f.dyn_ref::<js_sys::Function>() {
            Some(f) => f.call1(&clipboard, &text.into()).is_ok(),
            None => false,
        },
        Err(_) => false,
    }
}

/// Selects an input's text when it gets the focus (so Ctrl+C works without the button).
fn select_all(ev: &leptos::ev::FocusEvent) {
    if let Some(target) = ev.target() {
        let target: JsValue = target.into();
        if let Ok(f) = js_sys::Reflect::get(&target, &"select".into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call0(&target);
            }
        }
    }
}

/// A report path with a copy button.
fn report_field(
    id: String,
    label: fn() -> &'static str,
    path: String,
    copied: RwSignal<Option<String>>,
    (run_id, format): (i64, ReportFormat),
) -> impl IntoView {
    let open_error = RwSignal::new(None::<String>);
    let open = move |_| {
        leptos::task::spawn_local(async move {
            open_error.set(
                api::open_report(run_id, format)
                    .await
                    .err()
                    .map(|e| e.message),
            );
        });
    };
    let open_id = format!("{id}-open");
    let (for_copy, key) = (path.clone(), id.clone());
    let is_copied = {
        let key = key.clone();
        move || copied.with(|c| c.as_deref() == Some(key.as_str()))
    };
    view! {
        <div class="billing-report">
            <label for=id.clone()>{move || label()}</label>
            <div class="billing-report-row">
                <input
                    type="text"
                    readonly=true
                    class="billing-path"
                    id=id
                    data-path=path.clone()
                    prop:value=path
                    on:focus=move |ev| select_all(&ev)
                />
                <button
                    class="secondary"
                    on:click=move |_| {
                        if copy_text(&for_copy) {
                            copied.set(Some(key.clone()));
                        }
                    }
                >
                    {move || if is_copied() { t().copied } else { t().copy }}
                </button>
                <button class="secondary" id=open_id on:click=open>
                    {move || t().open_report}
                </button>
            </div>
            {move || open_error.get().map(|m| view! { <p class="warn-box">{m}</p> })}
        </div>
    }
}

/// One run.
fn run_item(
    ctx: Ctx,
    run: BillingRunView,
    reverse: RwSignal<Option<(i64, Reverse)>>,
    copied: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = run.id;
    let customers = ctx.customer_names(&run.customers);
    let reversible = run.state != "reversed";
    let mine = move || {
        reverse.with(|r| {
            r.as_ref()
                .filter(|(rid, _)| *rid == id)
                .map(|(_, s)| s.clone())
        })
    };
    let busy = move || reverse.with(|r| matches!(r, Some((_, Reverse::Running))));
    let month = run.month.clone();
    let start_reverse = move |_| {
        reverse.set(Some((id, Reverse::Running)));
        leptos::task::spawn_local(async move {
            let result = api::billing_reverse(id).await;
            reverse.set(Some((id, Reverse::Done(Box::new(result)))));
            ctx.shared.bump();
        });
    };
    let times = [
        (Some(run.started_at.clone()), "started"),
        (run.finished_at.clone(), "finished"),
        (run.reversed_at.clone(), "reversed"),
    ];
    view! {
        <li class="billing-run card" id=format!("billing-run-{id}") data-state=run.state.clone()>
            <div class="billing-run-head">
                <strong>{move || fill(t().run_label, &[("run", id.to_string())])}</strong>
                <span class="billing-run-month">{
                    let m = run.month.clone();
                    move || fmt::month(&m)
                }</span>
                <span class="muted">{customers}</span>
                <span class=words::state_class(&run.state)>{
                    let s = run.state.clone();
                    move || words::run_state(&s)
                }</span>
                <code class="billing-run-tag" title=move || t().run_tag>{run.tag.clone()}</code>
                {reversible.then(|| view! {
                    <button
                        class="secondary billing-reverse-btn"
                        id=format!("billing-reverse-{id}")
                        disabled=busy
                        on:click=move |_| reverse.set(Some((id, Reverse::Confirm)))
                    >
                        {move || t().reverse_btn}
                    </button>
                })}
            </div>
            <dl class="billing-run-facts">
                {times.into_iter().filter_map(|(v, which)| v.map(|v| view! {
                    <dt>{move || match which {
                        "started" => t().run_started,
                        "finished" => t().run_finished,
                        _ => t().run_reversed,
                    }}</dt>
                    <dd>{move || fmt::instant(&v)}</dd>
                })).collect_view()}
                {run.override_reason.clone().map(|r| view! {
                    <dt>{move || t().run_override}</dt>
                    <dd class="billing-run-override" id=format!("billing-run-override-{id}")>{r}</dd>
                })}
                {run.error.clone().map(|e| view! {
                    <dt>{move || t().run_error}</dt>
                    <dd class="billing-run-error">{e}</dd>
                })}
            </dl>
            {run.report_csv.clone().map(|p| report_field(format!("billing-report-csv-{id}"), || t().report_csv, p, copied, (id, ReportFormat::Csv)))}
            {run.report_html.clone().map(|p| report_field(format!("billing-report-html-{id}"), || t().report_html, p, copied, (id, ReportFormat::Html)))}
            {move || mine().map(|step| match step {
                Reverse::Confirm => {
                    let month = month.clone();
                    view! {
                        <div class="warn-box billing-reverse-confirm" id=format!("billing-reverse-confirm-box-{id}") role="alertdialog">
                            <p>{move || fill(t().reverse_text, &[("run", id.to_string()), ("month", fmt::month(&month))])}</p>
                            <div class="actions">
                                <button class="danger" id=format!("billing-reverse-confirm-{id}") on:click=start_reverse>
                                    {move || t().reverse_confirm}
                                </button>
                                <button class="secondary" id=format!("billing-reverse-cancel-{id}") on:click=move |_| reverse.set(None)>
                                    {move || common::t().cancel}
                                </button>
                            </div>
                        </div>
                    }.into_any()
                }
                Reverse::Running => view! {
                    <div class="progress billing-progress" id=format!("billing-reverse-progress-{id}") role="status">
                        <span class="progress-label">{move || t().reversing}</span>
                        <div class="progress-track"><div class="progress-fill indeterminate billing-indeterminate"></div></div>
                    </div>
                }.into_any(),
                Reverse::Done(done) => match *done {
                Ok(r) => view! {
                    <ResultBox result=r id=format!("billing-reverse-result-{id}") reversed=true/>
                }.into_any(),
                Err(e) => view! {
                    <div id=format!("billing-reverse-result-{id}") data-state="error" data-changed="0">
                        <BillingError error=e id="billing-reverse-error"/>
                    </div>
                }.into_any(),
                },
            })}
        </li>
    }
}

/// The list of runs.
#[component]
pub(super) fn Runs(ctx: Ctx) -> impl IntoView {
    let runs = LocalResource::new(move || {
        ctx.shared.changed.get();
        api::billing_runs()
    });
    let reverse = RwSignal::new(None::<(i64, Reverse)>);
    let copied = RwSignal::new(None::<String>);
    view! {
        <div class="billing-runs" id="billing-runs">
            <h3>{move || t().runs_title}</h3>
            {move || match runs.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <BillingError error=e id="billing-runs-error"/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="muted" id="billing-runs-none">{move || t().runs_none}</p>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="billing-run-list">
                        {list.into_iter().map(|r| run_item(ctx, r, reverse, copied)).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}

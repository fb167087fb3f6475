//! The billing page: choose a month (the previous one by default) and customers, preview what
//! a billing run would do (totals, chart, Zammad-vs-Kimai, blockers with the page that fixes
//! each), bill it after a confirmation, and look back at or reverse earlier runs.
//!
//! The preview is kept in page-wide signals ([`Ctx`]) rather than a resource: it reads Kimai,
//! so it runs only when asked, and again whenever data changed (`shared.changed`: a sync, an
//! apply, a reverse) while a preview is shown — a fixed blocker disappears without a click.

mod apply;
mod chart;
mod recon;
mod runs;
mod table;
mod words;

use std::collections::BTreeSet;

use leptos::prelude::*;
use timebridge_types::billing::{BillingPreviewView, BillingQuery};
use timebridge_types::ApiError;
use timebridge_types::Named;

use crate::api;
use crate::components::{ErrorBox, PageHeader};
use crate::i18n::pages::billing::t;
use crate::state::{shared, Shared};

/// What the page's parts share.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    shared: Shared,
    /// `YYYY-MM` chosen.
    month: RwSignal<String>,
    /// Customers checked (empty = all).
    selected: RwSignal<BTreeSet<i64>>,
    /// The query of the preview shown (apply bills exactly this).
    query: RwSignal<Option<BillingQuery>>,
    /// The preview shown.
    preview: RwSignal<Option<Result<BillingPreviewView, ApiError>>>,
    /// A preview is being read.
    previewing: RwSignal<bool>,
    /// Counts preview requests so an older answer never replaces a newer one.
    generation: StoredValue<u64>,
    /// Kimai's customers (names for ids).
    customers: Signal<Vec<Named>>,
    /// A "Sync now" from a blocker is running.
    syncing: RwSignal<bool>,
}

impl Ctx {
    /// The query the inputs describe now.
    fn current_query(&self) -> BillingQuery {
        BillingQuery {
            month: Some(self.month.get()),
            customers: self.selected.get().into_iter().collect(),
        }
    }

    /// Reads the preview of `q` (nothing is written).
    fn load(self, q: BillingQuery) {
        self.query.set(Some(q.clone()));
        self.previewing.set(true);
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        leptos::task::spawn_local(async move {
            let result = api::billing_preview(&q).await;
            if self.generation.get_value() == generation {
                self.preview.set(Some(result));
                self.previewing.set(false);
            }
        });
    }

    /// The names of customer ids, or "all customers" for an empty scope.
    fn customer_names(&self, ids: &[i64]) -> String {
        if ids.is_empty() {
            return t().all_customers.to_string();
        }
        let known = self.customers.get();
        ids.iter()
            .map(|id| {
                known
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| format!("#{id}"))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Runs a sync (from a blocker's button); the preview follows through `shared.changed`.
    fn sync_now(self) {
        self.syncing.set(true);
        leptos::task::spawn_local(async move {
            let result = api::sync_now().await.map_err(|e| e.message);
            self.shared.last_result.set(Some(result));
            self.shared.progress.set(None);
            self.syncing.set(false);
            self.shared.bump();
        });
    }
}

/// An error from the core: a heading by its code in the window's language, then the core's
/// message and code.
#[component]
pub(super) fn BillingError(error: ApiError, id: &'static str) -> impl IntoView {
    let heading = error.clone();
    view! {
        <div class="billing-error">
            <p class="billing-error-heading">{move || words::error_heading(&heading)}</p>
            <ErrorBox error=error id=id/>
        </div>
    }
}

/// The billing page.
#[component]
pub(crate) fn BillingPage() -> impl IntoView {
    let shared = shared();
    let catalog = LocalResource::new(move || {
        shared.changed.get();
        api::kimai_catalog()
    });
    let customers = Signal::derive(move || {
        catalog
            .get()
            .and_then(|r| r.ok())
            .map(|c| c.customers)
            .unwrap_or_default()
    });
    let ctx = Ctx {
        shared,
        month: crate::memory::kept("billing.month", words::previous_month()),
        selected: RwSignal::new(BTreeSet::new()),
        query: RwSignal::new(None),
        preview: RwSignal::new(None),
        previewing: RwSignal::new(false),
        generation: StoredValue::new(0),
        customers,
        syncing: RwSignal::new(false),
    };
    let apply_state = apply::ApplyState::new();
    // Data changed (a sync, an apply, a reverse): read the preview shown again.
    Effect::new(move |_| {
        shared.changed.get();
        if let Some(q) = ctx.query.get_untracked() {
            ctx.load(q);
        }
    });
    let preview = move |_| {
        apply_state.reset();
        ctx.load(untrack(|| ctx.current_query()));
    };
    let stale = move || ctx.query.get().is_some_and(|q| q != ctx.current_query());

    view! {
        <section class="page billing" id="page-billing">
            <PageHeader title=Signal::derive(move || t().title)>
                {move || ctx.previewing.get().then(|| view! {
                    <span class="billing-busy muted">{move || t().previewing}</span>
                })}
            </PageHeader>
            <p class="muted billing-intro">{move || t().intro}</p>
            <div class="card billing-scope">
                <div class="billing-scope-month">
                    <label for="billing-month">{move || t().month}</label>
                    <input
                        type="month"
                        id="billing-month"
                        prop:value=move || ctx.month.get()
                        on:input=move |ev| ctx.month.set(event_target_value(&ev))
                    />
                </div>
                <div class="billing-scope-customers">
                    <label>{move || t().customers}</label>
                    <CustomerChecks ctx=ctx catalog_error=Signal::derive(move || {
                        catalog.get().is_some_and(|r| r.is_err())
                    })/>
                    <p class="muted billing-hint">{move || t().customers_hint}</p>
                </div>
                <div class="billing-scope-go">
                    <button
                        id="billing-preview-btn"
                        on:click=preview
                        disabled=move || ctx.previewing.get() || ctx.month.with(String::is_empty)
                    >
                        {move || if ctx.previewing.get() { t().previewing } else { t().preview_btn }}
                    </button>
                </div>
            </div>
            {move || stale().then(|| view! {
                <p class="warn-box" id="billing-stale">{move || t().preview_stale}</p>
            })}
            {move || match ctx.preview.get() {
                None => view! { <p class="notice">{move || t().preview_hint}</p> }.into_any(),
                Some(Err(e)) => view! { <BillingError error=e id="billing-preview-error"/> }.into_any(),
                Some(Ok(p)) => view! {
                    <table::Summary preview=p.clone()/>
                    <div class="billing-split">
                        <table::PreviewTable preview=p.clone()/>
                        <chart::HoursChart preview=p.clone()/>
                    </div>
                    <recon::Reconciliation preview=p.clone()/>
                    <div class="card billing-ledger">
                        <h3>{move || crate::i18n::pages::ledger::t().title}</h3>
                        <crate::pages::ledger::Ledger prefix="billing-ledger" rows=p.ledger.clone()/>
                    </div>
                    <recon::Blockers ctx=ctx preview=p/>
                }.into_any(),
            }}
            <apply::ApplyPanel ctx=ctx state=apply_state stale=Signal::derive(stale)/>
            <runs::Runs ctx=ctx/>
        </section>
    }
}

/// The customer checkboxes.
#[component]
fn CustomerChecks(ctx: Ctx, catalog_error: Signal<bool>) -> impl IntoView {
    move || {
        let list = ctx.customers.get();
        if list.is_empty() {
            let text = if catalog_error.get() {
                t().customers_unavailable
            } else {
                t().customers_loading
            };
            return view! { <p class="muted">{text}</p> }.into_any();
        }
        view! {
            <div class="billing-customer-list">
                {list.into_iter().map(|c| {
                    let id = c.id;
                    view! {
                        <label class="billing-customer">
                            <input
                                type="checkbox"
                                id=format!("billing-customer-{id}")
                                prop:checked=move || ctx.selected.with(|s| s.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    ctx.selected.update(|s| {
                                        if on { s.insert(id); } else { s.remove(&id); }
                                    });
                                }
                            />
                            <span>{c.name}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        }
        .into_any()
    }
}

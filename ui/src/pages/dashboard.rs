//! The dashboard: last and next sync, entries by state (each count opens the entries page
//! filtered to it), the month's hours per customer as a bar chart, and Zammad vs Kimai per
//! customer with every difference explained. The local half (sync, counts) always shows; the
//! month's totals come from Kimai and, when it cannot be read (offline), a notice says so
//! in their place (not an error: the local half is still right).
//! Refetched whenever `shared.changed` ticks (a sync from the tray or the schedule).

mod chart;
mod first_sync;
mod recon;
mod summary;

use crate::i18n::pages::ledger::t as ledger_t;
use leptos::prelude::*;
use timebridge_types::dashboard::{DashboardQuery, DashboardView};

use crate::api;
use crate::components::{ErrorBox, Loading, PageHeader};
use crate::i18n::fmt;
use crate::i18n::pages::dashboard::t;
use crate::state::shared;

/// The dashboard page.
#[component]
pub(crate) fn DashboardPage() -> impl IntoView {
    let shared = shared();
    // `None`: the core's current month (in the billing timezone).
    let month = crate::memory::kept("dashboard.month", None::<String>);
    let data = LocalResource::new(move || {
        let m = month.get();
        shared.changed.get();
        async move { api::dashboard(&DashboardQuery { month: m }).await }
    });
    let shown = Memo::new(move |_| {
        month
            .get()
            .or_else(|| data.get().and_then(Result::ok).map(|d| d.month))
            .unwrap_or_default()
    });
    let title = Signal::derive(move || t().title);
    view! {
        <section class="page dashboard-page" id="page-dashboard">
            <PageHeader title=title>
                <MonthPicker month=month shown=shown/>
            </PageHeader>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e id="dash-error"/> }.into_any(),
                Some(Ok(d)) => view! { <Body view=d/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Body(view: DashboardView) -> impl IntoView {
    let DashboardView {
        month,
        schedule,
        counts,
        hours_by_customer,
        reconciliation,
        ledger,
        oldest_open_month,
        totals_unavailable,
        first_sync,
    } = view;
    let month_ledger = month.clone();
    let month_title = month.clone();
    view! {
        <first_sync::FirstSyncCards waiting=first_sync/>
        <summary::SyncCards schedule=schedule/>
        <summary::StateCards counts=counts/>
        {oldest_open_month.map(|m| {
            let value = m.clone();
            view! {
                <p class="muted small" id="dash-oldest-month" data-value=value>
                    {move || t().oldest_open.replace("{month}", &fmt::month(&m))}
                </p>
            }
        })}
        {match totals_unavailable {
            Some(reason) => view! {
                <div class="notice dash-unavailable" id="dash-totals-unavailable">
                    <p>{move || t().totals_unavailable}</p>
                    <p class="small muted">{move || t().reason} ": " {reason}</p>
                </div>
            }
            .into_any(),
            None => view! {
                <div class="card">
                    <h3>{move || t().hours_title} " · " {move || fmt::month(&month_title)}</h3>
                    <chart::HoursChart hours=hours_by_customer/>
                </div>
                <div class="card">
                    <h3>{move || t().recon_title} " · " {move || fmt::month(&month)}</h3>
                    <p class="muted small">{move || t().recon_hint}</p>
                    <recon::Reconciliation rows=reconciliation/>
                </div>
                <div class="card">
                    <h3>{move || ledger_t().title} " · " {move || fmt::month(&month_ledger)}</h3>
                    <crate::pages::ledger::Ledger prefix="dash-ledger" rows=ledger/>
                </div>
            }
            .into_any(),
        }}
    }
}

/// `YYYY-MM` moved by `delta` months; `None` for anything else.
fn shift(month: &str, delta: i32) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let index = y.parse::<i32>().ok()? * 12 + m.parse::<i32>().ok()? - 1 + delta;
    Some(format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    ))
}

/// ‹ [month] › in the header.
#[component]
fn MonthPicker(month: RwSignal<Option<String>>, shown: Memo<String>) -> impl IntoView {
    let step = move |delta: i32| {
        if let Some(m) = shift(&shown.get_untracked(), delta) {
            month.set(Some(m));
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if shift(&value, 0).as_deref() == Some(value.as_str()) {
            month.set(Some(value));
        }
    };
    view! {
        <div class="month-picker">
            <button class="secondary" id="dash-month-prev" title=move || t().prev_month
                aria-label=move || t().prev_month on:click=move |_| step(-1)>"‹"</button>
            <label class="sr-only" for="dash-month">{move || t().month}</label>
            <input type="month" id="dash-month" prop:value=move || shown.get()
                on:change=on_pick on:input=on_pick/>
            <button class="secondary" id="dash-month-next" title=move || t().next_month
                aria-label=move || t().next_month on:click=move |_| step(1)>"›"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::shift;

    #[test]
    fn months_shift_across_years() {
        assert_eq!(shift("2026-01", -1).as_deref(), Some("2025-12"));
        assert_eq!(shift("2026-12", 1).as_deref(), Some("2027-01"));
        assert_eq!(shift("2026-03", 0).as_deref(), Some("2026-03"));
        assert_eq!(shift("2026-3", 0).as_deref(), Some("2026-03"));
        assert_eq!(shift("march", 1), None);
    }
}

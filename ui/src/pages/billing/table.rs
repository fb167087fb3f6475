//! The preview's numbers: the summary cards (to bill, already billed, whether the month
//! closes) and the table per customer, each customer's projects shown on demand. Raw values
//! go into `data-*` attributes for the end-to-end tests; the text is formatted per language.

use std::collections::BTreeSet;

use leptos::prelude::*;
use timebridge_types::billing::{BillingPreviewView, TotalsView};

use super::words::{self, fill};
use crate::i18n::fmt;
use crate::i18n::pages::billing::t;

/// The summary cards.
#[component]
pub(super) fn Summary(preview: BillingPreviewView) -> impl IntoView {
    let p = preview;
    let month = p.month.clone();
    let closes = p.closes_month;
    let hours = p.total.hours.clone();
    let (entries, billable) = (p.total.entries, p.total.billable_hours.clone());
    let amount = p.total.amount.clone();
    view! {
        <div class="cards billing-cards">
            <div class="stat billing-stat-to-bill">
                <div class="value" id="billing-to-bill" data-value=p.to_bill>{p.to_bill}</div>
                <div class="label">{move || t().stat_to_bill}</div>
            </div>
            <div class="stat">
                <div class="value" id="billing-already-billed" data-value=p.already_billed>
                    {p.already_billed}
                </div>
                <div class="label">{move || t().stat_already}</div>
            </div>
            <div class="stat">
                <div class="value" id="billing-total-hours" data-value=hours.clone()>
                    {words::dec(&hours)}
                </div>
                <div class="label">{move || t().stat_hours}</div>
            </div>
            <div class="stat">
                <div class="value" id="billing-entries" data-value=entries>{entries}</div>
                <div class="label">{move || t().stat_entries}</div>
            </div>
            <div class="stat">
                <div class="value" id="billing-billable-hours" data-value=billable.clone()>
                    {words::dec(&billable)}
                </div>
                <div class="label">{move || t().stat_billable}</div>
            </div>
            {amount.map(|a| view! {
                <div class="stat">
                    <div class="value" id="billing-amount" data-value=a.clone()>{words::dec(&a)}</div>
                    <div class="label">{move || t().stat_amount}</div>
                </div>
            })}
            <div class="stat">
                <div class="value" id="billing-closes-month" data-value=closes.to_string()>
                    {move || if closes { t().yes } else { t().no }}
                </div>
                <div class="label">{move || t().stat_closes}</div>
            </div>
        </div>
        <p class="billing-closes muted">
            {move || {
                let template = if closes { t().closes_yes } else { t().closes_no };
                fill(template, &[("month", fmt::month(&month))])
            }}
        </p>
    }
}

fn amount_cell(totals: TotalsView) -> impl IntoView {
    match totals.amount {
        Some(a) => view! { <td class="num" data-value=a.clone()>{words::dec(&a)}</td> }.into_any(),
        None => view! { <td class="num muted" title=move || t().no_rates>"—"</td> }.into_any(),
    }
}

/// Entries, hours, billable hours (and the amount) of one row.
fn number_cells(totals: TotalsView, with_amount: bool) -> impl IntoView {
    let (h, b, n) = (
        totals.hours.clone(),
        totals.billable_hours.clone(),
        totals.entries,
    );
    view! {
        <td class="num">{n}</td>
        <td class="num" data-value=h.clone()>{words::dec(&h)}</td>
        <td class="num" data-value=b.clone()>{words::dec(&b)}</td>
        {with_amount.then(move || amount_cell(totals))}
    }
}

/// The table per customer and project.
#[component]
pub(super) fn PreviewTable(preview: BillingPreviewView) -> impl IntoView {
    let expanded = RwSignal::new(BTreeSet::<i64>::new());
    let p = preview;
    // Rates are visible when Kimai showed any amount; otherwise the column would be all dashes.
    let with_amount =
        p.total.amount.is_some() || p.by_customer.iter().any(|c| c.totals.amount.is_some());
    if p.by_customer.is_empty() {
        return view! {
            <div class="card billing-table-card">
                <p class="muted" id="billing-empty">{move || t().nothing_in_month}</p>
                <table id="billing-preview" class="billing-preview"></table>
            </div>
        }
        .into_any();
    }
    let rows = p
        .by_customer
        .iter()
        .map(|c| {
            let id = c.customer_id;
            let is_open = move || expanded.with(|e| e.contains(&id));
            let toggle = move |_| {
                expanded.update(|e| {
                    if !e.remove(&id) {
                        e.insert(id);
                    }
                })
            };
            let projects = c.projects.clone();
            view! {
                <tr
                    class="billing-customer-row"
                    class:open=is_open
                    id=format!("billing-row-{id}")
                    data-hours=c.totals.hours.clone()
                    data-entries=c.totals.entries
                >
                    <td>
                        <button
                            class="link billing-toggle"
                            id=format!("billing-expand-{id}")
                            aria-expanded=move || is_open().to_string()
                            title=move || if is_open() { t().collapse } else { t().expand }
                            on:click=toggle
                        >
                            <span class="billing-caret">{move || if is_open() { "▾" } else { "▸" }}</span>
                            {c.customer.clone()}
                        </button>
                    </td>
                    {number_cells(c.totals.clone(), with_amount)}
                </tr>
                {move || is_open().then(|| projects.iter().map(|pr| view! {
                    <tr
                        class="billing-project-row"
                        id=format!("billing-project-{id}-{}", pr.project_id)
                        data-hours=pr.totals.hours.clone()
                    >
                        <td class="billing-project-name">{pr.project.clone()}</td>
                        {number_cells(pr.totals.clone(), with_amount)}
                    </tr>
                }).collect_view())}
            }
        })
        .collect_view();
    let total = p.total.clone();
    let (total_hours, total_entries) = (total.hours.clone(), total.entries);
    view! {
        <div class="card billing-table-card">
            <table id="billing-preview" class="billing-preview">
                <thead>
                    <tr>
                        <th>{move || t().col_customer}</th>
                        <th class="num">{move || t().col_entries}</th>
                        <th class="num">{move || t().col_hours}</th>
                        <th class="num">{move || t().col_billable}</th>
                        {with_amount.then(|| view! { <th class="num">{move || t().col_amount}</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr
                        class="billing-total-row"
                        id="billing-total"
                        data-hours=total_hours
                        data-entries=total_entries
                    >
                        <td>{move || t().total}</td>
                        {number_cells(total, with_amount)}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
    .into_any()
}

//! Zammad against Kimai per customer, every difference in words, and the blockers — each
//! with the one button that leads to its fix (a page, a sync, or a fresh look after fixing it
//! in Kimai).

use leptos::prelude::*;
use timebridge_types::billing::{BillingPreviewView, BlockerView};

use super::words::{self, Fix};
use super::Ctx;
use crate::i18n::fmt;
use crate::i18n::pages::billing::t;
use crate::state::Page;

/// Zero in the core's decimal strings (`"0"`, `"0.00"`, `"-0"`).
fn is_zero(value: &str) -> bool {
    value
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
}

/// The reconciliation table.
#[component]
pub(super) fn Reconciliation(preview: BillingPreviewView) -> impl IntoView {
    let empty = preview.reconciliation.is_empty();
    let rows = preview
        .reconciliation
        .into_iter()
        .map(|r| {
            let id = r.customer_id;
            let agree = is_zero(&r.difference_hours) && r.differences.is_empty();
            let (z, k, o, d) = (
                r.zammad_hours.clone(),
                r.kimai_hours.clone(),
                r.kimai_other_hours.clone(),
                r.difference_hours.clone(),
            );
            let diffs = r
                .differences
                .into_iter()
                .enumerate()
                .map(|(i, diff)| {
                    let delta = diff.delta_seconds;
                    let kind = diff.kind.clone();
                    view! {
                        <li id=format!("billing-diff-{id}-{i}") data-kind=kind>
                            {move || words::difference(&diff)}
                            {(delta != 0).then(|| view! {
                                <span class="billing-delta" data-value=delta>
                                    {move || format!(" ({}{} h)", if delta > 0 { "+" } else { "" }, fmt::hours(delta))}
                                </span>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr id=format!("billing-recon-{id}") class:billing-recon-ok=agree>
                    <td>{r.customer}</td>
                    <td class="num" id=format!("billing-recon-zammad-{id}") data-value=z.clone()>{words::dec(&z)}</td>
                    <td class="num" id=format!("billing-recon-kimai-{id}") data-value=k.clone()>{words::dec(&k)}</td>
                    <td class="num muted" data-value=o.clone()>{words::dec(&o)}</td>
                    <td class="num" id=format!("billing-recon-diff-{id}") data-value=d.clone()>
                        <span class=if agree { "pill ok" } else { "pill warn" }>{words::dec(&d)}</span>
                    </td>
                </tr>
                <tr class="billing-recon-detail">
                    <td colspan="5">
                        {if agree {
                            view! { <span class="muted">{move || t().recon_agree}</span> }.into_any()
                        } else {
                            view! { <ul class="billing-diffs">{diffs}</ul> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="card billing-recon" id="billing-recon">
            <h3>{move || t().recon_title}</h3>
            <p class="muted">{move || t().recon_intro}</p>
            <table>
                <thead>
                    <tr>
                        <th>{move || t().col_customer}</th>
                        <th class="num">{move || t().recon_zammad}</th>
                        <th class="num">{move || t().recon_kimai}</th>
                        <th class="num">{move || t().recon_other}</th>
                        <th class="num">{move || t().recon_diff}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {empty.then(|| view! { <p class="muted">{move || t().recon_none}</p> })}
        </div>
    }
}

/// The fix button of one blocker.
fn fix_button(ctx: Ctx, b: &BlockerView, i: usize) -> impl IntoView {
    let fix = words::fix_of(b);
    let id = format!("billing-blocker-fix-{i}");
    let go = move |page: Page| move |_| ctx.shared.go(page);
    match fix {
        Fix::Conflicts => view! {
            <button class="secondary" id=id data-fix="conflicts" on:click=go(Page::Conflicts)>
                {move || t().fix_conflicts}
            </button>
        }
        .into_any(),
        Fix::Mappings => view! {
            <button class="secondary" id=id data-fix="mappings" on:click=go(Page::Mappings)>
                {move || t().fix_mappings}
            </button>
        }
        .into_any(),
        Fix::Entries => view! {
            <button class="secondary" id=id data-fix="entries" on:click=go(Page::Entries)>
                {move || t().fix_entries}
            </button>
        }
        .into_any(),
        Fix::Sync => {
            let busy = move || ctx.syncing.get() || ctx.shared.progress.get().is_some();
            view! {
                <button class="secondary" id=id data-fix="sync" disabled=busy on:click=move |_| ctx.sync_now()>
                    {move || if busy() { t().fix_syncing } else { t().fix_sync }}
                </button>
            }
            .into_any()
        }
        Fix::Recheck => view! {
            <button
                class="secondary"
                id=id
                data-fix="recheck"
                disabled=move || ctx.previewing.get()
                on:click=move |_| {
                    if let Some(q) = ctx.query.get_untracked() {
                        ctx.load(q);
                    }
                }
            >
                {move || t().fix_recheck}
            </button>
        }
        .into_any(),
    }
}

/// The blockers list.
#[component]
pub(super) fn Blockers(ctx: Ctx, preview: BillingPreviewView) -> impl IntoView {
    if preview.blockers.is_empty() {
        return view! {
            <div class="ok-box" id="billing-blockers" data-count="0">{move || t().blockers_none}</div>
        }
        .into_any();
    }
    let count = preview.blockers.len();
    let items = preview
        .blockers
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let button = fix_button(ctx, &b, i);
            let kind = b.kind.clone();
            view! {
                <li class="billing-blocker" id=format!("billing-blocker-{i}") data-kind=kind>
                    <span class="billing-blocker-text">{move || words::blocker(&b)}</span>
                    {button}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="card billing-blockers-card">
            <h3>{move || t().blockers_title}</h3>
            <ul class="billing-blockers" id="billing-blockers" data-count=count>{items}</ul>
        </div>
    }
    .into_any()
}

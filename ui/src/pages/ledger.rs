//! The month's ledger: per customer and project, Zammad's exact time against what is in Kimai
//! and every part that is not, each part with its entries (refused and parked ones with their
//! code). Shared by the dashboard and the billing page; `prefix` keeps their element ids apart.

use leptos::prelude::*;
use timebridge_types::dashboard::{LedgerPartView, LedgerRowView};

use crate::i18n::fmt;
use crate::i18n::pages::ledger::{t, Ledger as Texts};

fn part_words(tx: &Texts, p: &LedgerPartView) -> String {
    let kind = match p.kind.as_str() {
        "booked" => tx.p_booked,
        "changed_in_kimai" => tx.p_changed_in_kimai,
        "waiting" => tx.p_waiting,
        "not_in_month" => tx.p_not_in_month,
        "refused" => tx.p_refused,
        "parked" => tx.p_parked,
        "held" => tx.p_held,
        "conflict" => tx.p_conflict,
        "rounding" => tx.p_rounding,
        other => return other.to_string(),
    };
    match &p.reason {
        Some(code) => format!("{kind} ({code})"),
        None => kind.to_string(),
    }
}

fn sum(row: &LedgerRowView, kinds: &[&str]) -> i64 {
    row.parts
        .iter()
        .filter(|p| kinds.contains(&p.kind.as_str()))
        .map(|p| p.millis)
        .sum()
}

fn row_view(prefix: &'static str, row: LedgerRowView) -> impl IntoView {
    let id = row
        .project_id
        .map_or_else(|| "unmapped".to_string(), |p| p.to_string());
    let name = match (&row.customer, &row.project) {
        (Some(c), Some(p)) => Some(format!("{c} / {p}")),
        (None, Some(p)) => Some(p.clone()),
        _ => None,
    };
    let booked = sum(&row, &["booked", "changed_in_kimai"]);
    let rounding = sum(&row, &["rounding"]);
    let parts_sum: i64 = row.parts.iter().map(|p| p.millis).sum();
    let missing = row.missing_millis;
    let parts = row
        .parts
        .iter()
        .filter(|p| p.kind != "booked")
        .enumerate()
        .map(|(i, p)| {
            let p = p.clone();
            let words = {
                let p = p.clone();
                move || part_words(t(), &p)
            };
            let entries = p
                .entries
                .iter()
                .map(|e| {
                    view! {
                        <li data-entry=e.key.label()>
                            {e.key.label()} " · " {e.ticket.clone()} " · " {e.day.clone()} " · "
                            {fmt::clock(e.millis)}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li
                    id=format!("{prefix}-part-{id}-{i}")
                    data-kind=p.kind.clone()
                    data-reason=p.reason.clone().unwrap_or_default()
                    data-millis=p.millis
                    class:ledger-missing=p.missing
                >
                    <strong>{words}</strong> " " {fmt::clock(p.millis)}
                    <ul class="ledger-entries">{entries}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <tr
            id=format!("{prefix}-row-{id}")
            data-zammad=row.zammad_millis
            data-parts=parts_sum
            data-missing=missing
        >
            <td>{move || name.clone().unwrap_or_else(|| t().unmapped.to_string())}</td>
            <td class="num">{fmt::clock(row.zammad_millis)}</td>
            <td class="num">{fmt::clock(booked)}</td>
            <td class="num" id=format!("{prefix}-missing-{id}")>
                <span class=if missing == 0 { "pill ok" } else { "pill warn" }>{fmt::clock(missing)}</span>
            </td>
            <td class="num muted">{fmt::clock(rounding)}</td>
            <td class="num muted">{fmt::clock(row.kimai_only_millis)}</td>
        </tr>
        <tr class="ledger-detail">
            <td colspan="6">
                {if row.parts.iter().all(|p| p.kind == "booked") {
                    view! { <span class="muted">{move || t().all_booked}</span> }.into_any()
                } else {
                    view! { <details><summary>{move || t().show_parts}</summary><ul class="ledger-parts">{parts}</ul></details> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// The ledger table of a month.
#[component]
pub(crate) fn Ledger(prefix: &'static str, rows: Vec<LedgerRowView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" id=format!("{prefix}-empty")>{move || t().none}</p> }
            .into_any();
    }
    let missing: i64 = rows.iter().map(|r| r.missing_millis).sum();
    let body = rows.into_iter().map(|r| row_view(prefix, r)).collect_view();
    view! {
        <p class="muted small">{move || t().intro}</p>
        <table class="ledger" id=prefix data-missing=missing>
            <thead>
                <tr>
                    <th>{move || t().col_project}</th>
                    <th class="num">{move || t().col_zammad}</th>
                    <th class="num">{move || t().col_booked}</th>
                    <th class="num">{move || t().col_missing}</th>
                    <th class="num">{move || t().col_rounding}</th>
                    <th class="num">{move || t().col_other}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

//! Zammad vs Kimai per customer for the month: both totals, what Kimai holds that did not
//! come from Zammad, the difference, and below each customer every entry that explains it
//! (by the core's difference kind, in plain words; the core's explanation for kinds this UI
//! does not know).

use leptos::prelude::*;
use timebridge_types::dashboard::{DifferenceView, ReconciliationView};

use crate::i18n::pages::dashboard::{t, Dashboard};
use crate::i18n::{common, fmt};

fn is_zero(hours: &str) -> bool {
    hours
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
}

fn field_word(tx: &Dashboard, field: &str) -> String {
    match field {
        "begin" => tx.f_begin,
        "end" => tx.f_end,
        "project" => tx.f_project,
        "activity" => tx.f_activity,
        "description" => tx.f_description,
        "tags" => tx.f_tags,
        other => return other.to_string(),
    }
    .to_string()
}

/// The difference in words: its kind, and for `differs` the fields.
fn kind_words(tx: &Dashboard, d: &DifferenceView) -> String {
    let kind = match d.kind.as_str() {
        "missing_in_kimai" => tx.d_missing_in_kimai,
        "differs" => tx.d_differs,
        "accepted_deletion" => tx.d_accepted_deletion,
        _ => return d.explanation.clone(),
    };
    if d.kind == "differs" && !d.fields.is_empty() {
        let fields: Vec<String> = d.fields.iter().map(|f| field_word(tx, f)).collect();
        format!("{kind} ({} {})", tx.d_fields, fields.join(", "))
    } else {
        kind.to_string()
    }
}

/// The table.
#[component]
pub(super) fn Reconciliation(rows: Vec<ReconciliationView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" id="dash-recon-empty">{move || t().no_recon}</p> }
            .into_any();
    }
    let body = rows.into_iter().map(row).collect_view();
    view! {
        <table class="dash-recon" id="dash-recon">
            <thead>
                <tr>
                    <th>{move || t().col_customer}</th>
                    <th class="num">{move || t().col_zammad}</th>
                    <th class="num">{move || t().col_kimai}</th>
                    <th class="num">{move || t().col_difference}</th>
                    <th class="num">{move || t().col_other}</th>
                </tr>
            </thead>
            {body}
        </table>
    }
    .into_any()
}

fn hours_cell(id: String, hours: String, class: &'static str) -> impl IntoView {
    let shown = hours.clone();
    view! {
        <td class=format!("num {class}") id=id data-value=hours>
            {move || format!("{} {}", fmt::decimal(&shown), common::t().hours_unit)}
        </td>
    }
}

fn row(r: ReconciliationView) -> impl IntoView {
    let id = r.customer_id;
    let agree = is_zero(&r.difference_hours);
    let diff_class = if agree { "agree" } else { "diff" };
    let has_differences = !r.differences.is_empty();
    let differences = r
        .differences
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let delta = d.delta_seconds;
            let label = d.entry.clone();
            let ts = d.timesheet_id;
            let explanation = d.explanation.clone();
            let kind = d.kind.clone();
            view! {
                <li id=format!("dash-diff-{id}-{i}") data-kind=kind title=explanation>
                    <span class="diff-kind">{move || kind_words(t(), &d)}</span>
                    " " <code>{label}</code>
                    {ts.map(|n| view! { " · " <span class="muted">{move || t().timesheet} " #" {n}</span> })}
                    " " <span class="diff-delta num" data-value=delta.to_string()>
                        {move || format!("{}{} {}", if delta > 0 { "+" } else { "" }, fmt::hours(delta), common::t().hours_unit)}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <tbody class="recon-group">
            <tr id=format!("dash-recon-{id}") class=if agree { "" } else { "has-diff" }>
                <td>{r.customer.clone()}</td>
                {hours_cell(format!("dash-recon-zammad-{id}"), r.zammad_hours.clone(), "")}
                {hours_cell(format!("dash-recon-kimai-{id}"), r.kimai_hours.clone(), "")}
                {hours_cell(format!("dash-recon-diff-{id}"), r.difference_hours.clone(), diff_class)}
                {hours_cell(format!("dash-recon-other-{id}"), r.kimai_other_hours.clone(), "muted")}
            </tr>
            {has_differences.then(|| view! {
                <tr class="recon-differences">
                    <td colspan="5"><ul class="diff-list">{differences}</ul></td>
                </tr>
            })}
        </tbody>
    }
}

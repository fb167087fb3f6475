//! What one run wrote: one row per audit event, the action and where (entry, timesheet,
//! ticket), and the fields before → after with the changed ones highlighted.

use leptos::prelude::*;
use timebridge_types::history::AuditView;
use timebridge_types::FieldsView;

use super::words;
use crate::api;
use crate::components::{ErrorBox, Loading};
use crate::i18n::fmt;
use crate::i18n::pages::history::t;

/// The audit of run `id`.
#[component]
pub(super) fn Audit(id: i64) -> impl IntoView {
    let rows = LocalResource::new(move || api::run_audit(id));
    view! {
        <section class="card run-audit" id="run-audit" data-run=id.to_string()>
            <h3>{move || t().audit_title.replace("{}", &format!("#{id}"))}</h3>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e id="run-audit-error"/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! {
                        <p class="muted" id="run-audit-empty">{move || t().audit_none}</p>
                    }.into_any(),
                    Ok(rows) => view! {
                        <table class="audit-table">
                            <thead><tr>
                                <th>{move || t().col_action}</th>
                                <th>{move || t().col_where}</th>
                                <th>{move || t().col_change}</th>
                            </tr></thead>
                            <tbody>{rows.into_iter().map(|a| view! { <Row a=a/> }).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Row(a: AuditView) -> impl IntoView {
    let action = a.action.clone();
    let actor = a.actor.clone();
    let at = a.at.clone();
    view! {
        <tr id=format!("audit-{}", a.id) data-action=a.action.clone()>
            <td class="what">
                <span class="action">{move || words::action(&action)}</span>
                <span class="muted small">{move || fmt::instant(&at)} " · " {move || words::actor(&actor)}</span>
            </td>
            <td class="where">
                <span class="key">{a.key.label()}</span>
                {a.timesheet_id.map(|id| view! { <span class="muted small">{move || t().timesheet} " #" {id}</span> })}
                {a.ticket_id.map(|id| view! { <span class="muted small">{move || t().ticket} " #" {id}</span> })}
            </td>
            <td class="change"><Change before=a.before.clone() after=a.after.clone()/></td>
        </tr>
    }
}

/// A field's name in the current language.
type Label = fn() -> &'static str;
/// A field's value as shown.
type Shown = fn(&FieldsView) -> String;

/// Before → after, field by field; for an update only the fields that changed.
#[component]
fn Change(before: Option<FieldsView>, after: Option<FieldsView>) -> impl IntoView {
    let fields: [(Label, Shown); 7] = [
        (|| t().f_begin, |f| fmt::wall(&f.begin)),
        (|| t().f_end, |f| fmt::wall(&f.end)),
        (|| t().f_duration, |f| fmt::duration(f.duration_seconds)),
        (|| t().f_project, |f| f.project.name.clone()),
        (|| t().f_activity, |f| f.activity.name.clone()),
        (|| t().f_description, |f| f.description.clone()),
        (|| t().f_tags, |f| f.tags.join(", ")),
    ];
    let both = before.is_some() && after.is_some();
    let rows = fields
        .into_iter()
        .filter_map(|(label, get)| {
            let b = before.as_ref().map(get);
            let a = after.as_ref().map(get);
            if both && a == b {
                return None;
            }
            let dash = || "—".to_string();
            Some(view! {
                <div class="field-change">
                    <span class="label">{move || label()}</span>
                    <span class="before" class:gone=b.is_none()>{b.clone().unwrap_or_else(dash)}</span>
                    <span class="arrow">"→"</span>
                    <span class="after" class:diff=both>{a.clone().unwrap_or_else(dash)}</span>
                </div>
            })
        })
        .collect_view();
    view! { <div class="changes">{rows}</div> }
}

//! The selected conflict: Zammad's wish, Kimai's record and the last synced base side by
//! side, the fields where Zammad and Kimai differ highlighted, the reason in plain words and
//! the decisions its kind allows.

use leptos::prelude::*;
use timebridge_types::conflicts::{ConflictView, Decision, DecisionKind};
use timebridge_types::{Field, FieldsView};

use super::edit::EditForm;
use super::{words, Ctx};
use crate::i18n::fmt;
use crate::i18n::pages::conflicts::t;

/// The detail panel of `c`.
#[component]
pub(super) fn Detail(c: ConflictView, ctx: Ctx) -> impl IntoView {
    let differing = c.differing.clone();
    let chosen = c.decided.as_ref().map(words::kind_of);
    let key = c.key.clone();
    let buttons = c
        .choices
        .iter()
        .copied()
        .map(|kind| {
            let key = key.clone();
            let click = move |_| match kind {
                DecisionKind::Edit => ctx.editing.update(|e| *e = !*e),
                kind => ctx.decide(vec![key.clone()], simple(kind)),
            };
            let class = match kind {
                DecisionKind::TakeZammad | DecisionKind::Recreate => "primary",
                DecisionKind::AcceptDeletion => "danger",
                _ => "secondary",
            };
            view! {
                <button
                    id=format!("conflict-{}", words::code(kind).replace('_', "-"))
                    class=class
                    class:chosen=chosen == Some(kind)
                    disabled=move || ctx.busy.get()
                    on:click=click
                >
                    {move || words::choice(kind)}
                </button>
            }
        })
        .collect_view();
    let kind = c.kind.clone();
    let fallback = c.reason.clone();
    let detected = c.detected_at.clone();
    let timesheet = c.timesheet_id;
    let edit_conflict = c.clone();
    view! {
        <section class="card conflict-detail" id="conflict-detail" data-kind=c.kind.clone()>
            <header class="detail-head">
                <h3>{c.key.label()} " · " {move || words::kind(&kind)}</h3>
                <p class="meta">
                    {timesheet.map(|id| view! { <span>{move || t().timesheet} " #" {id}</span> })}
                    <span>{move || t().detected} ": " {move || fmt::instant(&detected)}</span>
                </p>
            </header>
            <p class="reason">{
                let kind = c.kind.clone();
                move || words::reason(&kind, &fallback)
            }</p>
            <div class="sides">
                <Side id="conflict-zammad" title=|| t().side_zammad fields=c.zammad.clone()
                    absent=|| t().gone_zammad differing=differing.clone()/>
                <Side id="conflict-kimai" title=|| t().side_kimai fields=c.kimai.clone()
                    absent=|| t().gone_kimai differing=differing.clone()/>
                <Side id="conflict-base" title=|| t().side_base fields=c.base.clone()
                    absent=|| t().never_synced differing=Vec::new()/>
            </div>
            {(!c.differing.is_empty()).then(|| view! {
                <p class="hint"><span class="diff swatch"></span>{move || t().differs_hint}</p>
            })}
            <div class="choices">
                <span class="label">{move || t().choose} ":"</span>
                {buttons}
            </div>
            {move || ctx.editing.get().then(|| view! { <EditForm c=edit_conflict.clone() ctx=ctx/> })}
        </section>
    }
}

/// A decision without fields.
pub(super) fn simple(kind: DecisionKind) -> Decision {
    match kind {
        DecisionKind::TakeZammad => Decision::TakeZammad,
        DecisionKind::KeepKimai => Decision::KeepKimai,
        DecisionKind::Recreate => Decision::Recreate,
        DecisionKind::AcceptDeletion => Decision::AcceptDeletion,
        DecisionKind::Ignore | DecisionKind::Edit => Decision::Ignore,
    }
}

/// One side as a list of fields; `differing` fields carry the class `diff`.
#[component]
fn Side(
    id: &'static str,
    title: fn() -> &'static str,
    fields: Option<FieldsView>,
    absent: fn() -> &'static str,
    differing: Vec<Field>,
) -> impl IntoView {
    let body = match fields {
        None => view! { <p class="absent">{move || absent()}</p> }.into_any(),
        Some(f) => {
            let d = |field: Field| differing.contains(&field);
            let span = d(Field::Begin) || d(Field::End);
            let tags = if f.tags.is_empty() {
                "—".to_string()
            } else {
                f.tags.join(", ")
            };
            let (begin, end) = (f.begin.clone(), f.end.clone());
            view! {
                {f.unknown.then(|| view! { <p class="unknown">{move || t().base_unknown}</p> })}
                <dl class="fields">
                    <dt>{move || t().f_begin}</dt>
                    <dd class:diff=d(Field::Begin) data-field="begin" data-value=f.begin.clone()>
                        {move || fmt::wall(&begin)}
                    </dd>
                    <dt>{move || t().f_end}</dt>
                    <dd class:diff=d(Field::End) data-field="end" data-value=f.end.clone()>
                        {move || fmt::wall(&end)}
                    </dd>
                    <dt>{move || t().f_duration}</dt>
                    <dd class:diff=span data-field="duration" data-value=f.duration_seconds>
                        {fmt::duration(f.duration_seconds)}
                    </dd>
                    <dt>{move || t().f_project}</dt>
                    <dd class:diff=d(Field::Project) data-field="project" data-value=f.project.id>
                        {f.project.name.clone()}
                    </dd>
                    <dt>{move || t().f_activity}</dt>
                    <dd class:diff=d(Field::Activity) data-field="activity" data-value=f.activity.id>
                        {f.activity.name.clone()}
                    </dd>
                    <dt>{move || t().f_description}</dt>
                    <dd class:diff=d(Field::Description) data-field="description" class="text">
                        {f.description.clone()}
                    </dd>
                    <dt>{move || t().f_tags}</dt>
                    <dd class:diff=d(Field::Tags) data-field="tags">{tags}</dd>
                </dl>
            }
            .into_any()
        }
    };
    view! {
        <div class="side" id=id>
            <h4>{move || title()}</h4>
            {body}
        </div>
    }
}

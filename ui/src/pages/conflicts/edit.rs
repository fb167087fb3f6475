//! "Edit, then apply": a form prefilled with Zammad's version. Projects and activities come
//! from Kimai's catalog when it can be read; offline the current project and activity stay
//! and only times and description are edited. The core checks the edit (`validation`).
//!
//! What is typed is kept as a draft in the core's view memory, so closing the window to the
//! tray (which destroys the page) loses nothing: the reopened form starts from the draft.

use leptos::prelude::*;
use timebridge_types::conflicts::{ConflictView, Decision};
use timebridge_types::setup::KimaiCatalogView;
use timebridge_types::EntryKey;

use super::{words, Ctx};
use crate::api;
use crate::i18n::common;
use crate::i18n::pages::conflicts::t;
use crate::memory;

/// The view-memory key of the unfinished edit.
pub(super) const DRAFT_KEY: &str = "conflicts.draft";

/// An unfinished edit of one conflict.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Draft {
    key: EntryKey,
    begin: String,
    end: String,
    description: String,
    project: i64,
    activity: i64,
}

/// `YYYY-MM-DDTHH:MM` for a `datetime-local` input.
fn minutes(wall: &str) -> String {
    wall.chars().take(16).collect()
}

/// The form for `c` (which has a Zammad version: the core offers edit only then).
#[component]
pub(super) fn EditForm(c: ConflictView, ctx: Ctx) -> impl IntoView {
    let Some(z) = c.zammad.clone().or(c.kimai.clone()) else {
        return ().into_any();
    };
    let draft = memory::get::<Draft>(DRAFT_KEY)
        .filter(|d| d.key == c.key)
        .unwrap_or_else(|| Draft {
            key: c.key.clone(),
            begin: minutes(&z.begin),
            end: minutes(&z.end),
            description: z.description.clone(),
            project: z.project.id,
            activity: z.activity.id,
        });
    let begin = RwSignal::new(draft.begin);
    let end = RwSignal::new(draft.end);
    let description = RwSignal::new(draft.description);
    let project = RwSignal::new(draft.project);
    let activity = RwSignal::new(draft.activity);
    let draft_key = c.key.clone();
    Effect::new(move |first: Option<()>| {
        let now = Draft {
            key: draft_key.clone(),
            begin: begin.get(),
            end: end.get(),
            description: description.get(),
            project: project.get(),
            activity: activity.get(),
        };
        if first.is_some() {
            memory::keep(DRAFT_KEY, Some(&now));
        }
    });
    let catalog = LocalResource::new(api::kimai_catalog);
    let known = move || catalog.get().and_then(Result::ok);
    let (current_project, current_activity) = (z.project.clone(), z.activity.clone());
    let projects = move || {
        match known() {
        Some(cat) => cat
            .projects
            .iter()
            .map(|p| {
                let id = p.id;
                view! { <option value=id.to_string() selected=move || project.get() == id>{p.name.clone()}</option> }
            })
            .collect_view()
            .into_any(),
        None => view! { <option value=current_project.id.to_string() selected>{current_project.name.clone()}</option> }
            .into_any(),
    }
    };
    let activities = move || {
        match known() {
        Some(cat) => activities_of(&cat, project.get())
            .into_iter()
            .map(|(id, name)| {
                view! { <option value=id.to_string() selected=move || activity.get() == id>{name}</option> }
            })
            .collect_view()
            .into_any(),
        None => view! { <option value=current_activity.id.to_string() selected>{current_activity.name.clone()}</option> }
            .into_any(),
    }
    };
    let offline = move || catalog.get().is_some_and(|r| r.is_err());
    let key = c.key.clone();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let seconds = |s: String| if s.len() == 16 { format!("{s}:00") } else { s };
        ctx.decide(
            vec![key.clone()],
            Decision::Edit {
                begin: seconds(begin.get()),
                end: seconds(end.get()),
                project: project.get(),
                activity: activity.get(),
                description: description.get(),
            },
        );
    };
    let parse = |ev: &leptos::ev::Event| event_target_value(ev).parse::<i64>().ok();
    view! {
        <form class="edit-form" id="conflict-edit-form" on:submit=apply>
            <h4>{move || t().edit_title}</h4>
            {move || offline().then(|| view! { <p class="warn-box" id="conflict-edit-offline">{t().edit_offline}</p> })}
            <div class="edit-grid">
                <label>{move || t().f_begin}
                    <input type="datetime-local" id="conflict-edit-begin" step="60" required
                        prop:value=move || begin.get() on:input=move |ev| begin.set(event_target_value(&ev))/>
                </label>
                <label>{move || t().f_end}
                    <input type="datetime-local" id="conflict-edit-end" step="60" required
                        prop:value=move || end.get() on:input=move |ev| end.set(event_target_value(&ev))/>
                </label>
                <label>{move || t().f_project}
                    <select id="conflict-edit-project" disabled=move || known().is_none()
                        on:change=move |ev| if let Some(id) = parse(&ev) { project.set(id) }>
                        {projects}
                    </select>
                </label>
                <label>{move || t().f_activity}
                    <select id="conflict-edit-activity" disabled=move || known().is_none()
                        on:change=move |ev| if let Some(id) = parse(&ev) { activity.set(id) }>
                        {activities}
                    </select>
                </label>
                <label class="wide">{move || t().f_description}
                    <textarea id="conflict-edit-description" rows="2"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </label>
            </div>
            <p class="hint">{move || t().edit_marker}</p>
            {move || ctx.edit_error.get().map(|e| view! {
                <p class="error" id="conflict-edit-error" role="alert">
                    {t().edit_refused} ": " {words::invalid(&e)}
                </p>
            })}
            <div class="actions">
                <button type="submit" id="conflict-edit-apply" disabled=move || ctx.busy.get()>
                    {move || t().edit_apply}
                </button>
                <button type="button" class="secondary" on:click=move |_| ctx.editing.set(false)>
                    {move || common::t().cancel}
                </button>
            </div>
        </form>
    }
    .into_any()
}

/// The activities that fit `project`: global ones and the project's own.
fn activities_of(cat: &KimaiCatalogView, project: i64) -> Vec<(i64, String)> {
    cat.activities
        .iter()
        .filter(|a| a.project.is_none_or(|p| p == project))
        .map(|a| (a.id, a.name.clone()))
        .collect()
}

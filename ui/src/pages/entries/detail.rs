//! One entry from both sides: what Zammad wants, what Kimai holds (differing fields marked),
//! how it was placed in time and rounded, and why it is in its state. The core's words for
//! rounding and layout are translated by their fixed shape; anything else shows as sent.

use leptos::prelude::*;
use timebridge_types::entries::{
    EntryDetail, EntryState, PlacementView, TwinAnswer, ZammadFactsView,
};
use timebridge_types::setup::{ConfirmUnitRequest, TimeUnitDto};
use timebridge_types::{EntryKey, FieldsView};

use super::{state_class, state_code, state_name};
use crate::api;
use crate::components::{ErrorBox, Loading};
use crate::i18n::common;
use crate::i18n::fmt;
use crate::i18n::pages::entries::{t, Entries};
use crate::state::shared;

/// The side panel of the selected entry (nothing when none is selected).
#[component]
pub(super) fn DetailPanel(selected: RwSignal<Option<EntryKey>>) -> impl IntoView {
    let shared = shared();
    let detail = LocalResource::new(move || {
        let key = selected.get();
        shared.changed.get();
        async move {
            match key {
                Some(k) => Some(api::entry_detail(&k).await),
                None => None,
            }
        }
    });
    move || {
        selected.get().map(|key| {
            view! {
                <aside class="card entry-detail" id="entry-detail">
                    <header class="entry-detail-head">
                        <h3>{move || t().detail_title} " " <code>{key.label()}</code></h3>
                        <button class="link" id="entry-detail-close"
                            on:click=move |_| selected.set(None)>
                            {move || common::t().close}
                        </button>
                    </header>
                    {move || match detail.get() {
                        None | Some(None) => view! { <Loading/> }.into_any(),
                        Some(Some(Err(e))) => view! { <ErrorBox error=e/> }.into_any(),
                        Some(Some(Ok(d))) => view! { <DetailBody detail=d/> }.into_any(),
                    }}
                </aside>
            }
        })
    }
}

fn explain(tx: &Entries, s: EntryState) -> &'static str {
    match s {
        EntryState::Synced => tx.explain_synced,
        EntryState::Pending => tx.explain_pending,
        EntryState::NeedsMapping => tx.explain_needs_mapping,
        EntryState::Conflict => tx.explain_conflict,
        EntryState::Refused => tx.explain_refused,
        EntryState::Error => tx.explain_error,
        EntryState::Held => tx.explain_held,
        EntryState::Unreadable => tx.explain_unreadable,
    }
}

#[component]
fn DetailBody(detail: EntryDetail) -> impl IntoView {
    let state = detail.state;
    let (zammad, kimai) = (detail.zammad.clone(), detail.kimai.clone());
    let ticket = detail.ticket_id.filter(|_| detail.facts.is_none());
    let timesheet = detail.timesheet_id;
    let facts = detail.facts.clone();
    view! {
        <p class="entry-detail-state">
            <span class=state_class(state) data-state=state_code(state)>
                {move || state_name(t(), state)}
            </span>
            {ticket.map(|id| view! {
                " " <span class="muted">{move || t().detail_ticket} " #" {id}</span>
            })}
            {timesheet.map(|id| view! {
                " " <span class="muted">{move || t().col_timesheet} " #" {id}</span>
            })}
        </p>
        <p class="entry-explain">{move || explain(t(), state)}</p>
        {detail.note.clone().map(|note| view! {
            <p class="entry-note" id="entry-detail-note"><span class="muted">{move || t().detail_note} ": "</span>{note}</p>
        })}
        {(state == EntryState::Refused).then(|| view! { <Retry key=detail.key.clone()/> })}
        {(detail.reason_code.as_deref() == Some("unit_changed"))
            .then(|| view! { <ConfirmUnit instance=detail.key.instance.clone()/> })}
        {(detail.reason_code.as_deref() == Some("possible_twin"))
            .then(|| view! { <TwinAnswerButtons key=detail.key.clone()/> })}
        {facts.map(|f| view! { <ZammadFacts facts=f/> })}
        <div class="entry-sides">
            <section id="entry-detail-zammad" class="entry-side">
                <h4>{move || t().detail_zammad}</h4>
                <Fields fields=zammad.clone() other=kimai.clone()/>
            </section>
            <section id="entry-detail-kimai" class="entry-side">
                <h4>{move || t().detail_kimai}</h4>
                <Fields fields=kimai other=zammad/>
            </section>
        </div>
        <section id="entry-detail-placement" class="entry-placement">
            <h4>{move || t().detail_placement}</h4>
            <Placement placement=detail.placement/>
        </section>
    }
}

/// What Zammad says about the entry: ticket, organization, booking day, its exact time and
/// the whole minutes booked from it.
#[component]
fn ZammadFacts(facts: ZammadFactsView) -> impl IntoView {
    let exact = facts.millis.map(fmt::clock).unwrap_or_else(|| "–".into());
    let booked = facts.booked_seconds.map(|s| fmt::clock(s * 1000));
    view! {
        <dl class="entry-facts" id="entry-detail-facts" data-millis=facts.millis.map(|m| m.to_string())>
            <dt>{move || t().detail_ticket}</dt>
            <dd id="entry-facts-ticket">{facts.ticket.clone()}</dd>
            <dt>{move || t().facts_organization}</dt>
            <dd>{facts.organization.clone().unwrap_or_else(|| "–".into())}</dd>
            <dt>{move || t().facts_day}</dt>
            <dd>{facts.day.clone()}</dd>
            <dt>{move || t().facts_exact}</dt>
            <dd>{exact} " (" {facts.time_unit.clone()} ")"</dd>
            {booked.map(|b| view! {
                <dt>{move || t().facts_booked}</dt>
                <dd>{b}</dd>
            })}
        </dl>
    }
}

/// "The same work" / "Different work" for an entry waiting as a possible twin.
#[component]
fn TwinAnswerButtons(key: EntryKey) -> impl IntoView {
    // Taken here, where the component's context is: a spawned task has none.
    let shared = shared();
    let done = RwSignal::new(None::<bool>);
    let error = RwSignal::new(None::<String>);
    let answer = move |same: bool| {
        let key = key.clone();
        move |_| {
            let req = TwinAnswer {
                key: key.clone(),
                same,
            };
            leptos::task::spawn_local(async move {
                match api::decide_twin(&req).await {
                    Ok(_) => {
                        done.set(Some(same));
                        shared.bump();
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        }
    };
    view! {
        <div class="warn-box entry-twin" id="entry-twin">
            <p>{move || t().twin_hint}</p>
            <button id="entry-twin-same" class="secondary" disabled=move || done.get().is_some()
                on:click=answer(true)>{move || t().twin_same}</button>
            " "
            <button id="entry-twin-different" class="secondary" disabled=move || done.get().is_some()
                on:click=answer(false)>{move || t().twin_different}</button>
            {move || done.get().map(|same| view! {
                <p class="ok-box">{move || if same { t().twin_done_same } else { t().twin_done_different }}</p>
            })}
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
        </div>
    }
}

/// "Confirm the unit" for an entry parked because the helpdesk's unit setting changed.
#[component]
fn ConfirmUnit(instance: String) -> impl IntoView {
    let shared = shared();
    let unit = RwSignal::new("minutes".to_string());
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let click = move |_| {
        let req = ConfirmUnitRequest {
            instance: instance.clone(),
            unit: match unit.get_untracked().as_str() {
                "hours" => TimeUnitDto::Hours,
                "quarter_hours" => TimeUnitDto::QuarterHours,
                _ => TimeUnitDto::Minutes,
            },
        };
        leptos::task::spawn_local(async move {
            match api::confirm_unit(&req).await {
                Ok(_) => {
                    done.set(true);
                    shared.bump();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <div class="warn-box entry-unit" id="entry-confirm-unit">
            <p>{move || t().unit_confirm_hint}</p>
            <select id="entry-confirm-unit-select" on:change=move |ev| unit.set(event_target_value(&ev))>
                <option value="minutes">{move || t().unit_minutes}</option>
                <option value="quarter_hours">{move || t().unit_quarter}</option>
                <option value="hours">{move || t().unit_hours}</option>
            </select>
            " "
            <button id="entry-confirm-unit-btn" class="secondary" disabled=move || done.get() on:click=click>
                {move || t().unit_confirm}
            </button>
            {move || done.get().then(|| view! { <p class="ok-box">{move || t().unit_confirmed}</p> })}
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
        </div>
    }
}

/// "Send again at the next sync" for an entry Kimai refused (after the cause was fixed).
#[component]
fn Retry(key: EntryKey) -> impl IntoView {
    let shared = shared();
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let click = move |_| {
        let key = key.clone();
        leptos::task::spawn_local(async move {
            match api::retry_entry(&key).await {
                Ok(_) => {
                    done.set(true);
                    shared.bump();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <p class="entry-retry">
            <button id="entry-retry" class="secondary" disabled=move || done.get() on:click=click>
                {move || t().retry}
            </button>
            " "
            <span class="muted small">
                {move || if done.get() { t().retry_done } else { t().retry_hint }}
            </span>
            {move || error.get().map(|e| view! { <span class="error">" " {e}</span> })}
        </p>
    }
}

/// A timesheet's fields; those differing from `other` are marked `diff`.
#[component]
fn Fields(fields: Option<FieldsView>, other: Option<FieldsView>) -> impl IntoView {
    let Some(f) = fields else {
        return view! { <p class="muted">{move || t().detail_none}</p> }.into_any();
    };
    let differs = |pick: fn(&FieldsView) -> String| -> bool {
        other.as_ref().is_some_and(|o| pick(o) != pick(&f))
    };
    let class = |d: bool| if d { "diff" } else { "" };
    let begin_d = class(differs(|x| x.begin.clone()));
    let end_d = class(differs(|x| x.end.clone()));
    let project_d = class(differs(|x| x.project.id.to_string()));
    let activity_d = class(differs(|x| x.activity.id.to_string()));
    let desc_d = class(differs(|x| x.description.clone()));
    let tags_d = class(differs(|x| x.tags.join(", ")));
    let (begin, end) = (f.begin.clone(), f.end.clone());
    let tags = f.tags.join(", ");
    view! {
        <dl class="fields">
            <dt>{move || t().f_begin}</dt>
            <dd class=begin_d>{move || fmt::wall(&begin)}</dd>
            <dt>{move || t().f_end}</dt>
            <dd class=end_d>{move || fmt::wall(&end)}</dd>
            <dt>{move || t().f_duration}</dt>
            <dd data-value=f.duration_seconds.to_string()>{fmt::duration(f.duration_seconds)}</dd>
            <dt>{move || t().f_project}</dt>
            <dd class=project_d>{f.project.name.clone()}</dd>
            <dt>{move || t().f_activity}</dt>
            <dd class=activity_d>{f.activity.name.clone()}</dd>
            <dt>{move || t().f_description}</dt>
            <dd class=format!("pre {desc_d}")>{f.description.clone()}</dd>
            <dt>{move || t().f_tags}</dt>
            <dd class=tags_d>{if tags.is_empty() { "–".to_string() } else { tags }}</dd>
        </dl>
        {f.unknown.then(|| view! { <p class="muted small">{move || t().detail_unknown_base}</p> })}
    }
    .into_any()
}

#[component]
fn Placement(placement: Option<PlacementView>) -> impl IntoView {
    let Some(p) = placement else {
        return view! { <p class="muted">{move || t().detail_none}</p> }.into_any();
    };
    let before = p.before_seconds;
    let after = p.after_seconds;
    let (rounding, layout) = (p.rounding.clone(), p.layout.clone());
    view! {
        <p class="placement-flow">
            <span class="placement-box" data-value=before.map(|s| s.to_string())>
                <span class="muted small">{move || t().p_before}</span>
                <strong>
                    {move || before.map(fmt::duration).unwrap_or_else(|| t().p_unknown.into())}
                </strong>
            </span>
            <span class="placement-arrow" aria-hidden="true">"→"</span>
            <span class="placement-box" data-value=after.to_string()>
                <span class="muted small">{move || t().p_after}</span>
                <strong>{fmt::duration(after)}</strong>
            </span>
        </p>
        <dl class="fields">
            <dt>{move || t().p_rounding}</dt>
            <dd>{move || rounding_words(t(), &rounding)}</dd>
            <dt>{move || t().p_layout}</dt>
            <dd>{move || layout_words(t(), &layout)}</dd>
        </dl>
    }
    .into_any()
}

/// The core's `up to 15 minutes, at least 30 minutes` in the current language.
fn rounding_words(tx: &Entries, core: &str) -> String {
    if core == "none" {
        return tx.r_none.into();
    }
    let minutes = |s: &str| {
        s.strip_suffix(" minutes")
            .and_then(|n| n.parse::<u32>().ok())
    };
    let (main, minimum) = match core.split_once(", at least ") {
        Some((m, min)) => (m, minutes(min).map(Some)),
        None => (core, Some(None)),
    };
    let step = [
        ("to the nearest ", tx.r_nearest),
        ("up to ", tx.r_up),
        ("down to ", tx.r_down),
    ]
    .into_iter()
    .find_map(|(prefix, text)| Some((text, minutes(main.strip_prefix(prefix)?)?)));
    match (step, minimum) {
        (Some((text, n)), Some(min)) => {
            let mut words = text.replace("{n}", &n.to_string());
            if let Some(m) = min {
                words.push_str(&tx.r_minimum.replace("{n}", &m.to_string()));
            }
            words
        }
        _ => core.to_string(),
    }
}

/// The core's layout words in the current language.
fn layout_words(tx: &Entries, core: &str) -> String {
    if core.starts_with("ends when") {
        tx.l_end_at_booking.into()
    } else if core.starts_with("laid out") {
        tx.l_no_overlaps.into()
    } else {
        core.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::pages::entries::{DE, EN};

    #[test]
    fn the_cores_rounding_words_are_translated_by_shape() {
        assert_eq!(
            rounding_words(&DE, "up to 15 minutes"),
            "auf 15 Minuten aufgerundet"
        );
        assert_eq!(
            rounding_words(&EN, "to the nearest 6 minutes, at least 30 minutes"),
            "to the nearest 6 minutes, at least 30 minutes"
        );
        assert_eq!(
            rounding_words(&DE, "down to 10 minutes, at least 15 minutes"),
            "auf 10 Minuten abgerundet, mindestens 15 Minuten"
        );
        assert_eq!(rounding_words(&DE, "none"), "keine");
        assert_eq!(rounding_words(&DE, "something new"), "something new");
        assert_eq!(
            layout_words(&DE, "ends when it was booked in Zammad"),
            DE.l_end_at_booking
        );
    }
}

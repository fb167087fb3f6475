//! The dashboard's local half: last and next sync, and the entries by state as cards that
//! open the entries page filtered to that state.

use leptos::prelude::*;
use timebridge_types::dashboard::StateCounts;
use timebridge_types::sync::{SchedulePhase, ScheduleView};

use crate::i18n::fmt;
use crate::i18n::pages::dashboard::{t, Dashboard};
use crate::pages::entries::{open_with, Filters};

fn outcome_words(tx: &Dashboard, outcome: &str) -> String {
    match outcome {
        "succeeded" | "ok" => tx.outcome_succeeded.into(),
        "offline" => tx.outcome_offline.into(),
        "failed" => tx.outcome_failed.into(),
        other => other.into(),
    }
}

fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "succeeded" | "ok" => "pill ok",
        "offline" => "pill warn",
        _ => "pill bad",
    }
}

/// Last sync and next sync, side by side.
#[component]
pub(super) fn SyncCards(schedule: ScheduleView) -> impl IntoView {
    let last = schedule.last.clone().map(|l| {
        let outcome = l.outcome.clone();
        let (o1, o2) = (outcome.clone(), outcome.clone());
        let trigger = l.trigger.clone();
        let finished = l.finished_at.clone();
        view! {
            <p class="sync-when">{move || fmt::instant(&finished)}</p>
            <p>
                <span class=outcome_class(&o1)>{move || outcome_words(t(), &o2)}</span>
                " " <span class="muted">
                    {move || if trigger == "manual" { t().trigger_manual } else { t().trigger_schedule }}
                </span>
            </p>
            <p class="small">
                <strong id="dash-last-writes" data-value=l.writes.to_string()>{l.writes}</strong>
                " " {move || t().writes}
                {(l.conflicts > 0).then(|| view! {
                    " · " <strong>{l.conflicts}</strong> " " {move || t().new_conflicts}
                })}
            </p>
            {l.error.map(|e| view! { <p class="small error-text">{e}</p> })}
        }
    });
    let outcome = schedule
        .last
        .as_ref()
        .map(|l| l.outcome.clone())
        .unwrap_or_default();
    let phase = match schedule.phase {
        SchedulePhase::Idle => "idle",
        SchedulePhase::Running => "running",
        SchedulePhase::Paused => "paused",
        SchedulePhase::BackingOff => "backing_off",
    };
    view! {
        <div class="dash-sync">
            <div class="card dash-sync-card" id="dash-last-sync" data-outcome=outcome>
                <h3>{move || t().last_sync}</h3>
                {match last {
                    Some(v) => v.into_any(),
                    None => view! { <p class="muted">{move || t().never_synced}</p> }.into_any(),
                }}
            </div>
            <div class="card dash-sync-card" id="dash-next-sync" data-phase=phase>
                <h3>{move || t().next_sync}</h3>
                <NextSync schedule=schedule/>
            </div>
        </div>
    }
}

#[component]
fn NextSync(schedule: ScheduleView) -> impl IntoView {
    let error = schedule.last_error.clone();
    let failures = schedule.consecutive_failures;
    let main = match schedule.phase {
        SchedulePhase::Idle => match schedule.next_run.clone() {
            Some(at) => view! { <p class="sync-when">{move || fmt::instant(&at)}</p> }.into_any(),
            None => view! { <p class="muted">{move || t().not_scheduled}</p> }.into_any(),
        },
        SchedulePhase::Running => {
            let since = schedule.running_since.clone().unwrap_or_default();
            view! {
                <p class="sync-when">
                    <span class="pill">{move || t().phase_running}</span>
                    " " <span class="muted small">{move || t().running_since} " " {move || fmt::instant(&since)}</span>
                </p>
            }
            .into_any()
        }
        SchedulePhase::Paused => view! {
            <p class="sync-when"><span class="pill warn">{move || t().phase_paused}</span></p>
            <p class="small muted">{move || t().paused_hint}</p>
        }
        .into_any(),
        SchedulePhase::BackingOff => view! {
            <p class="sync-when"><span class="pill bad">{move || t().phase_backing_off}</span></p>
            <p class="small"><strong>{failures}</strong> " " {move || t().failures}</p>
        }
        .into_any(),
    };
    let show_error = schedule.phase == SchedulePhase::BackingOff || failures > 0;
    view! {
        {main}
        {error.filter(|_| show_error).map(|e| view! {
            <p class="small error-text" id="dash-last-error">
                <span class="muted">{move || t().last_error} ": "</span>{e}
            </p>
        })}
    }
}

/// The counts as clickable cards.
#[component]
pub(super) fn StateCards(counts: StateCounts) -> impl IntoView {
    let card = |id: &'static str,
                n: u32,
                label: fn(&Dashboard) -> &'static str,
                state: &'static str,
                tone: &'static str| {
        let open = move |_| {
            open_with(Filters {
                state: state.into(),
                ..Filters::default()
            })
        };
        let tone = if n > 0 { tone } else { "" };
        view! {
            <button class=format!("stat dash-stat {tone}") id=id data-value=n.to_string()
                title=move || t().open_entries on:click=open>
                <span class="value">{n}</span>
                <span class="label">{move || label(t())}</span>
            </button>
        }
    };
    let offline = counts.offline;
    view! {
        <h3 class="dash-section">{move || t().counts_title}</h3>
        <div class="cards dash-cards">
            {card("dash-count-synced", counts.synced, |x| x.count_synced, "synced", "good")}
            {card("dash-count-pending", counts.pending, |x| x.count_pending, "pending", "info")}
            {card("dash-count-needs-mapping", counts.needs_mapping, |x| x.count_needs_mapping, "needs_mapping", "warn")}
            {card("dash-count-conflicts", counts.conflicts, |x| x.count_conflicts, "conflict", "bad")}
            {card("dash-count-refused", counts.refused, |x| x.count_refused, "refused", "bad")}
            {card("dash-count-errors", counts.errors, |x| x.count_errors, "error", "bad")}
            {card("dash-count-unreadable", counts.unreadable, |x| x.count_unreadable, "unreadable", "warn")}
            <button class=format!("stat dash-stat {}", if offline > 0 { "warn" } else { "" })
                id="dash-count-offline" data-value=offline.to_string()
                title=move || t().open_entries
                on:click=move |_| open_with(Filters::default())>
                <span class="value">{move || if offline > 0 { t().yes } else { t().no }}</span>
                <span class="label">{move || t().count_offline}</span>
            </button>
        </div>
    }
}

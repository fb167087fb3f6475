//! The bar above every page: "Sync now", the progress of the run in flight (also one started
//! from the tray or the schedule: it follows `sync://progress`), and what the last run of this
//! window did.

use leptos::prelude::*;
use timebridge_types::event;
use timebridge_types::sync::{SchedulePhase, ScheduleView, SyncProgress, SyncResultView, SyncStep};

use crate::api;
use crate::events::listen;
use crate::i18n::{common, fmt};
use crate::state::shared;

fn step_label(step: SyncStep) -> &'static str {
    let t = common::t();
    match step {
        SyncStep::Started => t.step_started,
        SyncStep::Reading => t.step_reading,
        SyncStep::Writing => t.step_writing,
        SyncStep::Finished => t.step_finished,
    }
}

/// Percent done of the run, when the step counts its items.
fn percent(p: &SyncProgress) -> Option<u32> {
    match (p.done, p.total) {
        (Some(done), Some(total)) if total > 0 => Some((done.min(total) * 100) / total),
        _ => None,
    }
}

fn result_text(r: &SyncResultView) -> String {
    let t = common::t();
    let mut flaky = Vec::new();
    for (server, n) in [("Kimai", r.kimai_retries), ("Zammad", r.zammad_retries)] {
        if n > 0 {
            flaky.push(
                t.server_retries
                    .replace("{server}", server)
                    .replace("{n}", &n.to_string()),
            );
        }
    }
    if r.recovered > 0 {
        flaky.push(t.recovered.replace("{n}", &r.recovered.to_string()));
    }
    let flaky = if flaky.is_empty() {
        String::new()
    } else {
        format!(" · {}", flaky.join(", "))
    };
    let waiting = if r.awaiting_go_ahead.is_empty() {
        String::new()
    } else {
        format!(
            " · {}",
            t.first_sync_waits
                .replace("{helpdesks}", &r.awaiting_go_ahead.join(", "))
        )
    };
    match r.outcome.as_str() {
        "ok" => format!(
            "{}: {} {}, {} {}, {} {}, {} {}{waiting}{flaky}",
            t.sync_done,
            r.created,
            t.created,
            r.updated,
            t.updated,
            r.deleted,
            t.deleted,
            r.conflicts,
            t.conflicts_word
        ),
        "offline" => format!("{}{flaky}", t.sync_offline),
        _ => format!("{}: {}", t.sync_failed, r.error.clone().unwrap_or_default()),
    }
}

/// The sync bar.
#[component]
pub(crate) fn SyncBar() -> impl IntoView {
    let shared = shared();
    let running = move || shared.progress.get().is_some();
    let sync = move |_| {
        shared.last_result.set(None);
        leptos::task::spawn_local(async move {
            let result = api::sync_now().await.map_err(|e| e.message);
            shared.last_result.set(Some(result));
            shared.progress.set(None);
            shared.bump();
        });
    };
    // The background schedule: loaded once, then kept current by `schedule://changed`
    // (a pause from the tray shows here too).
    let schedule = RwSignal::new(None::<ScheduleView>);
    leptos::task::spawn_local(async move {
        if let Ok(view) = api::schedule_status().await {
            schedule.set(Some(view));
        }
    });
    listen::<ScheduleView>(event::SCHEDULE_CHANGED, move |view| {
        schedule.set(Some(view))
    });
    let paused =
        move || schedule.with(|s| s.as_ref().is_some_and(|s| s.phase == SchedulePhase::Paused));
    let toggle_pause = move |_| {
        let want = !paused();
        leptos::task::spawn_local(async move {
            if let Ok(view) = api::set_paused(want).await {
                schedule.set(Some(view));
            }
        });
    };
    view! {
        <div class="syncbar" id="syncbar">
            <button id="sync-now" on:click=sync disabled=running>
                {move || if running() { common::t().syncing } else { common::t().sync_now }}
            </button>
            {move || shared.progress.get().map(|p| {
                let pct = percent(&p);
                view! {
                    <div class="progress" id="sync-progress">
                        <span class="progress-label" id="sync-progress-step">
                            {step_label(p.step)}
                            {p.done.zip(p.total).map(|(d, t)| format!(" {d}/{t}"))}
                        </span>
                        <div class="progress-track">
                            <div
                                class="progress-fill"
                                class:indeterminate=pct.is_none()
                                style:width=format!("{}%", pct.unwrap_or(100))
                            ></div>
                        </div>
                        {(p.retries > 0).then(|| view! {
                            <span class="pill warn" id="sync-retries" data-value=p.retries.to_string()>
                                {common::t().retrying.replace("{n}", &p.retries.to_string())}
                            </span>
                        })}
                    </div>
                }
            })}
            <span class="schedule-state" id="sync-schedule">
                {move || schedule.get().map(|s| match s.phase {
                    SchedulePhase::Paused => view! {
                        <span class="pill warn" id="sync-paused">{common::t().paused_badge}</span>
                    }.into_any(),
                    SchedulePhase::BackingOff => view! {
                        <span class="pill bad" title=s.last_error.clone().unwrap_or_default()>
                            {common::t().backing_off}
                        </span>
                    }.into_any(),
                    _ => view! {
                        <span class="muted" id="sync-next">
                            {s.next_run.as_deref().map(|n| format!("{}: {}", common::t().next_sync, fmt::instant(n)))}
                        </span>
                    }.into_any(),
                })}
            </span>
            <button class="secondary" id="sync-pause" on:click=toggle_pause>
                {move || if paused() { common::t().resume } else { common::t().pause }}
            </button>
            {move || shared.last_result.get().map(|r| match r {
                Ok(r) => {
                    let class = if r.outcome == "ok" { "sync-result ok" } else { "sync-result warn" };
                    view! { <span class=class id="sync-result" data-outcome=r.outcome.clone()>{result_text(&r)}</span> }.into_any()
                }
                Err(message) => view! {
                    <span class="sync-result warn" id="sync-result" data-outcome="error">{message}</span>
                }.into_any(),
            })}
        </div>
    }
}

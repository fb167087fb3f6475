//! The core's schedule → the window and the tray. For the app in use, every run's start and
//! end becomes a `sync://progress` event (runs from the tray and the schedule included, so an
//! open window shows them), `sync://finished` makes the pages refetch, the status watch becomes
//! `schedule://changed`, and after each run the tray is refreshed and the notifier told.

use std::sync::{Arc, Weak};

use tauri::{AppHandle, Emitter, Runtime};
use timebridge_app::{schedule_view, App};
use timebridge_core::progress::Phase;
use timebridge_core::schedule::{ScheduleEvent, Trigger};
use timebridge_types::event;
use timebridge_types::sync::{SyncProgress, SyncStep};
use tokio::sync::broadcast::error::RecvError;

use crate::notify::Notifier;
use crate::tray;

fn trigger_name(t: Trigger) -> String {
    match t {
        Trigger::Schedule => "schedule".into(),
        Trigger::Manual => "manual".into(),
    }
}

fn progress(step: SyncStep, trigger: Trigger) -> SyncProgress {
    SyncProgress {
        step,
        done: None,
        total: None,
        trigger: trigger_name(trigger),
        retries: 0,
    }
}

/// Forwards `core`'s schedule to the window, the tray and the notifier (until it shuts down).
pub(crate) fn follow<R: Runtime>(handle: &AppHandle<R>, core: Arc<App>) {
    let mut events = core.scheduler().events();
    let mut status = core.scheduler().subscribe();
    let weak: Weak<App> = Arc::downgrade(&core);
    let h = handle.clone();
    tauri::async_runtime::spawn(async move {
        let mut notifier = Notifier::new(weak.upgrade().as_deref());
        loop {
            let ev = match events.recv().await {
                Ok(ev) => ev,
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            match ev {
                ScheduleEvent::Started { trigger, .. } => {
                    let _ = h.emit(event::SYNC_PROGRESS, progress(SyncStep::Started, trigger));
                }
                ScheduleEvent::Finished(last) => {
                    let _ = h.emit(
                        event::SYNC_PROGRESS,
                        progress(SyncStep::Finished, last.trigger),
                    );
                    let _ = h.emit(event::SYNC_FINISHED, ());
                    if let Some(core) = weak.upgrade() {
                        notifier.after_run(&h, &core, &last);
                    }
                    crate::trim::give_back("a sync run");
                }
                ScheduleEvent::Skipped { .. } => {}
                ScheduleEvent::Progress { trigger, progress } => {
                    let step = match progress.phase {
                        Phase::Reading => SyncStep::Reading,
                        Phase::Writing => SyncStep::Writing,
                    };
                    let _ = h.emit(
                        event::SYNC_PROGRESS,
                        SyncProgress {
                            step,
                            done: Some(progress.done),
                            total: Some(progress.total),
                            trigger: trigger_name(trigger),
                            retries: progress.retries,
                        },
                    );
                    tray::show_progress(&h, step, progress.done, progress.total);
                    // The tray's state did not change: no refresh for every percent.
                    continue;
                }
            }
            tray::refresh_tray(&h);
        }
    });
    let h = handle.clone();
    tauri::async_runtime::spawn(async move {
        while status.changed().await.is_ok() {
            let view = schedule_view(&status.borrow_and_update());
            let _ = h.emit(event::SCHEDULE_CHANGED, view);
            tray::refresh_tray(&h);
        }
    });
    tray::refresh_tray(handle);
}

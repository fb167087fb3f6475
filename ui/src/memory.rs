//! Where the user was, kept by the core across a closed window.
//!
//! The shell destroys the webview when the window goes to the tray; the next Open loads the UI
//! afresh. So the app frame reads the core's view memory once before it shows a page
//! ([`load`]), and the values that make up "where the user was" (page, filters, months, the
//! selected conflict, an unfinished edit) are signals made with [`kept`], which start from the
//! kept value and send every change back to the core.

use std::cell::RefCell;
use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::api;

thread_local! {
    /// The values read at load, kept up to date by [`keep`]. A thread local, not a context:
    /// event handlers and tasks run without a reactive owner, and the UI has one thread.
    static KEPT: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

/// Reads the kept values; the frame shows pages only after this.
pub(crate) async fn load() {
    let kept = api::recall_view().await.unwrap_or_default();
    KEPT.with(|k| *k.borrow_mut() = kept);
}

/// The kept value of `key`, if any and if it still decodes as a `T`.
pub(crate) fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    KEPT.with(|k| {
        k.borrow()
            .get(key)
            .and_then(|s| serde_json::from_str(s).ok())
    })
}

/// Keeps `value` under `key` (`None` forgets it), here and in the core.
pub(crate) fn keep<T: Serialize>(key: &'static str, value: Option<&T>) {
    let encoded = value.and_then(|v| serde_json::to_string(v).ok());
    KEPT.with(|k| match &encoded {
        Some(s) => {
            k.borrow_mut().insert(key.to_string(), s.clone());
        }
        None => {
            k.borrow_mut().remove(key);
        }
    });
    let start = OUTBOX.with(|o| {
        let mut o = o.borrow_mut();
        o.pending.insert(key, encoded);
        !std::mem::replace(&mut o.sending, true)
    });
    if start {
        leptos::task::spawn_local(send_pending());
    }
}

/// Values waiting for the core, and whether a sender is at work.
#[derive(Default)]
struct Outbox {
    pending: BTreeMap<&'static str, Option<String>>,
    sending: bool,
}

thread_local! {
    /// Calls that run side by side may be applied by the core in any order (a draft typed
    /// fast then reopened one keystroke short), so one sender sends them one after another,
    /// and only the latest value of each key.
    static OUTBOX: RefCell<Outbox> = RefCell::new(Outbox::default());
}

/// Sends the waiting values one at a time until none is left.
async fn send_pending() {
    loop {
        let next = OUTBOX.with(|o| {
            let mut o = o.borrow_mut();
            let next = o.pending.pop_first();
            o.sending = next.is_some();
            next
        });
        let Some((key, encoded)) = next else { return };
        // Losing one value costs only where the window reopens; it never loses data.
        let _ = api::remember_view(key, encoded).await;
    }
}

/// A signal that starts from the kept value of `key` (else `default`) and keeps each change.
pub(crate) fn kept<T>(key: &'static str, default: T) -> RwSignal<T>
where
    T: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    kept_unless(key, None, default)
}

/// As [`kept`], but starting from `preset` when there is one (another page opened this one
/// with it), which is kept at once.
pub(crate) fn kept_unless<T>(key: &'static str, preset: Option<T>, default: T) -> RwSignal<T>
where
    T: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    let start = match preset {
        Some(preset) => {
            keep(key, Some(&preset));
            preset
        }
        None => get(key).unwrap_or(default),
    };
    let signal = RwSignal::new(start);
    Effect::new(move |previous: Option<T>| {
        let now = signal.get();
        if previous.as_ref().is_some_and(|p| *p != now) {
            keep(key, Some(&now));
        }
        now
    });
    signal
}

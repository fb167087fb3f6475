//! Where the user was, kept by the core across a closed window.
//!
//! The shell destroys the webview when the window goes to the tray; the next Open loads the UI
//! afresh. So the app frame reads the core's view memory once before it shows a page
//! ([`load`]), and the values that make up "where the user was" (page, filters, months, the
//! selected conflict, an unfinished edit) are signals made with [`kept`], which start from the
//! kept value and send every change back to the core.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::api;

/// The values read at load (context).
#[derive(Clone, Copy)]
pub(crate) struct Memory(StoredValue<BTreeMap<String, String>>);

/// Provides the (still empty) memory as context; [`load`] fills it.
pub(crate) fn provide() -> Memory {
    let memory = Memory(StoredValue::new(BTreeMap::new()));
    provide_context(memory);
    memory
}

/// Reads the kept values; the frame shows pages only after this.
pub(crate) async fn load(Memory(values): Memory) {
    let kept = api::recall_view().await.unwrap_or_default();
    values.set_value(kept);
}

/// The kept value of `key`, if any and if it still decodes as a `T`.
pub(crate) fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let Memory(values) = use_context::<Memory>()?;
    values.with_value(|v| v.get(key).and_then(|s| serde_json::from_str(s).ok()))
}

/// Keeps `value` under `key` (`None` forgets it), here and in the core.
pub(crate) fn keep<T: Serialize>(key: &'static str, value: Option<&T>) {
    let encoded = value.and_then(|v| serde_json::to_string(v).ok());
    if let Some(Memory(values)) = use_context::<Memory>() {
        values.update_value(|v| match &encoded {
            Some(s) => {
                v.insert(key.to_string(), s.clone());
            }
            None => {
                v.remove(key);
            }
        });
    }
    leptos::task::spawn_local(async move {
        // Losing one value costs only where the window reopens; it never loses data.
        let _ = api::remember_view(key, encoded).await;
    });
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

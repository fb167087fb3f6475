//! Listening to the shell's events (`timebridge_types::event`) through Tauri's global
//! `event.listen`, our own small binding like `ipc` (tauri-sys is git-only here).
//!
//! Listeners live as long as the window: the app frame registers them once at start.

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

/// Calls `on` with each event's payload decoded as `T`; a payload that does not decode is
/// logged to the console and skipped (a newer shell must not crash an older page).
pub(crate) fn listen<T: DeserializeOwned + 'static>(event: &'static str, on: impl Fn(T) + 'static) {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |raw: JsValue| {
        let payload =
            js_sys::Reflect::get(&raw, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(value) => on(value),
            Err(e) => web_log(&format!("event {event}: unexpected payload: {e}")),
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = tauri_listen(event, &handler).await {
            web_log(&format!("cannot listen to {event}: {e:?}"));
        }
        // The window lives as long as the listener: keep the closure alive for good.
        handler.forget();
    });
}

/// Like [`listen`] for events without a payload.
pub(crate) fn listen_unit(event: &'static str, on: impl Fn() + 'static) {
    listen::<serde::de::IgnoredAny>(event, move |_| on());
}

/// Writes to the webview's console (visible with the inspector in debug builds).
pub(crate) fn web_log(text: &str) {
    leptos::logging::warn!("{text}");
}

//! Our own minimal binding to Tauri's `invoke` (tauri-sys is git-only and unreachable here).
//!
//! Needs `app.withGlobalTauri = true`. A rejected call is deserialized into the shared
//! [`ApiError`]; anything else that goes wrong is wrapped as an `internal` error so callers
//! have one error type to branch on.

use serde::{de::DeserializeOwned, Serialize};
use timebridge_types::{ApiError, ErrorCode};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

fn internal(what: &str, detail: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{what}: {detail}"))
}

fn rejection(cmd: &str, value: JsValue) -> ApiError {
    if let Ok(err) = serde_wasm_bindgen::from_value::<ApiError>(value.clone()) {
        return err;
    }
    let text = value
        .as_string()
        .or_else(|| js_sys_to_string(&value))
        .unwrap_or_else(|| format!("{value:?}"));
    internal(&format!("the command {cmd} failed"), text)
}

fn js_sys_to_string(value: &JsValue) -> Option<String> {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.to_string()))
}

/// Calls `cmd` with the single argument `req`.
pub(crate) async fn call<Req: Serialize, Res: DeserializeOwned>(
    cmd: &str,
    req: Option<&Req>,
) -> Result<Res, ApiError> {
    let args = match req {
        Some(req) => {
            #[derive(Serialize)]
            struct Args<'a, R> {
                req: &'a R,
            }
            serde_wasm_bindgen::to_value(&Args { req })
                .map_err(|e| internal("cannot encode the request", e))?
        }
        None => JsValue::UNDEFINED,
    };
    let value = tauri_invoke(cmd, args)
        .await
        .map_err(|e| rejection(cmd, e))?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| internal(&format!("unexpected answer from {cmd}"), e))
}

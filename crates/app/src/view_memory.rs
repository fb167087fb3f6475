//! Where the user was in the window, kept in memory while the window is closed.
//!
//! The desktop shell destroys the webview when the window goes to the tray, so nothing the
//! page held survives there; the UI keeps what it must restore here instead (page, filters,
//! the selected conflict, an unfinished edit). It lives on the [`super::Host`], as long as the
//! process, and is bounded: a few dozen short values, never a listing or a cache.

use parking_lot::Mutex;
use timebridge_types::view::{RememberRequest, ViewMemoryView};
use timebridge_types::{ApiError, ErrorCode};

/// At most this many keys are kept.
pub(crate) const MAX_KEYS: usize = 64;
/// A key's longest name, in bytes.
pub(crate) const MAX_KEY_LEN: usize = 64;
/// A value's largest size, in bytes.
pub(crate) const MAX_VALUE_LEN: usize = 16 * 1024;

/// The kept values.
#[derive(Debug, Default)]
pub struct ViewMemory {
    values: Mutex<ViewMemoryView>,
}

impl ViewMemory {
    /// Keeps `req.value` under `req.key`, or forgets the key when the value is `None`.
    /// Refuses (with `validation`) a key that is empty, too long or not made of `a-z 0-9 . _
    /// -`, a value over [`MAX_VALUE_LEN`], and a new key beyond [`MAX_KEYS`].
    pub fn remember(&self, req: &RememberRequest) -> Result<(), ApiError> {
        let key = req.key.as_str();
        let well_formed = !key.is_empty()
            && key.len() <= MAX_KEY_LEN
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !well_formed {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "a view key is 1 to {MAX_KEY_LEN} characters of a-z, 0-9, '.', '_' and '-', not {key:?}"
                ),
            ));
        }
        let mut values = self.values.lock();
        let Some(value) = &req.value else {
            values.remove(key);
            return Ok(());
        };
        if value.len() > MAX_VALUE_LEN {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "the value of {key} is {} bytes; at most {MAX_VALUE_LEN} are kept",
                    value.len()
                ),
            ));
        }
        if !values.contains_key(key) && values.len() >= MAX_KEYS {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!("at most {MAX_KEYS} view values are kept; {key} is one too many"),
            ));
        }
        values.insert(key.to_string(), value.clone());
        Ok(())
    }

    /// Everything kept.
    pub fn recall(&self) -> ViewMemoryView {
        self.values.lock().clone()
    }

    /// Forgets everything (the app in use changed: its pages and ids mean nothing now).
    pub fn clear(&self) {
        self.values.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(key: &str, value: Option<&str>) -> RememberRequest {
        RememberRequest {
            key: key.to_string(),
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn values_are_kept_replaced_and_forgotten() {
        let memory = ViewMemory::default();
        memory.remember(&req("page", Some("entries"))).unwrap();
        memory
            .remember(&req("entries.filters", Some(r#"{"month":"2026-11"}"#)))
            .unwrap();
        memory.remember(&req("page", Some("conflicts"))).unwrap();
        let kept = memory.recall();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept["page"], "conflicts");
        assert_eq!(kept["entries.filters"], r#"{"month":"2026-11"}"#);
        memory.remember(&req("page", None)).unwrap();
        assert!(!memory.recall().contains_key("page"));
        memory.clear();
        assert!(memory.recall().is_empty());
    }

    #[test]
    fn bad_keys_big_values_and_too_many_keys_are_refused_with_the_limit_named() {
        let memory = ViewMemory::default();
        for bad in ["", "Page", "a b", &"k".repeat(MAX_KEY_LEN + 1)] {
            let err = memory.remember(&req(bad, Some("x"))).unwrap_err();
            assert_eq!(err.code, ErrorCode::Validation, "{bad:?}");
        }
        let big = "x".repeat(MAX_VALUE_LEN + 1);
        let err = memory.remember(&req("draft", Some(&big))).unwrap_err();
        assert!(
            err.message.contains(&MAX_VALUE_LEN.to_string()),
            "{}",
            err.message
        );
        memory
            .remember(&req("draft", Some(&big[..MAX_VALUE_LEN])))
            .expect("exactly the limit is kept");
        for i in 1..MAX_KEYS {
            memory.remember(&req(&format!("k{i}"), Some("v"))).unwrap();
        }
        let err = memory.remember(&req("one-more", Some("v"))).unwrap_err();
        assert!(err.message.contains("at most 64"), "{}", err.message);
        memory
            .remember(&req("k1", Some("changed")))
            .expect("a kept key can still change when full");
        assert_eq!(memory.recall().len(), MAX_KEYS);
    }
}

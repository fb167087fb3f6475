//! A token that never leaks by accident.

use zeroize::Zeroizing;

/// An API token. `Debug` prints `Secret(<redacted>)`; the bytes are zeroized on drop. The only
/// way to the value is [`Secret::expose`], which the transport calls to build a header.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(Zeroizing::new(token.into()))
    }

    /// The token itself. Call only to put it into an `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let secret = Secret::new("tb-test-7f3a9c");
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("7f3a9c"), "{shown}");
        assert_eq!(secret.expose(), "tb-test-7f3a9c");
    }

    /// The bytes live in a `Zeroizing` buffer (overwritten when dropped), clones included;
    /// checking freed memory itself would need `unsafe`, which the workspace forbids.
    #[test]
    fn the_token_is_held_in_a_buffer_that_zeroizes_on_drop() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>(_: &T) {}
        let secret = Secret::new("tb-test-7f3a9c");
        zeroized_on_drop(&secret.0);
        let copy = secret.clone();
        zeroized_on_drop(&copy.0);
        // What dropping does to the buffer, shown on the wrapper itself.
        let mut buffer = copy.0.clone();
        zeroize::Zeroize::zeroize(&mut buffer);
        assert!(buffer.is_empty(), "zeroized");
        assert_eq!(
            secret.expose(),
            "tb-test-7f3a9c",
            "the original is untouched"
        );
        let shown = format!("{copy:?}{:#?}", vec![&secret]);
        assert!(!shown.contains("tb-test"), "{shown}");
    }
}

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
}

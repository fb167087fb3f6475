//! A server's base URL, checked once: HTTPS, or plain HTTP only for this machine (simulators,
//! a local test server) or when the user explicitly opts in for that connection.

use url::Url;

/// Why a base URL was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// Not a URL at all.
    #[error("{input:?} is not a valid URL: {reason}")]
    Invalid {
        /// What was given.
        input: String,
        /// What the parser said.
        reason: String,
    },
    /// A scheme other than http or https.
    #[error("{input:?} must start with https://")]
    Scheme {
        /// What was given.
        input: String,
    },
    /// Plain HTTP to another machine without the explicit opt-in.
    #[error("{input:?} uses plain http, which would send your token unencrypted; use https://, or allow insecure http for this connection explicitly")]
    Insecure {
        /// What was given.
        input: String,
    },
    /// User name, password, query or fragment in the base URL.
    #[error("{input:?} must not contain credentials, a query or a fragment")]
    Extra {
        /// What was given.
        input: String,
    },
}

/// A validated base URL that always ends in `/`, so joining a relative path keeps any
/// sub-path the server is installed under (`https://example.com/kimai/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(Url);

/// The input as it may be shown in an error: credentials, query and fragment (where a token
/// could hide) are replaced by `***`.
fn redact(input: &str) -> String {
    let trimmed = input.trim();
    let (main, tail) = match trimmed.find(['?', '#']) {
        Some(i) => (&trimmed[..i], "***"),
        None => (trimmed, ""),
    };
    let main = match (main.find("://"), main.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***@{}", &main[..s + 3], &main[at + 1..]),
        (None, Some(at)) => format!("***@{}", &main[at + 1..]),
        _ => main.to_string(),
    };
    format!("{main}{tail}")
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl BaseUrl {
    /// Parses and checks `input`. `allow_insecure_http` is the per-connection opt-in.
    pub fn parse(input: &str, allow_insecure_http: bool) -> Result<Self, BaseUrlError> {
        let trimmed = input.trim();
        let mut url = Url::parse(trimmed).map_err(|e| BaseUrlError::Invalid {
            input: redact(input),
            reason: e.to_string(),
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) || allow_insecure_http => {}
            "http" => {
                return Err(BaseUrlError::Insecure {
                    input: redact(input),
                })
            }
            _ => {
                return Err(BaseUrlError::Scheme {
                    input: redact(input),
                })
            }
        }
        if !url.username().is_empty()
            || url.password().is_some()
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err(BaseUrlError::Extra {
                input: redact(input),
            });
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Self(url))
    }

    /// `path` (relative, e.g. `api/timesheets`) joined under the base.
    pub fn join(&self, path: &str) -> Url {
        self.0
            .join(path.trim_start_matches('/'))
            .expect("a relative path joins onto a valid base")
    }

    /// The base URL as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_sub_path_when_joining() {
        let base = BaseUrl::parse("https://example.com/kimai", false).unwrap();
        assert_eq!(
            base.join("api/ping").as_str(),
            "https://example.com/kimai/api/ping"
        );
        assert_eq!(
            base.join("/api/ping").as_str(),
            "https://example.com/kimai/api/ping"
        );
    }

    #[test]
    fn plain_http_only_for_loopback_or_with_opt_in() {
        assert!(BaseUrl::parse("http://127.0.0.1:8080", false).is_ok());
        assert!(BaseUrl::parse("http://localhost:8080/", false).is_ok());
        assert!(BaseUrl::parse("http://[::1]:8080/", false).is_ok());
        assert_eq!(
            BaseUrl::parse("http://kimai.example.com", false),
            Err(BaseUrlError::Insecure {
                input: "http://kimai.example.com".into()
            })
        );
        assert!(BaseUrl::parse("http://kimai.example.com", true).is_ok());
    }

    #[test]
    fn errors_never_repeat_credentials_or_queries() {
        for input in [
            "https://user:tb-secret-9@x.example/",
            "https://x.example/?token=tb-secret-9",
            "https://x.example/#tb-secret-9",
            "http://tb-secret-9@kimai.example.com",
            "notaurl tb-secret-9@",
        ] {
            let err = BaseUrl::parse(input, false).unwrap_err();
            assert!(!err.to_string().contains("tb-secret-9"), "{err}");
            assert!(!format!("{err:?}").contains("tb-secret-9"), "{err:?}");
        }
    }

    #[test]
    fn refuses_garbage_other_schemes_and_credentials() {
        assert!(matches!(
            BaseUrl::parse("kimai.example.com", false),
            Err(BaseUrlError::Invalid { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("ftp://x.example", false),
            Err(BaseUrlError::Scheme { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("https://user:pw@x.example", false),
            Err(BaseUrlError::Extra { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("https://x.example/?a=1", false),
            Err(BaseUrlError::Extra { .. })
        ));
    }
}

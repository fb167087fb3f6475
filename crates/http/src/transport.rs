//! Sending one logical request: timeout, concurrency bound, safe retries.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use tokio::sync::Semaphore;

use crate::{BaseUrl, RetryPolicy, Secret};

/// Transport settings; the defaults are polite to a small shared host.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Per-attempt timeout, from sending to the whole body read.
    pub timeout: Duration,
    /// Requests in flight to this server at once.
    pub max_concurrency: usize,
    /// When and how to retry.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_concurrency: 4,
            retry: RetryPolicy::default(),
            user_agent: format!(
                "Timebridge/{} (Zammad to Kimai time sync)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// HTTP methods the clients use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// One request, relative to the base URL.
#[derive(Clone, Debug)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
    idempotent: bool,
}

impl Request {
    /// A request; GET, PUT and DELETE count as idempotent, POST and PATCH do not (a PATCH can
    /// toggle, as Kimai's export does). Override with [`Request::idempotent`].
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = matches!(method, Method::Get | Method::Put | Method::Delete);
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotent,
        }
    }

    /// Adds a query parameter (repeat the name for lists, e.g. `projects[]`).
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// A JSON body (already serialized).
    pub fn json_body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(Bytes::from(body));
        self
    }

    /// Declares whether sending this twice has the same effect as once.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// A complete response (any status).
#[derive(Clone, Debug)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl Response {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Retry-After` in seconds, if given that way.
    pub fn retry_after(&self) -> Option<Duration> {
        self.header(RETRY_AFTER.as_str())?
            .trim()
            .parse::<u64>()
            .ok()
            .map(Duration::from_secs)
    }

    /// Whether the body claims to be JSON.
    pub fn is_json(&self) -> bool {
        self.header(CONTENT_TYPE.as_str())
            .is_some_and(|ct| ct.contains("json"))
    }

    /// The body's first characters, for error messages (never contains request headers).
    pub fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut out: String = text.chars().take(200).collect();
        if text.chars().count() > 200 {
            out.push('…');
        }
        out
    }
}

/// Why no response was received.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The host name could not be resolved.
    #[error("cannot resolve the server name: {0}")]
    Dns(String),
    /// Nothing listens at that address and port.
    #[error("the server refused the connection: {0}")]
    Refused(String),
    /// The TLS handshake failed (untrusted or self-signed certificate, wrong host name).
    #[error("the secure connection failed (certificate or TLS problem): {0}")]
    Tls(String),
    /// Connecting failed for another reason.
    #[error("cannot connect to the server: {0}")]
    Connect(String),
    /// No complete answer within the timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The connection broke after the request may have been sent.
    #[error("the connection broke: {0}")]
    Broken(String),
}

impl SendError {
    /// True when the request certainly never reached the server, so even a POST may be resent.
    pub fn never_sent(&self) -> bool {
        matches!(self, Self::Dns(_) | Self::Refused(_) | Self::Connect(_))
    }

    fn classify(err: &reqwest::Error, timeout: Duration) -> Self {
        let chain = error_chain(err);
        let lower = chain.to_ascii_lowercase();
        if err.is_timeout() {
            Self::Timeout(timeout)
        } else if TLS_WORDS.iter().any(|w| lower.contains(w)) {
            Self::Tls(chain)
        } else if err.is_connect() {
            if lower.contains("dns") || lower.contains("lookup") || lower.contains("resolve") {
                Self::Dns(chain)
            } else if lower.contains("refused") {
                Self::Refused(chain)
            } else {
                Self::Connect(chain)
            }
        } else {
            Self::Broken(chain)
        }
    }
}

/// Words in an error chain that mean the TLS layer failed: certificates, handshakes, and
/// https:// to a server that does not speak TLS (a plain-http port).
const TLS_WORDS: [&str; 6] = [
    "certificate",
    "tls",
    "handshake",
    "corrupt message",
    "invalidcontenttype",
    "wrong version number",
];

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// A connection to one server.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    base: BaseUrl,
    auth: Option<Secret>,
    limiter: Arc<Semaphore>,
    config: HttpConfig,
    /// Requests sent again so far (shared by clones), for "answering slowly or with errors".
    retries: Arc<std::sync::atomic::AtomicU64>,
}

/// Retries when the server cannot be reached at all (an offline laptop), fewer than the
/// policy's for a server that answers badly.
const OFFLINE_RETRIES: u32 = 3;

fn should_retry_status(status: u16, idempotent: bool) -> bool {
    match status {
        // The server refused to process it: safe to resend even a POST.
        429 => true,
        500 | 502 | 503 | 504 => idempotent,
        _ => false,
    }
}

impl Transport {
    /// A transport to `base`. `authorization` is the whole `Authorization` header value
    /// (`Bearer …`, `Token token=…`).
    pub fn new(
        base: BaseUrl,
        authorization: Option<Secret>,
        config: HttpConfig,
    ) -> Result<Self, SendError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SendError::Connect(error_chain(&e)))?;
        let limiter = Arc::new(Semaphore::new(config.max_concurrency.max(1)));
        Ok(Self {
            http,
            base,
            auth: authorization,
            limiter,
            config,
            retries: Arc::default(),
        })
    }

    /// How many requests this transport (and its clones) has sent again so far: retries after
    /// a failure, and reads repeated by a client ([`Transport::note_retry`]).
    pub fn retries(&self) -> u64 {
        self.retries.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Counts a request a client sends again itself (a body that did not decode).
    pub fn note_retry(&self) {
        self.retries
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// The base URL.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.config.timeout
    }

    /// Requests in flight to this server at once (`HttpConfig::max_concurrency`, at least 1).
    pub fn max_concurrency(&self) -> usize {
        self.config.max_concurrency.max(1)
    }

    /// Sends `request`, retrying where that is safe, and returns the final response of any
    /// status, or why none arrived.
    pub async fn send(&self, request: &Request) -> Result<Response, SendError> {
        let mut delays = self.config.retry.delays();
        let mut attempt = 1u32;
        loop {
            let outcome = self.attempt(request).await;
            let retry_after = match &outcome {
                Ok(resp) if should_retry_status(resp.status, request.idempotent) => {
                    match resp.retry_after() {
                        Some(wait) if wait > self.config.retry.max_retry_after => return outcome,
                        other => other,
                    }
                }
                Ok(_) => return outcome,
                // Nothing reachable (DNS, refused): a laptop offline; say so soon.
                Err(e) if e.never_sent() && attempt > OFFLINE_RETRIES => return outcome,
                Err(e)
                    if e.never_sent()
                        || (request.idempotent && !matches!(e, SendError::Tls(_))) =>
                {
                    None
                }
                Err(_) => return outcome,
            };
            let Some(backoff) = delays.next() else {
                return outcome;
            };
            let wait = retry_after.map_or(backoff, |ra| ra.max(backoff));
            self.note_retry();
            tracing::debug!(
                method = ?request.method, path = %request.path, attempt,
                outcome = %match &outcome { Ok(r) => r.status.to_string(), Err(e) => e.to_string() },
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, request: &Request) -> Result<Response, SendError> {
        let _permit = self
            .limiter
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let url = self.base.join(&request.path);
        let mut builder = self.http.request(request.method.to_reqwest(), url);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(auth) = &self.auth {
            let mut value = HeaderValue::from_str(auth.expose()).map_err(|_| {
                SendError::Connect(
                    "the token contains characters that cannot be sent in a header".into(),
                )
            })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let timeout = self.config.timeout;
        let resp = builder
            .send()
            .await
            .map_err(|e| SendError::classify(&e, timeout))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp
            .bytes()
            .await
            .map_err(|e| SendError::classify(&e, timeout))?;
        tracing::trace!(method = ?request.method, path = %request.path, status, "response");
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

#[cfg(test)]
mod tests;

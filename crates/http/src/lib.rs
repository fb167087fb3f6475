//! The HTTP transport shared by the Kimai and Zammad clients. It knows HTTP, not the APIs:
//! each client builds requests, then turns a [`Response`] or [`SendError`] into its own typed
//! error.
//!
//! What it guarantees, because a sync tool lives or dies by it:
//! - a per-request timeout (30 s by default) and a bound on requests in flight per server;
//! - retries with exponential backoff and jitter, honouring `Retry-After`, **only** where a
//!   retry cannot duplicate a write: idempotent requests on transient failures, and any
//!   request that certainly never reached the server (connection refused, DNS). A `POST`
//!   that may have arrived is never sent twice; exactly-once is the caller's job;
//! - tokens are [`Secret`]s: redacted in `Debug`, zeroized on drop, never in URLs or errors.

mod base_url;
mod retry;
mod secret;
mod transport;

pub use base_url::{BaseUrl, BaseUrlError};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use transport::{HttpConfig, Method, Request, Response, SendError, Transport};

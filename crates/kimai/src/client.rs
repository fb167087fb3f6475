//! The client handle and the calls that are not about timesheets: probing the server, the
//! current user, configuration, the catalog and tags.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use timebridge_http::{BaseUrl, HttpConfig, Method, Request, Response, Secret, Transport};

use crate::error::{decode, from_response, Ctx};
use crate::models::{Activity, Customer, Project, Tag, TimesheetConfig, User, Version};
use crate::query::{ActivityQuery, CustomerQuery, ProjectQuery};
use crate::KimaiError;

/// Reads of one `GET` whose body does not decode, in all.
pub(crate) const DECODE_ATTEMPTS: u32 = 3;

/// The wait before reading again, times the attempt.
const DECODE_BACKOFF: std::time::Duration = std::time::Duration::from_millis(100);

/// A connection to one Kimai instance, authenticated with an API token.
/// `Debug` never shows the token.
#[derive(Clone, Debug)]
pub struct KimaiClient {
    transport: Transport,
}

impl KimaiClient {
    /// A client for `base` (the Kimai root, e.g. `https://kimai.example.com/`) using the
    /// API token `token` as `Authorization: Bearer …`.
    pub fn new(base: BaseUrl, token: Secret, config: HttpConfig) -> Result<Self, KimaiError> {
        let header = Secret::new(format!("Bearer {}", token.expose()));
        let transport = Transport::new(base, Some(header), config)?;
        Ok(Self { transport })
    }

    /// The base URL.
    pub fn base(&self) -> &BaseUrl {
        self.transport.base()
    }

    /// Requests in flight to this Kimai at once (the transport's bound, at least 1): how many
    /// writes the sync engine keeps going.
    pub fn max_concurrency(&self) -> usize {
        self.transport.max_concurrency()
    }

    /// The per-attempt timeout of its requests.
    pub fn timeout(&self) -> std::time::Duration {
        self.transport.timeout()
    }

    /// Sends `req`; a non-2xx answer becomes a [`KimaiError`] read according to `ctx`.
    pub(crate) async fn send(&self, req: &Request, ctx: Ctx) -> Result<Response, KimaiError> {
        let resp = self.transport.send(req).await?;
        if (200..300).contains(&resp.status) {
            Ok(resp)
        } else {
            Err(from_response(&resp, ctx))
        }
    }

    /// Requests sent again so far (after failures, or bodies that did not decode).
    pub fn retries(&self) -> u64 {
        self.transport.retries()
    }

    /// Sends `req` and decodes the JSON answer (see [`Self::read`]).
    pub(crate) async fn fetch<T: DeserializeOwned>(
        &self,
        req: &Request,
        ctx: Ctx,
    ) -> Result<T, KimaiError> {
        self.read(req, ctx, |resp| decode(&resp.body)).await
    }

    /// Sends `req` and reads the answer with `read`. A `GET` whose body does not decode
    /// (garbled or cut short on the way) is read again, up to [`DECODE_ATTEMPTS`] times in
    /// all: reading is always safe to repeat. The same failure every time is a real mismatch,
    /// returned as [`KimaiError::Decode`] with its JSON path. Writes are never repeated here.
    pub(crate) async fn read<T>(
        &self,
        req: &Request,
        ctx: Ctx,
        read: impl Fn(&Response) -> Result<T, KimaiError>,
    ) -> Result<T, KimaiError> {
        let mut attempt = 1;
        loop {
            let resp = self.send(req, ctx).await?;
            match read(&resp) {
                Err(e @ KimaiError::Decode { .. })
                    if req.method() == Method::Get && attempt < DECODE_ATTEMPTS =>
                {
                    tracing::debug!(path = %req.path(), attempt, error = %e, "reading again an answer that did not decode");
                    self.transport.note_retry();
                    tokio::time::sleep(DECODE_BACKOFF * attempt).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// `GET /api/ping`: the server is a Kimai and the token works.
    pub async fn ping(&self) -> Result<(), KimaiError> {
        let resp = self
            .send(&Request::new(Method::Get, "api/ping"), Ctx::Probe)
            .await?;
        match serde_json::from_slice::<Value>(&resp.body) {
            Ok(v) if v.get("message").is_some() => Ok(()),
            _ => Err(KimaiError::NotKimai {
                detail: format!("/api/ping answered {:?}", resp.excerpt()),
            }),
        }
    }

    /// `GET /api/version`.
    pub async fn version(&self) -> Result<Version, KimaiError> {
        let resp = self
            .send(&Request::new(Method::Get, "api/version"), Ctx::Probe)
            .await?;
        decode::<Version>(&resp.body).map_err(|_| KimaiError::NotKimai {
            detail: format!("/api/version answered {:?}", resp.excerpt()),
        })
    }

    /// `GET /api/users/me`: the token's user, with the timezone all wall times are in.
    pub async fn me(&self) -> Result<User, KimaiError> {
        self.fetch(&Request::new(Method::Get, "api/users/me"), Ctx::Plain)
            .await
    }

    /// `GET /api/config/timesheet`.
    pub async fn timesheet_config(&self) -> Result<TimesheetConfig, KimaiError> {
        self.fetch(
            &Request::new(Method::Get, "api/config/timesheet"),
            Ctx::Plain,
        )
        .await
    }

    fn list(path: &str, pairs: Vec<(String, String)>) -> Request {
        pairs
            .into_iter()
            .fold(Request::new(Method::Get, path), |r, (k, v)| r.query(k, v))
    }

    /// `GET /api/customers` (not paginated).
    pub async fn customers(&self, query: &CustomerQuery) -> Result<Vec<Customer>, KimaiError> {
        self.fetch(&Self::list("api/customers", query.pairs()), Ctx::Plain)
            .await
    }

    /// `GET /api/projects` (not paginated; see [`ProjectQuery::ignore_dates`]).
    pub async fn projects(&self, query: &ProjectQuery) -> Result<Vec<Project>, KimaiError> {
        self.fetch(&Self::list("api/projects", query.pairs()), Ctx::Plain)
            .await
    }

    /// `GET /api/activities` (not paginated).
    pub async fn activities(&self, query: &ActivityQuery) -> Result<Vec<Activity>, KimaiError> {
        self.fetch(&Self::list("api/activities", query.pairs()), Ctx::Plain)
            .await
    }

    /// `GET /api/tags` (deprecated by Kimai, still served): all visible tag names.
    pub async fn tags(&self) -> Result<Vec<String>, KimaiError> {
        self.fetch(&Request::new(Method::Get, "api/tags"), Ctx::Plain)
            .await
    }

    /// `GET /api/tags/find?name=…`: tags whose name contains `name`.
    pub async fn find_tags(&self, name: &str) -> Result<Vec<Tag>, KimaiError> {
        let req = Request::new(Method::Get, "api/tags/find").query("name", name);
        self.fetch(&req, Ctx::Plain).await
    }

    /// `POST /api/tags`: the only way to create a tag (timesheet writes drop unknown names).
    pub async fn create_tag(&self, name: &str) -> Result<Tag, KimaiError> {
        let body = serde_json::to_vec(&json!({ "name": name })).unwrap_or_default();
        let req = Request::new(Method::Post, "api/tags").json_body(body);
        self.fetch(&req, Ctx::Plain).await
    }
}

//! [`ZammadClient`]: one typed method per Zammad endpoint the sync needs, built on the shared
//! transport. Paging loops live here so callers always get complete lists (or an error, never
//! a silently truncated read — deletions are detected from full reads, docs/api-notes.md §23).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use timebridge_http::{BaseUrl, HttpConfig, Method, Request, Response, Secret, Transport};

use crate::models::{
    NewTimeAccounting, Organization, Ticket, TimeAccounting, TimeAccountingConfig,
    TimeAccountingType, User,
};
use crate::ZammadError;

/// Page size used for a ticket's time accountings (Zammad's default; its maximum is 1000).
pub const TIME_ACCOUNTINGS_PER_PAGE: u32 = 500;
/// Page size used for ticket search (Zammad's maximum).
pub const SEARCH_PER_PAGE: u32 = 200;
/// A bound on paging loops, so a server that never returns a short page cannot hang a sync.
const MAX_PAGES: u32 = 10_000;

/// A client for one Zammad instance, authenticated with a personal access token.
#[derive(Clone, Debug)]
pub struct ZammadClient {
    transport: Transport,
}

impl ZammadClient {
    /// The helpdesk's address.
    pub fn base_url(&self) -> &BaseUrl {
        self.transport.base()
    }

    /// A client for `base` (the Zammad URL, without `/api/v1`), sending
    /// `Authorization: Token token=<token>`.
    pub fn new(base: BaseUrl, token: Secret, config: HttpConfig) -> Result<Self, ZammadError> {
        let header = Secret::new(format!("Token token={}", token.expose()));
        let transport = Transport::new(base, Some(header), config)?;
        Ok(Self { transport })
    }

    /// The token's user (`GET /api/v1/users/me`). Also the connection check: anything that is
    /// not a Zammad user object is [`ZammadError::NotZammad`].
    pub async fn me(&self) -> Result<User, ZammadError> {
        let req = Request::new(Method::Get, "api/v1/users/me");
        self.read(req, |resp| {
            let value = zammad_json(resp, "/api/v1/users/me", |v| {
                v.get("id").is_some() && v.get("login").is_some()
            })?;
            decode_value(value)
        })
        .await
    }

    /// The time accounting settings, from `GET /api/v1/signshow` → `config`.
    pub async fn time_accounting_config(&self) -> Result<TimeAccountingConfig, ZammadError> {
        let req = Request::new(Method::Get, "api/v1/signshow");
        self.read(req, |resp| {
            let mut value = zammad_json(resp, "/api/v1/signshow", |v| {
                v.get("config").is_some_and(|c| c.is_object())
            })?;
            decode_value(value["config"].take())
        })
        .await
    }

    /// One ticket.
    pub async fn ticket(&self, id: i64) -> Result<Ticket, ZammadError> {
        self.get(Request::new(Method::Get, format!("api/v1/tickets/{id}")))
            .await
    }

    /// One page of all tickets the token can read, by id ascending (`per_page` ≤ 100).
    pub async fn tickets_page(&self, page: u32, per_page: u32) -> Result<Vec<Ticket>, ZammadError> {
        let req = Request::new(Method::Get, "api/v1/tickets")
            .query("page", page.max(1))
            .query("per_page", per_page.clamp(1, 100));
        self.get(req).await
    }

    /// Every readable ticket updated at or after `after`, oldest change first. Uses the SQL
    /// `condition` search, which works without Elasticsearch (docs/api-notes.md §26), and reads all pages.
    pub async fn search_tickets_updated_since(
        &self,
        after: DateTime<Utc>,
    ) -> Result<Vec<Ticket>, ZammadError> {
        let value = after.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let body = serde_json::json!({
                "condition": {
                    "ticket.updated_at": {"operator": "after (absolute)", "value": value}
                },
                "sort_by": "updated_at",
                "order_by": "asc",
                "per_page": SEARCH_PER_PAGE,
                "page": page,
                // Names beside the ids: the organization's name then needs no request of its own.
                "expand": true,
            });
            // A search changes nothing, so resending it is safe.
            let req = Request::new(Method::Post, "api/v1/tickets/search")
                .json_body(body.to_string().into_bytes())
                .idempotent(true);
            let batch: Vec<Ticket> = self.get(req).await?;
            let short = batch.len() < SEARCH_PER_PAGE as usize;
            out.extend(batch);
            if short {
                return Ok(dedup_by_id(out, |t| t.id));
            }
        }
        Err(ZammadError::IncompleteRead {
            what: "ticket search".into(),
            pages: MAX_PAGES,
        })
    }

    /// One organization.
    pub async fn organization(&self, id: i64) -> Result<Organization, ZammadError> {
        self.get(Request::new(
            Method::Get,
            format!("api/v1/organizations/{id}"),
        ))
        .await
    }

    /// All time accountings of a ticket, by id ascending (all pages). Needs change access to
    /// the ticket's group, or `admin.time_accounting`.
    pub async fn time_accountings(
        &self,
        ticket_id: i64,
    ) -> Result<Vec<TimeAccounting>, ZammadError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let req = Request::new(
                Method::Get,
                format!("api/v1/tickets/{ticket_id}/time_accountings"),
            )
            .query("page", page)
            .query("per_page", TIME_ACCOUNTINGS_PER_PAGE);
            let batch: Vec<TimeAccounting> = self.get(req).await?;
            let short = batch.len() < TIME_ACCOUNTINGS_PER_PAGE as usize;
            out.extend(batch);
            if short {
                return Ok(dedup_by_id(out, |t| t.id));
            }
        }
        Err(ZammadError::IncompleteRead {
            what: format!("time accountings of ticket {ticket_id}"),
            pages: MAX_PAGES,
        })
    }

    /// One time accounting of a ticket (404 if it belongs to another ticket).
    pub async fn time_accounting(
        &self,
        ticket_id: i64,
        id: i64,
    ) -> Result<TimeAccounting, ZammadError> {
        let path = format!("api/v1/tickets/{ticket_id}/time_accountings/{id}");
        self.get(Request::new(Method::Get, path)).await
    }

    /// Books time on a ticket as the token's user. Sent once: if the answer is lost, the
    /// entry may exist; the caller must reconcile before trying again.
    pub async fn create_time_accounting(
        &self,
        ticket_id: i64,
        entry: &NewTimeAccounting,
    ) -> Result<TimeAccounting, ZammadError> {
        let body = serde_json::to_vec(entry).map_err(|e| ZammadError::Decode {
            path: ".".into(),
            message: e.to_string(),
        })?;
        let req = Request::new(
            Method::Post,
            format!("api/v1/tickets/{ticket_id}/time_accountings"),
        )
        .json_body(body);
        self.get(req).await
    }

    /// One page of all time accountings of the instance (admin only: `admin.time_accounting`),
    /// by id ascending; `per_page` ≤ 1000. No filters exist (docs/api-notes.md §25).
    pub async fn all_time_accountings_page(
        &self,
        page: u32,
        per_page: u32,
    ) -> Result<Vec<TimeAccounting>, ZammadError> {
        let req = Request::new(Method::Get, "api/v1/time_accountings")
            .query("page", page.max(1))
            .query("per_page", per_page.clamp(1, 1000));
        self.get(req).await
    }

    /// The activity types (admin only: `admin.time_accounting`).
    pub async fn time_accounting_types(&self) -> Result<Vec<TimeAccountingType>, ZammadError> {
        self.get(Request::new(Method::Get, "api/v1/time_accounting/types"))
            .await
    }

    async fn send_raw(&self, req: Request) -> Result<Response, ZammadError> {
        let resp = self.transport.send(&req).await?;
        if (200..300).contains(&resp.status) {
            Ok(resp)
        } else {
            Err(ZammadError::from_response(&resp))
        }
    }

    /// Requests sent again so far (after failures, or bodies that did not decode).
    pub fn retries(&self) -> u64 {
        self.transport.retries()
    }

    async fn get<T: DeserializeOwned>(&self, req: Request) -> Result<T, ZammadError> {
        self.read(req, |resp| decode(&resp.body)).await
    }

    /// Sends `req` and reads the answer with `read`. A `GET` whose body does not decode
    /// (garbled or cut short on the way) is read again, up to [`DECODE_ATTEMPTS`] times in
    /// all: reading is always safe to repeat. The same failure every time is a real mismatch,
    /// returned as it is ([`ZammadError::Decode`] with its JSON path, or `NotZammad`).
    async fn read<T>(
        &self,
        req: Request,
        read: impl Fn(&Response) -> Result<T, ZammadError>,
    ) -> Result<T, ZammadError> {
        let mut attempt = 1;
        loop {
            let resp = self.send_raw(req.clone()).await?;
            match read(&resp) {
                Err(e @ (ZammadError::Decode { .. } | ZammadError::NotZammad { .. }))
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
}

/// Reads of one `GET` whose body does not decode, in all.
const DECODE_ATTEMPTS: u32 = 3;

/// The wait before reading again, times the attempt.
const DECODE_BACKOFF: std::time::Duration = std::time::Duration::from_millis(100);

/// Parses a 2xx body as JSON that passes `looks_right`, else [`ZammadError::NotZammad`].
fn zammad_json(
    resp: &Response,
    what: &str,
    looks_right: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value, ZammadError> {
    match serde_json::from_slice::<serde_json::Value>(&resp.body) {
        Ok(v) if looks_right(&v) => Ok(v),
        Ok(_) => Err(ZammadError::NotZammad {
            detail: format!("{what} answered JSON of another shape: {}", resp.excerpt()),
        }),
        Err(_) => Err(ZammadError::NotZammad {
            detail: format!(
                "{what} answered something that is not JSON: {}",
                resp.excerpt()
            ),
        }),
    }
}

pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ZammadError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| ZammadError::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ZammadError> {
    serde_path_to_error::deserialize(value).map_err(|e| ZammadError::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// Keeps the first occurrence of each id (rows can shift between pages while paging).
fn dedup_by_id<T>(items: Vec<T>, id: impl Fn(&T) -> i64) -> Vec<T> {
    let mut seen = std::collections::BTreeSet::new();
    items.into_iter().filter(|t| seen.insert(id(t))).collect()
}

//! Timesheet calls: paging that cannot drift or mistake a 404 for "no more records", writes
//! that are only retried when repeating them is harmless, and an export setter built on
//! Kimai's toggle.

use serde_json::json;
use timebridge_http::{Method, Request, Response};

use crate::error::{decode, Ctx};
use crate::models::{NewTimesheet, Page, Timesheet, TimesheetPatch};
use crate::query::{Order, TimesheetOrderBy, TimesheetQuery};
use crate::{KimaiClient, KimaiError};

fn header<T: std::str::FromStr>(resp: &Response, name: &str) -> Result<T, KimaiError> {
    let raw = resp.header(name).ok_or_else(|| KimaiError::Decode {
        path: format!("header {name}"),
        message: "missing".into(),
    })?;
    raw.trim().parse().map_err(|_| KimaiError::Decode {
        path: format!("header {name}"),
        message: format!("not a number: {raw:?}"),
    })
}

fn json_body(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

impl KimaiClient {
    /// One page (1-based) of `GET /api/timesheets`. A page past the last is
    /// [`KimaiError::NotFound`], not an empty list.
    pub async fn timesheets_page(
        &self,
        query: &TimesheetQuery,
        page: u32,
    ) -> Result<Page<Timesheet>, KimaiError> {
        let req = query
            .pairs()
            .into_iter()
            .fold(Request::new(Method::Get, "api/timesheets"), |r, (k, v)| {
                r.query(k, v)
            })
            .query("page", page.max(1));
        self.read(&req, Ctx::Plain, |resp| {
            Ok(Page {
                items: decode(&resp.body)?,
                page: header(resp, "X-Page")?,
                total_pages: header(resp, "X-Total-Pages")?,
                total_count: header(resp, "X-Total-Count")?,
                per_page: header(resp, "X-Per-Page")?,
            })
        })
        .await
    }

    /// Every page of `GET /api/timesheets`. Unless the query sets an order, pages by
    /// `orderBy=id&order=ASC` so records written meanwhile cannot shift pages; stops at
    /// `X-Total-Pages` of the first page and never treats a 404 as the end.
    pub async fn timesheets_all(
        &self,
        query: &TimesheetQuery,
    ) -> Result<Vec<Timesheet>, KimaiError> {
        let mut query = query.clone();
        if query.order_by.is_none() {
            query.order_by = Some(TimesheetOrderBy::Id);
            query.order = Some(query.order.unwrap_or(Order::Asc));
        }
        if query.size.is_none() {
            query.size = Some(500);
        }
        let first = self.timesheets_page(&query, 1).await?;
        let total_pages = first.total_pages;
        let mut all = first.items;
        for page in 2..=total_pages {
            all.extend(self.timesheets_page(&query, page).await?.items);
        }
        Ok(all)
    }

    /// `GET /api/timesheets/{id}`.
    pub async fn timesheet(&self, id: i64) -> Result<Timesheet, KimaiError> {
        let req = Request::new(Method::Get, format!("api/timesheets/{id}"));
        self.fetch(&req, Ctx::Plain).await
    }

    /// `POST /api/timesheets`. Never retried once it may have reached the server: check for
    /// a duplicate before creating again.
    pub async fn create_timesheet(&self, new: &NewTimesheet) -> Result<Timesheet, KimaiError> {
        let req = Request::new(Method::Post, "api/timesheets").json_body(json_body(&new.to_json()));
        self.fetch(&req, Ctx::Plain).await
    }

    /// `PATCH /api/timesheets/{id}` (setting fields is idempotent, so it may be retried).
    /// [`KimaiError::Locked`] when the record is exported or in a locked period.
    pub async fn update_timesheet(
        &self,
        id: i64,
        patch: &TimesheetPatch,
    ) -> Result<Timesheet, KimaiError> {
        let req = Request::new(Method::Patch, format!("api/timesheets/{id}"))
            .json_body(json_body(&patch.to_json()))
            .idempotent(true);
        self.fetch(&req, Ctx::Change).await
    }

    /// `DELETE /api/timesheets/{id}` (hard delete).
    pub async fn delete_timesheet(&self, id: i64) -> Result<(), KimaiError> {
        let req = Request::new(Method::Delete, format!("api/timesheets/{id}"));
        self.send(&req, Ctx::Change).await.map(|_| ())
    }

    /// Makes the record's `exported` flag equal `exported`. Kimai's endpoint toggles, so this
    /// reads first, toggles only when needed (never retried), and checks the result.
    pub async fn ensure_exported(&self, id: i64, exported: bool) -> Result<Timesheet, KimaiError> {
        let current = self.timesheet(id).await?;
        self.ensure_exported_from(&current, exported).await
    }

    /// [`Self::ensure_exported`] for a record whose state the caller has *just* received from
    /// Kimai (`current`, e.g. the answer of the write before): toggles only when `current`
    /// differs from `exported` (never retried) and checks the result, without reading again.
    /// Use `ensure_exported` when the state may be older than the previous request.
    pub async fn ensure_exported_from(
        &self,
        current: &Timesheet,
        exported: bool,
    ) -> Result<Timesheet, KimaiError> {
        if current.exported == exported {
            return Ok(current.clone());
        }
        let id = current.id;
        let req =
            Request::new(Method::Patch, format!("api/timesheets/{id}/export")).idempotent(false);
        let after: Timesheet = self.fetch(&req, Ctx::Change).await?;
        if after.exported != exported {
            return Err(KimaiError::Decode {
                path: "exported".into(),
                message: format!("expected {exported} after toggling, got {}", after.exported),
            });
        }
        Ok(after)
    }

    /// `PATCH /api/timesheets/{id}/meta`: sets a meta field registered by a plugin
    /// ([`KimaiError::NotFound`] for an unknown name).
    pub async fn set_meta(
        &self,
        id: i64,
        name: &str,
        value: &str,
    ) -> Result<Timesheet, KimaiError> {
        let body = json!({"name": name, "value": value});
        let req = Request::new(Method::Patch, format!("api/timesheets/{id}/meta"))
            .json_body(json_body(&body))
            .idempotent(true);
        self.fetch(&req, Ctx::Change).await
    }
}

//! The route table of the simulated `/api`, split by concern: catalog and status endpoints,
//! timesheet reads, timesheet writes.

mod catalog;
mod flags;
mod read;
mod write;

use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, patch};
use axum::Router;

use super::model::SeedUser;
use super::{wire, KimaiSim};

/// The handlers' result: both arms are complete responses.
type Res = Result<Response, wire::Reject>;

impl KimaiSim {
    fn auth(&self, headers: &HeaderMap) -> Result<SeedUser, wire::Reject> {
        wire::authenticate(&self.state.lock(), headers)
    }
}

pub(super) fn router(sim: KimaiSim) -> Router {
    Router::new()
        .route("/api/ping", get(catalog::ping))
        .route("/api/version", get(catalog::version))
        .route("/api/users/me", get(catalog::me))
        .route("/api/config/timesheet", get(catalog::config))
        .route("/api/customers", get(catalog::customers))
        .route("/api/projects", get(catalog::projects))
        .route("/api/activities", get(catalog::activities))
        .route("/api/tags", get(catalog::tags).post(catalog::create_tag))
        .route("/api/tags/find", get(catalog::find_tags))
        .route("/api/timesheets", get(read::list).post(write::create))
        .route(
            "/api/timesheets/{id}",
            get(read::get_one)
                .patch(write::update)
                .delete(write::delete),
        )
        .route("/api/timesheets/{id}/export", patch(flags::toggle_export))
        .route("/api/timesheets/{id}/meta", patch(flags::meta))
        .fallback(|| async { wire::not_found() })
        .with_state(sim)
}

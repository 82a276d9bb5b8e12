//! The router: every route of the API, with its middleware. The documented routes come from
//! `routes.rs`, whose routers also give the OpenAPI document its paths.

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::body_deadline;
use crate::middleware::{error_bodies, tracking};
use crate::openapi;
use crate::routes::documented;
use crate::state::AppState;
use crate::telemetry;
use crate::unread_body;
use crate::web_client;

pub fn router(state: AppState) -> Router {
    let (documented, description) = documented(&state.limits).split_for_parts();
    // Served from the routers that serve the routes, so the two cannot drift apart.
    let document = openapi::complete(description);

    Router::new()
        .merge(documented)
        .route("/openapi.json", openapi::serve(document))
        .route("/web/v4/app", get(web_client::app))
        .route("/web/v4/assets/{*path}", get(web_client::file))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            Duration::from_millis(state.limits.body_read_timeout_ms),
            body_deadline::enforce,
        ))
        .layer(axum::middleware::from_fn(error_bodies))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            tracking,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            telemetry::record_requests,
        ))
        // Outermost: it sees the body as the client sent it and the answer as it leaves.
        .layer(axum::middleware::from_fn(unread_body::close_if_unread))
        .with_state(state)
}

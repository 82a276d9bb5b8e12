//! The router: every route of the API, with its middleware. The documented routes come from the
//! API families' routers (`handlers/`), which also give the OpenAPI document its paths.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::body_deadline;
use crate::config::Limits;
use crate::handlers::{health, netverify, platform, web};
use crate::middleware::{error_bodies, require_user_agent, tracking};
use crate::openapi;
use crate::state::AppState;
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
        .with_state(state)
}

/// The routes the OpenAPI document describes, with the layers only they get: the body limits
/// (the upload one on the parts route alone) and the User-Agent rule on `/api` and `/oauth2`.
/// Layers leave the description as the handlers' annotations made it.
pub(crate) fn documented(limits: &Limits) -> OpenApiRouter<AppState> {
    let upload_limit = DefaultBodyLimit::max(limits.max_upload_bytes + 1024 * 1024);
    let json_limit = DefaultBodyLimit::max(limits.max_json_bytes);

    let uploads = platform::uploads().layer(upload_limit);
    let api = platform::router()
        .merge(netverify::router())
        .merge(web::router())
        .layer(json_limit)
        .merge(uploads)
        .layer(axum::middleware::from_fn(require_user_agent));

    OpenApiRouter::new()
        .merge(api)
        .routes(routes!(health::health))
}

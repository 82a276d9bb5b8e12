//! The one list of the documented routes: the API families' routers (`handlers/`), whose
//! handlers' annotations give each route its method and path, and the OpenAPI document its
//! paths. `app.rs` serves them; `openapi.rs` describes them.

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Limits;
use crate::handlers::{health, metrics, netverify, platform, web};
use crate::middleware::require_user_agent;
use crate::state::AppState;

/// The routes the OpenAPI document describes, with the layers only they get: the body limits
/// (the upload one on the parts route alone, performNetverify's on its route) and the User-Agent rule on `/api` and `/oauth2`.
/// Layers leave the description as the handlers' annotations made it.
pub(crate) fn documented(limits: &Limits) -> OpenApiRouter<AppState> {
    let upload_limit = DefaultBodyLimit::max(limits.max_upload_bytes + 1024 * 1024);
    let json_limit = DefaultBodyLimit::max(limits.max_json_bytes);

    let uploads = platform::uploads()
        .merge(netverify::document_uploads())
        .merge(web::document_uploads())
        .layer(upload_limit);
    let performs = netverify::performs().layer(DefaultBodyLimit::max(perform_body_bytes(limits)));
    let api = platform::router()
        .merge(netverify::router())
        .merge(web::router())
        .layer(json_limit)
        .merge(uploads)
        .merge(performs)
        .layer(axum::middleware::from_fn(require_user_agent));

    OpenApiRouter::new()
        .merge(api)
        .routes(routes!(health::health))
        .routes(routes!(metrics::metrics))
}

/// performNetverify's body: three images of the upload limit in base64 (4 characters for 3
/// bytes), with room for line breaks, and the JSON limit for the other fields.
pub(crate) fn perform_body_bytes(limits: &Limits) -> usize {
    let image = limits.max_upload_bytes.div_ceil(3) * 4;
    3 * (image + image / 64) + limits.max_json_bytes
}

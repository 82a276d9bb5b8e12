//! The hosted web client's session API (`/api/v1/web/...`), read with a WEB workflow token; the
//! client's own files are served by `web_client.rs`.

pub mod session;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::session))
        .routes(routes!(session::choose_document))
}

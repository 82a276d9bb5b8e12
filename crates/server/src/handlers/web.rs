//! The hosted web clients' own API (`/api/v1/web/...`): the ID client's session, read with a
//! WEB workflow token, and the Document Verification client's, with its link's token. The
//! clients' own files are served by `web_client.rs`.

pub mod documents;
pub mod session;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::session))
        .routes(routes!(session::choose_document))
        .routes(routes!(documents::session))
        .routes(routes!(documents::finalize))
}

/// The Document Verification client's uploads, up to 10 MB each: `routes.rs` gives them the
/// upload limit.
pub fn document_uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(documents::add_page))
        .routes(routes!(documents::add_document))
}

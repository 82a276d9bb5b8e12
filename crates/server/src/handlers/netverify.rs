//! The netverify API: v4 initiation, performNetverify, the v2 scan retrieval and deletion, and
//! the ID types.

pub mod id_types;
pub mod initiate;
pub mod perform;
pub mod scans;
pub mod transactions;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(id_types::supported))
        .routes(routes!(id_types::accepted))
        .routes(routes!(initiate::initiate))
        .routes(routes!(scans::status, transactions::delete_scan))
        .routes(routes!(scans::data))
        .routes(routes!(scans::data_part))
        .routes(routes!(scans::images))
        .routes(routes!(scans::image))
        .routes(routes!(transactions::delete_authentication))
        .routes(routes!(transactions::delete_document))
}

/// `performNetverify`, whose body holds up to three base64 images: `routes.rs` gives it its
/// own body limit.
pub fn performs() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(perform::perform))
}

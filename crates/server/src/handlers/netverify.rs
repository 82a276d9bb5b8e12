//! The netverify API: v4 initiation, performNetverify, the v2 scan retrieval and deletion, the
//! ID types, and the Document Verification API (acquisitions, their uploads, the documents'
//! retrieval and the supported document types) with its web client's page.

pub mod acquisitions;
pub mod document_client;
pub mod document_types;
pub mod document_uploads;
pub mod documents;
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
        .routes(routes!(scans::liveness_image))
        .routes(routes!(transactions::delete_authentication))
        .routes(routes!(documents::status, transactions::delete_document))
        .routes(routes!(documents::data))
        .routes(routes!(documents::data_part))
        .routes(routes!(documents::pages))
        .routes(routes!(documents::page))
        .routes(routes!(documents::original))
        .routes(routes!(document_types::supported))
        .routes(routes!(acquisitions::initiate, document_client::page))
        .routes(routes!(acquisitions::finalize))
}

/// The Document Verification uploads, up to 10 MB each: `routes.rs` gives them the upload
/// limit.
pub fn document_uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(document_uploads::add_page))
        .routes(routes!(document_uploads::add_document))
        .routes(routes!(acquisitions::complete))
}

/// `performNetverify`, whose body holds up to three base64 images: `routes.rs` gives it its
/// own body limit.
pub fn performs() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(perform::perform))
}

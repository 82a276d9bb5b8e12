//! `GET /api/netverify/v2/supportedDocumentTypes`: the Document Verification guide's standard
//! document types, with their names.

use axum::extract::State;
use axum::Json;
use verifyd_domain::timestamp;
use verifyd_types::document_verification::{SupportedDocumentType, SupportedDocumentTypesResponse};
use verifyd_types::values::DocumentType;

use crate::auth::TenantAuth;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/netverify/v2/supportedDocumentTypes",
    operation_id = "getSupportedDocumentTypes",
    tag = "document verification",
    responses(
        (status = 200, description = "Every standard document type, code and name", body = SupportedDocumentTypesResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn supported(
    State(state): State<AppState>,
    TenantAuth(_caller): TenantAuth,
) -> Json<SupportedDocumentTypesResponse> {
    Json(SupportedDocumentTypesResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        supported_document_types: DocumentType::ALL
            .iter()
            .map(|code| SupportedDocumentType {
                code: *code,
                name: code.name().to_owned(),
            })
            .collect(),
    })
}

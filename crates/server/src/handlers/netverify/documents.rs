//! The Document Verification retrieval API (`/api/netverify/v2/documents/{scanReference}`...):
//! status, details, the pages' images and the original PDF.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use serde_json::Value;
use uuid::Uuid;
use verifyd_domain::model::{DocumentVerification, MediaType};
use verifyd_domain::timestamp;
use verifyd_types::document_verification::{
    DocumentDataPart, DocumentDataResponse, DocumentPageRef, DocumentPagesResponse,
    DocumentStatusResponse,
};
use verifyd_types::{ErrorCode, ErrorResponse, StoredFile};

use super::scans::stamped;
use crate::auth::TenantAuth;
use crate::document_verification::{document, page_href, transaction};
use crate::error::ApiError;
use crate::extract::id;
use crate::handlers::platform::retrieval::file_response;
use crate::state::AppState;

async fn verification(
    state: &AppState,
    caller: &verifyd_domain::model::Caller,
    reference: &str,
) -> Result<(Uuid, DocumentVerification), ApiError> {
    let reference = id("scanReference", reference)?;
    let verification = state
        .verifyd
        .document_verification(caller, reference)
        .await?;
    Ok((reference, verification))
}

fn now(state: &AppState) -> String {
    timestamp::format(state.verifyd.clock().now())
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/documents/{scanReference}",
    operation_id = "getDocumentStatus",
    tag = "document verification",
    params(("scanReference" = uuid::Uuid, Path, description = "The Document Verification transaction")),
    responses(
        (status = 200, description = "DONE or FAILED (not finalized within 15 minutes); PENDING while acquiring or being read", body = DocumentStatusResponse),
        (status = 404, description = "No such transaction, or deleted", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn status(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<DocumentStatusResponse>, ApiError> {
    let (reference, verification) = verification(&state, &caller, &reference).await?;
    Ok(Json(DocumentStatusResponse {
        timestamp: now(&state),
        scan_reference: reference.to_string(),
        status: verification.status(state.verifyd.clock().now()),
    }))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/documents/{scanReference}/data",
    operation_id = "getDocumentData",
    tag = "document verification",
    params(("scanReference" = uuid::Uuid, Path, description = "The Document Verification transaction")),
    responses(
        (status = 200, description = "The document (with what was extracted) and the transaction", body = DocumentDataResponse),
        (status = 404, description = "No such transaction, or deleted", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn data(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<DocumentDataResponse>, ApiError> {
    let (reference, verification) = verification(&state, &caller, &reference).await?;
    Ok(Json(DocumentDataResponse {
        timestamp: now(&state),
        scan_reference: reference.to_string(),
        document: document(&state.links, &verification),
        transaction: transaction(&verification, state.verifyd.clock().now()),
    }))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/documents/{scanReference}/data/{part}",
    operation_id = "getDocumentDataPart",
    tag = "document verification",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The Document Verification transaction"),
        ("part" = DocumentDataPart, Path, description = "document or transaction"),
    ),
    responses(
        (status = 200, description = "That part of /data (as in DocumentDataResponse), with timestamp and scanReference", body = serde_json::Value),
        (status = 404, description = "No such transaction or part", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn data_part(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((reference, part)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (reference, verification) = verification(&state, &caller, &reference).await?;
    match part.as_str() {
        "document" => stamped(&state, reference, document(&state.links, &verification)),
        "transaction" => stamped(
            &state,
            reference,
            transaction(&verification, state.verifyd.clock().now()),
        ),
        _ => Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "the data parts are document and transaction",
        )),
    }
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/documents/{scanReference}/pages",
    operation_id = "listDocumentPages",
    tag = "document verification",
    params(("scanReference" = uuid::Uuid, Path, description = "The Document Verification transaction")),
    responses(
        (status = 200, description = "The pages' images, by page number", body = DocumentPagesResponse),
        (status = 404, description = "No such transaction, or deleted", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn pages(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<DocumentPagesResponse>, ApiError> {
    let reference = id("scanReference", &reference)?;
    let pages = state
        .verifyd
        .document_page_images(&caller, reference)
        .await?;
    Ok(Json(DocumentPagesResponse {
        timestamp: now(&state),
        scan_reference: reference.to_string(),
        images: pages
            .iter()
            .map(|page| DocumentPageRef {
                classifier: page.number,
                href: page_href(&state.links, reference, page.number),
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/documents/{scanReference}/pages/{page}",
    operation_id = "getDocumentPage",
    tag = "document verification",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The Document Verification transaction"),
        ("page" = u32, Path, description = "The page number"),
    ),
    responses(
        (status = 200, description = "The page's image (a PDF page's scanned image)", content(
            (StoredFile = "image/jpeg"),
            (StoredFile = "image/png"),
        ), headers(
            ("X-Content-Type-Options" = String, description = "nosniff: the content is what Content-Type says"),
            ("Content-Disposition" = String, description = "attachment, with a file name made of the page number"),
            ("Content-Security-Policy" = String, description = "default-src 'none'; sandbox"),
        )),
        (status = 404, description = "No such transaction or page", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn page(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((reference, page)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let reference = id("scanReference", &reference)?;
    let number = page.parse::<u32>().map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            ErrorCode::PartNotFound,
            "no such page",
        )
    })?;
    let (media_type, bytes) = state
        .verifyd
        .document_page_image(&caller, reference, number)
        .await?;
    Ok(file_response(media_type, &format!("page-{number}"), bytes))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/documents/{scanReference}/original",
    operation_id = "getDocumentOriginal",
    tag = "document verification",
    params(("scanReference" = uuid::Uuid, Path, description = "The Document Verification transaction")),
    responses(
        (status = 200, description = "The PDF as it was uploaded", content((StoredFile = "application/pdf"))),
        (status = 404, description = "No such transaction, or no PDF was uploaded", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn original(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Response, ApiError> {
    let reference = id("scanReference", &reference)?;
    let bytes = state.verifyd.document_original(&caller, reference).await?;
    Ok(file_response(MediaType::Pdf, "original", bytes))
}

//! The Document Verification API's transactions: initiation (`POST .../acquisitions`),
//! finalization (`PUT .../acquisitions/{scanReference}`) and the single-page upload that does
//! both with one page (`POST .../acquisitions/complete`).

use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::Json;
use bytes::Bytes;
use verifyd_domain::rules::document_verification;
use verifyd_domain::service::DocumentUploader;
use verifyd_domain::timestamp;
use verifyd_types::document_verification::{
    AcquisitionRequest, AcquisitionResponse, DocumentSubmission, TimestampResponse,
};
use verifyd_types::{ErrorCode, ErrorResponse, RateLimitedResponse};

use super::document_uploads::{read_upload, required_file};
use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::{id, json_body};
use crate::handlers::platform::accounts::limit_initiations;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/netverify/v2/acquisitions",
    operation_id = "initiateDocumentVerification",
    tag = "document verification",
    request_body = AcquisitionRequest,
    responses(
        (status = 200, description = "The transaction, taking pages through the API for 5 minutes after each update, and its web client's clientRedirectUrl, valid for authorizationTokenLifetime", body = AcquisitionResponse),
        (status = 400, description = "A field breaks a rule (the message names it)", body = ErrorResponse),
        (status = 429, description = "More initiations than the tenant's rate limits allow", body = RateLimitedResponse, headers(("Retry-After" = u64, description = "Seconds until an initiation may succeed"))),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn initiate(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AcquisitionResponse>, ApiError> {
    limit_initiations(&state, &caller).await?;
    let request: AcquisitionRequest = json_body(&headers, &body)?;
    let request =
        document_verification::validate(&request, state.verifyd.policy().allow_local_urls)?;
    let (verification, token) = state
        .verifyd
        .initiate_document_verification(&caller, request)
        .await?;
    Ok(Json(AcquisitionResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        scan_reference: verification.id.to_string(),
        client_redirect_url: Some(state.links.document_client(&token)),
    }))
}

#[utoipa::path(
    put,
    path = "/api/netverify/v2/acquisitions/{scanReference}",
    operation_id = "finalizeDocumentVerification",
    tag = "document verification",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction initiated or updated less than 5 minutes ago")),
    responses(
        (status = 200, description = "Finalized: a worker reads the pages, then the callback is sent", body = TimestampResponse),
        (status = 400, description = "No page was uploaded", body = ErrorResponse),
        (status = 404, description = "No such transaction", body = ErrorResponse),
        (status = 409, description = "Finalized already, or not updated for 5 minutes", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn finalize(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<TimestampResponse>, ApiError> {
    finalize_as(&state, DocumentUploader::Tenant(&caller), &reference).await
}

/// A finalization, by the tenant or by the web client.
pub(crate) async fn finalize_as(
    state: &AppState,
    uploader: DocumentUploader<'_>,
    reference: &str,
) -> Result<Json<TimestampResponse>, ApiError> {
    let reference = id("scanReference", reference)?;
    state
        .verifyd
        .finalize_document_verification(uploader, reference)
        .await?;
    Ok(Json(TimestampResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
    }))
}

#[utoipa::path(
    post,
    path = "/api/netverify/v2/acquisitions/complete",
    operation_id = "completeDocumentVerification",
    tag = "document verification",
    request_body(description = "multipart/form-data: image (a JPEG, PNG or single-page PDF, at most 10 MB) and metadata (the JSON of AcquisitionRequest)", content((DocumentSubmission = "multipart/form-data"))),
    responses(
        (status = 200, description = "Initiated, the page stored and finalized", body = AcquisitionResponse),
        (status = 400, description = "The metadata breaks a rule, or the file is not one verifyd takes", body = ErrorResponse),
        (status = 413, description = "The file exceeds 10 MB", body = ErrorResponse),
        (status = 415, description = "Not multipart/form-data, or not a JPEG, PNG or PDF", body = ErrorResponse),
        (status = 429, description = "More initiations than the tenant's rate limits allow", body = RateLimitedResponse, headers(("Retry-After" = u64, description = "Seconds until an initiation may succeed"))),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn complete(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    request: Request,
) -> Result<Json<AcquisitionResponse>, ApiError> {
    limit_initiations(&state, &caller).await?;
    let mut upload = read_upload(request, &state).await?;
    let metadata = upload.metadata.take().ok_or_else(|| {
        ApiError::bad_request(
            ErrorCode::InvalidField,
            "metadata: is required (a multipart field holding the JSON of the document's details)",
        )
    })?;
    let request: AcquisitionRequest = serde_json::from_slice(&metadata).map_err(|error| {
        let code = match error.classify() {
            serde_json::error::Category::Data => ErrorCode::InvalidJson,
            _ => ErrorCode::MalformedJson,
        };
        ApiError::bad_request(code, format!("metadata: {error}"))
    })?;
    let request =
        document_verification::validate(&request, state.verifyd.policy().allow_local_urls)?;
    let file = required_file(&mut upload)?;
    let verification = state
        .verifyd
        .complete_document_verification(&caller, request, file)
        .await?;
    Ok(Json(AcquisitionResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        scan_reference: verification.id.to_string(),
        client_redirect_url: None,
    }))
}

//! The Document Verification web client's own calls, authorized by the `initiationToken` of
//! its `clientRedirectUrl` (not the tenant's credentials): the session it starts from, the
//! pages or PDF the user chose, and the finalization. The uploads and the finalization are the
//! API's own (`netverify::document_uploads`, `netverify::acquisitions`) with the token as the
//! uploader, so the same checks, PDF sandbox and limits apply.

use axum::extract::{Path, Request, State};
use axum::Json;
use verifyd_domain::model::max_pages;
use verifyd_domain::service::document_verification::MAX_FILE_BYTES;
use verifyd_domain::service::DocumentUploader;
use verifyd_domain::timestamp;
use verifyd_types::document_verification::{DocumentFile, DocumentPagesAdded, TimestampResponse};
use verifyd_types::document_web::DocumentWebSessionResponse;
use verifyd_types::ErrorResponse;

use crate::auth::InitiationTokenAuth;
use crate::error::ApiError;
use crate::handlers::netverify::acquisitions::finalize_as;
use crate::handlers::netverify::document_uploads::{store_page, store_pdf};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/web/document-session",
    operation_id = "getDocumentWebSession",
    tag = "web",
    responses(
        (status = 200, description = "The transaction the token opens, in any state, its web client settings and where to upload", body = DocumentWebSessionResponse),
        (status = 401, description = "No token, or one that opens no transaction", body = ErrorResponse),
    ),
    security(("initiationToken" = []))
)]
pub async fn session(
    State(state): State<AppState>,
    InitiationTokenAuth(token): InitiationTokenAuth,
) -> Result<Json<DocumentWebSessionResponse>, ApiError> {
    let session = state.verifyd.document_web_session(&token).await?;
    let verification = &session.verification;
    let web = &verification.request.web;
    let acquisition = state.links.document_client_acquisition(verification.id);
    Ok(Json(DocumentWebSessionResponse {
        scan_reference: verification.id.to_string(),
        acquisition: session.state,
        document_type: verification.request.document_type,
        max_pages: max_pages(verification.request.document_type),
        max_total_bytes: MAX_FILE_BYTES as u64,
        locale: web.locale.clone(),
        base_color: web.colors.as_ref().map(|colors| colors.base.clone()),
        bg_color: web.colors.as_ref().map(|colors| colors.background.clone()),
        success_url: web.success_url.clone(),
        error_url: web.error_url.clone(),
        token_expires_at: verification
            .initiation_token
            .as_ref()
            .map(|token| timestamp::format(token.expires_at))
            .unwrap_or_default(),
        pages_href: format!("{acquisition}/document/pages"),
        document_href: format!("{acquisition}/document"),
        finalize_href: acquisition,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/web/acquisitions/{scanReference}/document/pages/{page}",
    operation_id = "addDocumentPageWithLink",
    tag = "web",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The transaction the token opens"),
        ("page" = u32, Path, minimum = 1, maximum = 30, description = "Page number, 1 to 30 (1 to 2 for type CC)"),
    ),
    request_body(description = "A JPEG, PNG or single-page PDF (at most 10 MB, 8000 x 8000) in a field named image", content((DocumentFile = "multipart/form-data"))),
    responses(
        (status = 200, description = "The page is stored (replacing one of the same number)", body = TimestampResponse),
        (status = 400, description = "The file is not one verifyd takes, a multi-page PDF, or the page number is out of range", body = ErrorResponse),
        (status = 401, description = "No token, one that opens no transaction, or an expired one (TOKEN_EXPIRED)", body = ErrorResponse),
        (status = 403, description = "The token opens another transaction", body = ErrorResponse),
        (status = 409, description = "The transaction was finalized", body = ErrorResponse),
        (status = 413, description = "The file exceeds 10 MB", body = ErrorResponse),
        (status = 415, description = "Not multipart/form-data, or not a JPEG, PNG or PDF", body = ErrorResponse),
    ),
    security(("initiationToken" = []))
)]
pub async fn add_page(
    State(state): State<AppState>,
    InitiationTokenAuth(token): InitiationTokenAuth,
    Path((reference, page)): Path<(String, String)>,
    request: Request,
) -> Result<Json<TimestampResponse>, ApiError> {
    let uploader = DocumentUploader::WebClient(&token);
    store_page(&state, uploader, &reference, &page, request).await
}

#[utoipa::path(
    post,
    path = "/api/v1/web/acquisitions/{scanReference}/document",
    operation_id = "addDocumentPdfWithLink",
    tag = "web",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction the token opens")),
    request_body(description = "A PDF of at most 30 pages (2 for type CC) and 10 MB, in a field named image", content((DocumentFile = "multipart/form-data"))),
    responses(
        (status = 200, description = "The PDF's pages replace the transaction's pages", body = DocumentPagesAdded),
        (status = 400, description = "Not a readable PDF, too many pages, or a page verifyd cannot read", body = ErrorResponse),
        (status = 401, description = "No token, one that opens no transaction, or an expired one (TOKEN_EXPIRED)", body = ErrorResponse),
        (status = 403, description = "The token opens another transaction", body = ErrorResponse),
        (status = 409, description = "The transaction was finalized", body = ErrorResponse),
        (status = 413, description = "The file exceeds 10 MB", body = ErrorResponse),
        (status = 415, description = "Not multipart/form-data, or not a PDF", body = ErrorResponse),
    ),
    security(("initiationToken" = []))
)]
pub async fn add_document(
    State(state): State<AppState>,
    InitiationTokenAuth(token): InitiationTokenAuth,
    Path(reference): Path<String>,
    request: Request,
) -> Result<Json<DocumentPagesAdded>, ApiError> {
    store_pdf(
        &state,
        DocumentUploader::WebClient(&token),
        &reference,
        request,
    )
    .await
}

#[utoipa::path(
    put,
    path = "/api/v1/web/acquisitions/{scanReference}",
    operation_id = "finalizeDocumentVerificationWithLink",
    tag = "web",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction the token opens")),
    responses(
        (status = 200, description = "Finalized: a worker reads the pages, then the callback is sent", body = TimestampResponse),
        (status = 400, description = "No page was uploaded", body = ErrorResponse),
        (status = 401, description = "No token, one that opens no transaction, or an expired one (TOKEN_EXPIRED)", body = ErrorResponse),
        (status = 403, description = "The token opens another transaction", body = ErrorResponse),
        (status = 409, description = "Finalized already", body = ErrorResponse),
    ),
    security(("initiationToken" = []))
)]
pub async fn finalize(
    State(state): State<AppState>,
    InitiationTokenAuth(token): InitiationTokenAuth,
    Path(reference): Path<String>,
) -> Result<Json<TimestampResponse>, ApiError> {
    finalize_as(&state, DocumentUploader::WebClient(&token), &reference).await
}

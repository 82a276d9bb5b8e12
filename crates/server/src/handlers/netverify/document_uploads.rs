//! The Document Verification API's uploads: a page (`.../document/pages/{page}`) and a whole
//! PDF (`.../document`), each as multipart/form-data, and the multipart reading that
//! `acquisitions/complete` shares. The web client's uploads (`handlers/web/documents.rs`) run
//! the same code with its link's token as the uploader.

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::Json;
use verifyd_domain::service::document_verification::MAX_FILE_BYTES;
use verifyd_domain::service::DocumentUploader;
use verifyd_domain::timestamp;
use verifyd_types::document_verification::{DocumentFile, DocumentPagesAdded, TimestampResponse};
use verifyd_types::{ErrorCode, ErrorResponse};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::multipart;
use crate::state::AppState;

/// The parts of a Document Verification upload.
#[derive(Default)]
pub(crate) struct Upload {
    /// The file: the field named `image` (any case), else the first field with a file name.
    pub file: Option<Bytes>,
    /// `acquisitions/complete`'s JSON `metadata` field.
    pub metadata: Option<Bytes>,
}

/// Reads a multipart body, each field capped while streaming: the file at the guide's 10 MB,
/// the metadata at the JSON limit.
pub(crate) async fn read_upload(request: Request, state: &AppState) -> Result<Upload, ApiError> {
    let mut body = multipart::multipart(
        request,
        state,
        "send the file as multipart/form-data in a field named image",
    )
    .await?;
    let mut upload = Upload::default();
    while let Some(mut field) = multipart::next_field(&mut body).await? {
        let name = field.name().unwrap_or_default().to_ascii_lowercase();
        if name == "metadata" {
            let max = state.limits.max_json_bytes;
            upload.metadata = Some(
                multipart::capped(&mut field, max, ErrorCode::BodyTooLarge, "the metadata").await?,
            );
        } else if name == "image" || (field.file_name().is_some() && upload.file.is_none()) {
            let file = multipart::capped(
                &mut field,
                MAX_FILE_BYTES,
                ErrorCode::FileTooLarge,
                "the file",
            )
            .await?;
            if name == "image" || upload.file.is_none() {
                upload.file = Some(file);
            }
        }
    }
    Ok(upload)
}

pub(crate) fn required_file(upload: &mut Upload) -> Result<Bytes, ApiError> {
    upload.file.take().ok_or_else(|| {
        ApiError::bad_request(
            ErrorCode::MissingFile,
            "the multipart body has no field named image (nor any file)",
        )
    })
}

/// `page`: a number from 1 to 30, as the guide's "string, max. length 2".
fn page_number(page: &str) -> Result<u32, ApiError> {
    page.parse::<u32>().map_err(|_| {
        ApiError::bad_request(
            ErrorCode::TooManyPages,
            "page must be a number from 1 to 30",
        )
    })
}

#[utoipa::path(
    post,
    path = "/api/netverify/v2/acquisitions/{scanReference}/document/pages/{page}",
    operation_id = "addDocumentPage",
    tag = "document verification",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The transaction initiated or updated less than 5 minutes ago"),
        ("page" = u32, Path, minimum = 1, maximum = 30, description = "Page number, 1 to 30 (1 to 2 for type CC)"),
    ),
    request_body(description = "A JPEG, PNG or single-page PDF (at most 10 MB, 8000 x 8000) in a field named image", content((DocumentFile = "multipart/form-data"))),
    responses(
        (status = 200, description = "The page is stored (replacing one of the same number)", body = TimestampResponse),
        (status = 400, description = "The file is not one verifyd takes, a multi-page PDF, or the page number is out of range", body = ErrorResponse),
        (status = 404, description = "No such transaction", body = ErrorResponse),
        (status = 409, description = "The transaction was finalized, or not updated for 5 minutes", body = ErrorResponse),
        (status = 413, description = "The file exceeds 10 MB", body = ErrorResponse),
        (status = 415, description = "Not multipart/form-data, or not a JPEG, PNG or PDF", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn add_page(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((reference, page)): Path<(String, String)>,
    request: Request,
) -> Result<Json<TimestampResponse>, ApiError> {
    store_page(
        &state,
        DocumentUploader::Tenant(&caller),
        &reference,
        &page,
        request,
    )
    .await
}

/// A page upload, by the tenant or by the web client.
pub(crate) async fn store_page(
    state: &AppState,
    uploader: DocumentUploader<'_>,
    reference: &str,
    page: &str,
    request: Request,
) -> Result<Json<TimestampResponse>, ApiError> {
    let reference = id("scanReference", reference)?;
    let number = page_number(page)?;
    // Refused before reading up to 10 MB of body.
    state
        .verifyd
        .check_document_upload(uploader, reference, Some(number))
        .await?;
    let mut upload = read_upload(request, state).await?;
    let file = required_file(&mut upload)?;
    state
        .verifyd
        .add_document_page(uploader, reference, number, file)
        .await?;
    Ok(Json(TimestampResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
    }))
}

#[utoipa::path(
    post,
    path = "/api/netverify/v2/acquisitions/{scanReference}/document",
    operation_id = "addDocumentPdf",
    tag = "document verification",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction initiated or updated less than 5 minutes ago")),
    request_body(description = "A PDF of at most 30 pages (2 for type CC) and 10 MB, in a field named image", content((DocumentFile = "multipart/form-data"))),
    responses(
        (status = 200, description = "The PDF's pages replace the transaction's pages", body = DocumentPagesAdded),
        (status = 400, description = "Not a readable PDF, too many pages, or a page verifyd cannot read", body = ErrorResponse),
        (status = 404, description = "No such transaction", body = ErrorResponse),
        (status = 409, description = "The transaction was finalized, or not updated for 5 minutes", body = ErrorResponse),
        (status = 413, description = "The file exceeds 10 MB", body = ErrorResponse),
        (status = 415, description = "Not multipart/form-data, or not a PDF", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn add_document(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
    request: Request,
) -> Result<Json<DocumentPagesAdded>, ApiError> {
    store_pdf(
        &state,
        DocumentUploader::Tenant(&caller),
        &reference,
        request,
    )
    .await
}

/// A whole PDF's upload, by the tenant or by the web client.
pub(crate) async fn store_pdf(
    state: &AppState,
    uploader: DocumentUploader<'_>,
    reference: &str,
    request: Request,
) -> Result<Json<DocumentPagesAdded>, ApiError> {
    let reference = id("scanReference", reference)?;
    state
        .verifyd
        .check_document_upload(uploader, reference, None)
        .await?;
    let mut upload = read_upload(request, state).await?;
    let file = required_file(&mut upload)?;
    let pages = state
        .verifyd
        .add_document_pdf(uploader, reference, file)
        .await?;
    Ok(Json(DocumentPagesAdded {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        pages,
    }))
}

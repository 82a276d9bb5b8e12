//! Images (and other parts) of a credential.

use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use verifyd_domain::model::{Classifier, MediaType};
use verifyd_types::{ErrorCode, ErrorResponse, PartClassifier, PreparedData, StoredFile};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/accounts/{accountId}/credentials/{credentialId}/parts/{classifier}",
    operation_id = "getPart",
    tag = "retrieval",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("credentialId" = uuid::Uuid, Path, description = "UUID of the credential"),
        ("classifier" = PartClassifier, Path, description = "FRONT, BACK, FACE, FACEMAP, DOCUMENT, LIVENESS_1 to LIVENESS_64 or PREPARED_DATA"),
    ),
    responses(
        (status = 200, description = "The stored bytes (an image up to its end marker), with the content type they were uploaded as", content(
            (StoredFile = "image/jpeg"),
            (StoredFile = "image/png"),
            (StoredFile = "application/pdf"),
            (StoredFile = "application/octet-stream"),
            (PreparedData = "application/json"),
        ), headers(
            ("X-Content-Type-Options" = String, description = "nosniff: the content is what Content-Type says"),
            ("Content-Disposition" = String, description = "attachment, with a file name made of the classifier"),
            ("Content-Security-Policy" = String, description = "default-src 'none'; sandbox"),
        )),
        (status = 404, description = "No such part, or deleted", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn part(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((account, credential, classifier)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let account = id("accountId", &account)?;
    let credential = id("credentialId", &credential)?;
    let classifier = classifier
        .parse::<Classifier>()
        .map_err(|message| ApiError::bad_request(ErrorCode::UnknownClassifier, message))?;
    let (part, bytes) = state
        .verifyd
        .part_content(&caller, account, credential, classifier)
        .await?;
    Ok(part_response(&part, bytes))
}

/// A part's bytes with its media type; never cached, since it is personal data. An upload is
/// untrusted content served from the API's own origin, so a browser must take it for what its
/// type says and nothing else: no sniffing (a JPEG that is also an HTML page stays a JPEG), a
/// download rather than a page, and no script or plugin even if it were opened as one.
pub(crate) fn part_response(part: &verifyd_domain::model::Part, bytes: bytes::Bytes) -> Response {
    // The classifier is one of a closed set of upper-case words and LIVENESS_n: a safe name.
    file_response(
        part.media_type,
        &part.classifier.to_string().to_lowercase(),
        bytes,
    )
}

/// Stored bytes served as `part_response` says; `name` must be a safe file name without its
/// extension.
pub(crate) fn file_response(media_type: MediaType, name: &str, bytes: bytes::Bytes) -> Response {
    let extension = match media_type {
        MediaType::Jpeg => "jpg",
        MediaType::Png => "png",
        MediaType::Pdf => "pdf",
        MediaType::Json => "json",
        MediaType::OctetStream => "bin",
    };
    let disposition = format!("attachment; filename=\"{name}.{extension}\"");
    let mut response = (
        [
            (CONTENT_TYPE, HeaderValue::from_static(media_type.as_str())),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
        ],
        bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(CONTENT_DISPOSITION, value);
    }
    response
}

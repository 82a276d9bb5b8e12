//! Images (and other parts) of a credential.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use verifyd_domain::model::Classifier;
use verifyd_types::{ErrorResponse, PartClassifier, PreparedData, StoredFile};

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
        (status = 200, description = "The stored bytes, with the content type they were uploaded as", content(
            (StoredFile = "image/jpeg"),
            (StoredFile = "image/png"),
            (StoredFile = "application/pdf"),
            (StoredFile = "application/octet-stream"),
            (PreparedData = "application/json"),
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
        .map_err(|message| ApiError::bad_request("UNKNOWN_CLASSIFIER", message))?;
    let (part, bytes) = state
        .verifyd
        .part_content(&caller, account, credential, classifier)
        .await?;
    Ok(part_response(&part, bytes))
}

/// A part's bytes with its media type; never cached, since it is personal data.
pub(super) fn part_response(part: &verifyd_domain::model::Part, bytes: bytes::Bytes) -> Response {
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static(part.media_type.as_str()),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

//! multipart/form-data uploads as the API reads them: the content type checked first, each
//! field read with its size cap while it streams, and the framework's failures turned into the
//! API's errors. The parts API and the Document Verification uploads share it.

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use verifyd_types::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

/// The request's content type, lower-cased ("" when there is none).
pub(crate) fn content_type(request: &Request) -> String {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The body as multipart/form-data; anything else is 415 saying what to send.
pub(crate) async fn multipart(
    request: Request,
    state: &AppState,
    expected: &'static str,
) -> Result<Multipart, ApiError> {
    if !content_type(&request).starts_with("multipart/form-data") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            expected,
        ));
    }
    Multipart::from_request(request, state)
        .await
        .map_err(|rejection| {
            ApiError::bad_request(ErrorCode::InvalidMultipart, rejection.body_text())
        })
}

/// The next field, if any.
pub(crate) async fn next_field(multipart: &mut Multipart) -> Result<Option<Field<'_>>, ApiError> {
    multipart.next_field().await.map_err(error)
}

/// A field's bytes; past `max` it is refused with 413 and `code` (`what` names it).
pub(crate) async fn capped(
    field: &mut Field<'_>,
    max: usize,
    code: ErrorCode,
    what: &str,
) -> Result<Bytes, ApiError> {
    let mut buffer = BytesMut::new();
    while let Some(chunk) = field.chunk().await.map_err(error)? {
        if buffer.len() + chunk.len() > max {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                code,
                format!("{what} exceeds {max} bytes"),
            ));
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(buffer.freeze())
}

fn error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(error.status(), ErrorCode::FileTooLarge, error.body_text())
    } else {
        ApiError::bad_request(ErrorCode::InvalidMultipart, error.body_text())
    }
}

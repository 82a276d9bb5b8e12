//! Request extractors whose failures become the API's own errors.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use verifyd_types::ErrorCode;

use crate::error::ApiError;

/// JSON body; malformed JSON and wrong types are 400 with serde's message (which names the field).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "the body must be JSON (Content-Type: application/json)",
            )),
            Err(JsonRejection::JsonSyntaxError(error)) => Err(ApiError::bad_request(
                ErrorCode::MalformedJson,
                error.body_text(),
            )),
            Err(JsonRejection::JsonDataError(error)) => Err(ApiError::bad_request(
                ErrorCode::InvalidJson,
                error.body_text(),
            )),
            Err(other) => Err(ApiError::new(
                other.status(),
                ErrorCode::InvalidBody,
                other.body_text(),
            )),
        }
    }
}

/// A JSON body read as bytes and parsed where the caller chooses (off the async runtime when it
/// is large), its failures the same as `ApiJson`'s.
pub fn json_body<T: DeserializeOwned>(
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Result<T, ApiError> {
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            let essence = value.split(';').next().unwrap_or_default();
            essence.trim().to_ascii_lowercase()
        })
        .is_some_and(|essence| {
            essence == "application/json"
                || (essence.starts_with("application/") && essence.ends_with("+json"))
        });
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "the body must be JSON (Content-Type: application/json)",
        ));
    }
    serde_json::from_slice(body).map_err(|error| {
        let code = match error.classify() {
            serde_json::error::Category::Data => ErrorCode::InvalidJson,
            _ => ErrorCode::MalformedJson,
        };
        ApiError::bad_request(code, error.to_string())
    })
}

/// A UUID path segment; anything else is a clear 400 naming the parameter.
pub fn id(name: &str, value: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value)
        .map_err(|_| ApiError::bad_request(ErrorCode::InvalidId, format!("{name} must be a UUID")))
}

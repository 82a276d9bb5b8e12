//! The body of every unsuccessful response.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error_code::ErrorCode;

/// `httpStatus`, `message` and `requestURI` are the vendor's fields; `code` is verifyd's stable
/// machine-readable reason, for integrations that branch on the cause.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct ErrorResponse {
    #[serde(rename = "httpStatus")]
    pub http_status: String,
    pub code: ErrorCode,
    pub message: String,
    #[serde(rename = "requestURI")]
    pub request_uri: String,
}

/// The body of a 429: the vendor's own shape for rate limiting (`title`, `status`, `detail`),
/// plus verifyd's `code`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct RateLimitedResponse {
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
}

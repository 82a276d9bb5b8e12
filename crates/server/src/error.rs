//! The one mapping from errors to HTTP. Every error response is JSON with the vendor's
//! `httpStatus`, `message` and `requestURI` plus a stable machine `code`; internal errors are an
//! opaque 500 whose cause goes to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use verifyd_domain::inspector::PartRejection;
use verifyd_domain::DomainError;

/// Carried in the response's extensions; the error-rendering middleware writes the body, because
/// only it knows the request URI.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Set for 429: seconds until the next attempt may succeed.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Too many requests: rendered with the vendor's own 429 body.
    pub fn rate_limited(retry_after_seconds: u64) -> Self {
        Self {
            retry_after: Some(retry_after_seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                "Request limit exceeded",
            )
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    /// Logs the cause and hides it from the caller.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "an internal error occurred; it has been logged",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(seconds) = self.retry_after {
            // The vendor's 429 body (`title`, `status`, `detail`), plus verifyd's `code`.
            let body = verifyd_types::RateLimitedResponse {
                title: "Too Many Requests".to_owned(),
                status: self.status.as_u16(),
                detail: self.message,
                code: self.code.to_owned(),
            };
            return (
                self.status,
                [(axum::http::header::RETRY_AFTER, seconds.to_string())],
                axum::Json(body),
            )
                .into_response();
        }
        let mut response = self.status.into_response();
        response.extensions_mut().insert(ErrorInfo {
            code: self.code,
            message: self.message,
        });
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        use DomainError as E;
        match error {
            E::InvalidField(field) => ApiError::bad_request("INVALID_FIELD", field.to_string()),
            E::NotFound(resource) => ApiError::new(
                StatusCode::NOT_FOUND,
                match resource {
                    verifyd_domain::error::Resource::Tenant => "TENANT_NOT_FOUND",
                    verifyd_domain::error::Resource::Account => "ACCOUNT_NOT_FOUND",
                    verifyd_domain::error::Resource::WorkflowExecution => {
                        "WORKFLOW_EXECUTION_NOT_FOUND"
                    }
                    verifyd_domain::error::Resource::Credential => "CREDENTIAL_NOT_FOUND",
                    verifyd_domain::error::Resource::Part => "PART_NOT_FOUND",
                    verifyd_domain::error::Resource::Transaction => "TRANSACTION_NOT_FOUND",
                },
                format!("{resource} not found"),
            ),
            E::Forbidden { code, message } => ApiError::forbidden(code, message),
            E::Invalid { code, message } => ApiError::bad_request(code, message),
            E::Conflict { code, message } => ApiError::new(StatusCode::CONFLICT, code, message),
            E::PrerequisiteNotMet(message) => {
                ApiError::bad_request("PREREQUISITE_NOT_MET", message)
            }
            E::TokenExpired => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "TOKEN_EXPIRED",
                error_text(&E::TokenExpired),
            ),
            E::SessionExpired => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "SESSION_EXPIRED",
                error_text(&E::SessionExpired),
            ),
            E::PartRejected(rejection) => rejection_error(rejection),
            E::Repository(cause) => ApiError::internal(cause),
            E::BlobStore(cause) => ApiError::internal(cause),
            E::ServerSecret(cause) => ApiError::internal(cause),
            E::Internal(cause) => ApiError::internal(cause),
        }
    }
}

fn error_text(error: &DomainError) -> String {
    error.to_string()
}

fn rejection_error(rejection: PartRejection) -> ApiError {
    let message = rejection.to_string();
    match rejection {
        PartRejection::Empty => ApiError::bad_request("EMPTY_FILE", message),
        PartRejection::TooLarge { .. } => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "FILE_TOO_LARGE", message)
        }
        PartRejection::WrongFormat { .. } => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_FILE_TYPE",
            message,
        ),
        PartRejection::DimensionsTooLarge { .. } => {
            ApiError::bad_request("IMAGE_TOO_LARGE", message)
        }
        PartRejection::DimensionsTooSmall { .. } => {
            ApiError::bad_request("IMAGE_TOO_SMALL", message)
        }
        PartRejection::Corrupt(_) => ApiError::bad_request("CORRUPT_FILE", message),
        PartRejection::Timeout => ApiError::bad_request("INSPECTION_TIMEOUT", message),
    }
}

/// A code for responses that did not come from `ApiError` (axum's own 404/405/413/415).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "BAD_REQUEST",
        StatusCode::UNAUTHORIZED => "UNAUTHORIZED",
        StatusCode::FORBIDDEN => "FORBIDDEN",
        StatusCode::NOT_FOUND => "NOT_FOUND",
        StatusCode::REQUEST_TIMEOUT => "REQUEST_TIMEOUT",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        StatusCode::PAYLOAD_TOO_LARGE => "PAYLOAD_TOO_LARGE",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
        StatusCode::UNPROCESSABLE_ENTITY => "UNPROCESSABLE_ENTITY",
        StatusCode::TOO_MANY_REQUESTS => "TOO_MANY_REQUESTS",
        status if status.is_server_error() => "INTERNAL_ERROR",
        _ => "ERROR",
    }
}

//! The one mapping from errors to HTTP. Every error response is JSON with the vendor's
//! `httpStatus`, `message` and `requestURI` plus a stable machine `code` (`ErrorCode`, the wire
//! types' closed set); internal errors are an opaque 500 whose cause goes to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use verifyd_domain::error::Resource;
use verifyd_domain::inspector::PartRejection;
use verifyd_domain::DomainError;
use verifyd_types::ErrorCode;

/// Carried in the response's extensions; the error-rendering middleware writes the body, because
/// only it knows the request URI.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// Set for 429: seconds until the next attempt may succeed.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
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
                ErrorCode::RateLimited,
                "Request limit exceeded",
            )
        }
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    pub fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    /// Logs the cause and hides it from the caller.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
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
                code: self.code,
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
            E::InvalidField(field) => {
                ApiError::bad_request(ErrorCode::InvalidField, field.to_string())
            }
            E::NotFound(resource) => ApiError::new(
                StatusCode::NOT_FOUND,
                match resource {
                    Resource::Tenant => ErrorCode::TenantNotFound,
                    Resource::Account => ErrorCode::AccountNotFound,
                    Resource::WorkflowExecution => ErrorCode::WorkflowExecutionNotFound,
                    Resource::Credential => ErrorCode::CredentialNotFound,
                    Resource::Part => ErrorCode::PartNotFound,
                    Resource::Transaction => ErrorCode::TransactionNotFound,
                    Resource::ScreeningSearch => ErrorCode::ScreeningSearchNotFound,
                },
                format!("{resource} not found"),
            ),
            E::Forbidden { code, message } => ApiError::forbidden(code, message),
            E::Invalid { code, message } => ApiError::bad_request(code, message),
            E::Conflict { code, message } => ApiError::new(StatusCode::CONFLICT, code, message),
            E::PrerequisiteNotMet(message) => {
                ApiError::bad_request(ErrorCode::PrerequisiteNotMet, message)
            }
            E::TokenExpired => ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::TokenExpired,
                error_text(&E::TokenExpired),
            ),
            E::InvalidToken => ApiError::unauthorized(error_text(&E::InvalidToken)),
            E::SessionExpired => ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::SessionExpired,
                error_text(&E::SessionExpired),
            ),
            E::PartRejected(rejection) => rejection_error(rejection),
            // An image inside a JSON body: the request is bad, whatever the image's fault.
            E::ImageRejected { field, rejection } => {
                let named = format!("{field}: {rejection}");
                let ApiError { code, .. } = rejection_error(rejection);
                ApiError::bad_request(code, named)
            }
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
        PartRejection::Empty => ApiError::bad_request(ErrorCode::EmptyFile, message),
        PartRejection::TooLarge { .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::FileTooLarge,
            message,
        ),
        PartRejection::WrongFormat { .. } => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedFileType,
            message,
        ),
        PartRejection::DimensionsTooLarge { .. } => {
            ApiError::bad_request(ErrorCode::ImageTooLarge, message)
        }
        PartRejection::DimensionsTooSmall { .. } => {
            ApiError::bad_request(ErrorCode::ImageTooSmall, message)
        }
        PartRejection::Corrupt(_) => ApiError::bad_request(ErrorCode::CorruptFile, message),
        PartRejection::Timeout => ApiError::bad_request(ErrorCode::InspectionTimeout, message),
    }
}

/// A code for responses that did not come from `ApiError` (axum's own 404/405/413/415).
pub fn code_for_status(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::BAD_REQUEST => ErrorCode::BadRequest,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::RequestTimeout,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::UnprocessableEntity,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::TooManyRequests,
        status if status.is_server_error() => ErrorCode::InternalError,
        _ => ErrorCode::Error,
    }
}

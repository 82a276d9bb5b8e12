//! Cross-cutting request handling: tracking ids, the User-Agent rule, and the JSON body of every
//! error response (including axum's own rejections, 404s and 405s).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;
use verifyd_domain::random::new_id;
use verifyd_types::{ErrorCode, ErrorResponse};

use crate::error::{code_for_status, ApiError, ErrorInfo};
use crate::state::AppState;

/// Gives every request a tracking id (header `X-Trackingid`) and a log span. Only the path is
/// logged: query strings may carry a web authorization token.
pub async fn tracking(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let tracking_id = new_id(state.verifyd.random().as_ref()).to_string();
    let span = tracing::info_span!(
        "request",
        tracking_id = %tracking_id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    async move {
        let mut response = next.run(request).await;
        tracing::info!(status = response.status().as_u16(), "handled");
        if let Ok(value) = HeaderValue::from_str(&tracking_id) {
            response.headers_mut().insert("X-Trackingid", value);
        }
        response
    }
    .instrument(span)
    .await
}

/// The specification answers a call without a User-Agent with 403.
pub async fn require_user_agent(request: Request, next: Next) -> Response {
    let has_agent = request
        .headers()
        .get(USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| !value.trim().is_empty());
    if has_agent {
        next.run(request).await
    } else {
        ApiError::forbidden(
            ErrorCode::MissingUserAgent,
            "a User-Agent header naming your business and application is required",
        )
        .into_response()
    }
}

/// Writes the JSON error body, which needs the request URI that handlers do not see.
pub async fn error_bodies(request: Request, next: Next) -> Response {
    let request_uri = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let info = match parts.extensions.remove::<ErrorInfo>() {
        Some(info) => info,
        None => {
            let is_json = parts
                .headers
                .get(CONTENT_TYPE)
                .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
            if is_json {
                return Response::from_parts(parts, body);
            }
            let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
            let message = String::from_utf8_lossy(&text).trim().to_owned();
            ErrorInfo {
                code: code_for_status(status),
                message: if message.is_empty() {
                    status.canonical_reason().unwrap_or("error").to_owned()
                } else {
                    message
                },
            }
        }
    };
    // axum answers JSON it cannot map onto the request type with 422; the specification says 400.
    let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let body = ErrorResponse {
        http_status: status.as_u16().to_string(),
        code: info.code,
        message: info.message,
        request_uri,
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    parts.status = status;
    parts
        .headers
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

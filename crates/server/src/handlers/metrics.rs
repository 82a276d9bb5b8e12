//! `GET /metrics` on the main listener: the Prometheus text format, behind `metrics.token`.
//! When metrics are off, or served on their own address (`metrics.listen`), it is 404 here.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use verifyd_types::{ErrorCode, ErrorResponse};

use crate::error::ApiError;
use crate::state::AppState;
use crate::telemetry;

#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "getMetrics",
    tag = "health",
    responses(
        (status = 200, description = "The server's metrics in the Prometheus text format (docs/metrics.md)", content_type = "text/plain", body = String),
        (status = 401, description = "No bearer token, or not the one of metrics.token", body = ErrorResponse),
        (status = 404, description = "Metrics are off, or served on metrics.listen instead of here", body = ErrorResponse),
    ),
    security(("metricsToken" = []))
)]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.metrics.on_main_listener() {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "metrics are not served on this listener",
        )
        .into_response();
    }
    match telemetry::authorize(&state.metrics, &headers) {
        Ok(()) => telemetry::scrape(&state.verifyd, &state.metrics).await,
        Err(refused) => telemetry::challenge(refused),
    }
}

//! `GET /health`: the status host's document, from real checks.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use verifyd_types::HealthResponse;

use crate::state::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

#[utoipa::path(
    get,
    path = "/health",
    tag = "health",
    responses(
        (status = 200, description = "UP or DEGRADED", body = HealthResponse),
        (status = 503, description = "DOWN", body = HealthResponse),
    ),
    security(())
)]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthResponse>) {
    let database = tokio::time::timeout(CHECK_TIMEOUT, state.verifyd.repository().ping()).await;
    let database_up = matches!(database, Ok(Ok(())));
    if !database_up {
        tracing::warn!(?database, "health: database unreachable");
    }
    let blobs = tokio::time::timeout(CHECK_TIMEOUT, state.verifyd.blobs().check_writable()).await;
    let blobs_up = matches!(blobs, Ok(Ok(())));
    if !blobs_up {
        tracing::warn!(?blobs, "health: blob store not writable");
    }
    let storage = if database_up && blobs_up {
        "UP"
    } else {
        "DOWN"
    };
    let details = BTreeMap::from([
        ("api".to_owned(), storage.to_owned()),
        ("retrieval".to_owned(), storage.to_owned()),
        // No worker processes finalized executions yet: they wait, durably, as jobs.
        ("processing".to_owned(), "DOWN".to_owned()),
    ]);
    let status = if storage == "DOWN" {
        "DOWN"
    } else {
        "DEGRADED"
    };
    let code = if status == "DOWN" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (
        code,
        Json(HealthResponse {
            status: status.to_owned(),
            details,
        }),
    )
}

//! `GET /health`: the status host's document, from real checks.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use verifyd_types::HealthResponse;

use crate::state::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);
/// A finalized execution still waiting after this long means processing is behind.
const BACKLOG_LIMIT_SECONDS: i64 = 120;

#[utoipa::path(
    get,
    path = "/health",
    operation_id = "getHealth",
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
    // Processing is healthy while no finalized execution waits longer than the backlog limit,
    // whichever process (serve or worker) runs the workers.
    let now = state.verifyd.clock().now();
    let before = now - chrono::Duration::seconds(BACKLOG_LIMIT_SECONDS);
    let backlog = tokio::time::timeout(
        CHECK_TIMEOUT,
        state.verifyd.repository().overdue_jobs(before),
    )
    .await;
    let processing = match backlog {
        Ok(Ok(0)) => "UP",
        Ok(Ok(_)) => "DEGRADED",
        _ => "DOWN",
    };
    let details = BTreeMap::from([
        ("api".to_owned(), storage.to_owned()),
        ("retrieval".to_owned(), storage.to_owned()),
        ("processing".to_owned(), processing.to_owned()),
    ]);
    let status = match (storage, processing) {
        ("DOWN", _) => "DOWN",
        (_, "UP") => "UP",
        _ => "DEGRADED",
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

//! Serving a scrape: the bearer token's check, the repository's gauges read at that moment, and
//! the router of the separate metrics listener (`metrics.listen`).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use verifyd_domain::Verifyd;

use super::Metrics;
use crate::error::ApiError;
use crate::middleware::error_bodies;

/// The Prometheus text exposition format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";
/// The longest a scrape waits for the database before it answers without the queue.
const QUERY_TIMEOUT: Duration = Duration::from_secs(3);

/// 401 unless the request bears the configured token (if one is configured).
pub fn authorize(metrics: &Metrics, headers: &HeaderMap) -> Result<(), ApiError> {
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    if metrics.admits(presented) {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "GET /metrics needs the bearer token of metrics.token",
        ))
    }
}

/// The metrics as a scrape gets them, with the queue and pools read now.
pub async fn scrape(verifyd: &Verifyd, metrics: &Metrics) -> Response {
    let repository = verifyd.repository();
    let now = verifyd.clock().now();
    let queue = match tokio::time::timeout(QUERY_TIMEOUT, repository.queue_stats(now)).await {
        Ok(Ok(queue)) => Some(queue),
        Ok(Err(error)) => {
            tracing::warn!(%error, "metrics: cannot read the job queue");
            None
        }
        Err(_) => {
            tracing::warn!("metrics: the job queue query timed out");
            None
        }
    };
    let body = metrics.render(now, queue, &repository.pool_stats());
    (
        [(CONTENT_TYPE, HeaderValue::from_static(TEXT_FORMAT))],
        body,
    )
        .into_response()
}

/// What the separate listener's handler reaches.
#[derive(Clone)]
struct Scrape {
    verifyd: Arc<Verifyd>,
    metrics: Arc<Metrics>,
}

/// The separate metrics listener: `GET /metrics` (behind the token, if one is set) and nothing
/// else.
pub fn router(verifyd: Arc<Verifyd>, metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(served))
        .layer(axum::middleware::from_fn(error_bodies))
        .with_state(Scrape { verifyd, metrics })
}

async fn served(State(served): State<Scrape>, headers: HeaderMap) -> Response {
    match authorize(&served.metrics, &headers) {
        Ok(()) => scrape(&served.verifyd, &served.metrics).await,
        Err(refused) => challenge(refused),
    }
}

/// A 401 that names the scheme it wants.
pub fn challenge(refused: ApiError) -> Response {
    let mut response = refused.into_response();
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

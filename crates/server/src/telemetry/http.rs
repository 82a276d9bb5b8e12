//! The HTTP layer's part: every request counted by the template of the route it matched.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Counts the request and times it up to its response's headers. The route is the template
/// axum matched (`/api/v1/accounts/{accountId}`), never the path as sent: no id reaches a label.
pub async fn record_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.metrics.is_on() {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|matched| matched.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.http_request(
        &method,
        route.as_deref(),
        response.status(),
        started.elapsed(),
    );
    response
}

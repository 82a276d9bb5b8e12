//! `POST /api/netverify/v2/performNetverify`: the netverify API's server-to-server submission.
//! The ID (and the face) arrive as base64 in one JSON body; the transaction is created, its
//! images stored as parts and finalized at once, and processing reports it like a v4 one.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use verifyd_domain::rules::perform_netverify::{self, Performance};
use verifyd_domain::timestamp;
use verifyd_domain::DomainError;
use verifyd_types::netverify::{PerformNetverifyRequest, PerformNetverifyResponse};
use verifyd_types::{ErrorResponse, RateLimitedResponse};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::json_body;
use crate::handlers::platform::accounts::limit_initiations;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/netverify/v2/performNetverify",
    operation_id = "performNetverify",
    tag = "netverify",
    request_body = PerformNetverifyRequest,
    responses(
        (status = 200, description = "The transaction, finalized: processing reports it by callback and retrieval", body = PerformNetverifyResponse),
        (status = 400, description = "A field breaks a rule, or an image is not one verifyd takes (the message names the field)", body = ErrorResponse),
        (status = 429, description = "More than 3 initiations per second or 180 per minute", body = RateLimitedResponse, headers(("Retry-After" = u64, description = "Seconds until an initiation may succeed"))),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn perform(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PerformNetverifyResponse>, ApiError> {
    limit_initiations(&state, &caller).await?;
    let policy = state.verifyd.policy();
    let (allow_local_urls, max_image_bytes) = (policy.allow_local_urls, policy.max_upload_bytes);
    // Parsing and decoding up to three 15 MB images is CPU work: not on the async runtime.
    let performance = tokio::task::spawn_blocking(move || -> Result<Performance, ApiError> {
        let request: PerformNetverifyRequest = json_body(&headers, &body)?;
        perform_netverify::validate(&request, allow_local_urls, max_image_bytes)
            .map_err(|error| ApiError::from(DomainError::from(error)))
    })
    .await
    .map_err(ApiError::internal)??;
    let execution = state
        .verifyd
        .perform_netverify(&caller, performance)
        .await?;
    Ok(Json(PerformNetverifyResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        jumio_id_scan_reference: execution.id.to_string(),
    }))
}

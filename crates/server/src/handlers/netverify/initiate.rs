//! `POST /api/v4/initiate`: the netverify way to start a verification. The transaction is a
//! workflow execution (2 for ID only, 3 for ID + Identity) on a new account; the user is sent to
//! verifyd's web client with a WEB workflow token.

use axum::extract::State;
use axum::Json;
use verifyd_domain::model::Channel;
use verifyd_domain::service::WorkflowGrant;
use verifyd_domain::timestamp;
use verifyd_types::netverify::{InitiateRequest, InitiateResponse};
use verifyd_types::{ErrorResponse, RateLimitedResponse};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::handlers::platform::accounts::limit_initiations;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v4/initiate",
    operation_id = "initiateTransaction",
    tag = "netverify",
    request_body = InitiateRequest,
    responses(
        (status = 200, description = "The transaction and where to send the user", body = InitiateResponse),
        (status = 400, description = "A field breaks a rule (INVALID_FIELD names it)", body = ErrorResponse),
        (status = 429, description = "More than 3 initiations per second or 180 per minute", body = RateLimitedResponse, headers(("Retry-After" = u64, description = "Seconds until an initiation may succeed"))),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn initiate(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    ApiJson(request): ApiJson<InitiateRequest>,
) -> Result<Json<InitiateResponse>, ApiError> {
    limit_initiations(&state, &caller).await?;
    let initiated = state.verifyd.initiate_netverify(&caller, &request).await?;
    let execution = &initiated.execution;
    let now = state.verifyd.clock().now();
    let grant = WorkflowGrant {
        tenant_id: execution.tenant_id,
        account_id: execution.account_id,
        execution_id: execution.id,
        channel: Channel::Web,
    };
    let token = state
        .tokens
        .workflow_token(&grant, now, execution.token_expires_at)
        .map_err(ApiError::internal)?;
    Ok(Json(InitiateResponse {
        timestamp: timestamp::format(now),
        transaction_reference: execution.id.to_string(),
        redirect_url: state.links.web(&token, execution.web.locale.as_deref()),
    }))
}

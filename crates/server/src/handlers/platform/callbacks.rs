//! The callbacks of a workflow execution and their delivery attempts (a verifyd extension, so
//! that a receiver's outage can be diagnosed without server logs).

use axum::extract::{Path, State};
use axum::Json;
use verifyd_domain::timestamp;
use verifyd_types::{CallbackAttemptView, CallbackView, CallbacksResponse, ErrorResponse};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/callbacks",
    operation_id = "listCallbacks",
    tag = "retrieval",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
    ),
    responses(
        (status = 200, description = "Every callback of the execution and every delivery attempt", body = CallbacksResponse),
        (status = 404, description = "No such workflow execution", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((account, execution)): Path<(String, String)>,
) -> Result<Json<CallbacksResponse>, ApiError> {
    let account = id("accountId", &account)?;
    let execution = id("workflowExecutionId", &execution)?;
    let records = state
        .verifyd
        .callbacks_of(&caller, account, execution)
        .await?;
    let callbacks = records
        .into_iter()
        .map(|record| CallbackView {
            id: record.callback.id.to_string(),
            url: record.callback.url.clone(),
            status: record.callback.status,
            delivery: record.delivery(),
            created_at: timestamp::format(record.callback.created_at),
            next_attempt_at: record.next_attempt_at.map(timestamp::format),
            delivered_at: record.delivered_at.map(timestamp::format),
            attempts: record
                .attempts
                .iter()
                .map(|attempt| CallbackAttemptView {
                    attempted_at: timestamp::format(attempt.attempted_at),
                    status_code: attempt.status_code,
                    error: attempt.error.clone(),
                    duration_ms: attempt.duration_ms,
                })
                .collect(),
        })
        .collect();
    Ok(Json(CallbacksResponse { callbacks }))
}

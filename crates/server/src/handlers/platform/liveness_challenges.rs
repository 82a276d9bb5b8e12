//! Liveness challenges: the random turns a capture sequence must show, issued per FACEMAP
//! credential to whoever captures it (the web client, an SDK) with the workflow token.

use axum::extract::{Path, State};
use axum::Json;
use verifyd_domain::model::Classifier;
use verifyd_domain::timestamp;
use verifyd_types::{ErrorResponse, LivenessChallengeResponse};

use crate::auth::AcquirerAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/credentials/{credentialId}/liveness-challenge",
    operation_id = "issueLivenessChallenge",
    tag = "acquisition",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
        ("credentialId" = uuid::Uuid, Path, description = "UUID of a FACEMAP credential"),
    ),
    responses(
        (status = 200, description = "The credential's challenge: issued at the first request, the same turns afterwards", body = LivenessChallengeResponse),
        (status = 400, description = "Not a FACEMAP credential", body = ErrorResponse),
        (status = 401, description = "Missing, invalid or expired token, or the session expired", body = ErrorResponse),
        (status = 403, description = "The token or channel may not capture this credential", body = ErrorResponse),
        (status = 404, description = "No such account, workflow execution or credential", body = ErrorResponse),
        (status = 409, description = "Acquisition is over", body = ErrorResponse),
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn issue(
    State(state): State<AppState>,
    auth: AcquirerAuth,
    Path((account, execution, credential)): Path<(String, String, String)>,
) -> Result<Json<LivenessChallengeResponse>, ApiError> {
    let account = id("accountId", &account)?;
    let execution = id("workflowExecutionId", &execution)?;
    let credential = id("credentialId", &credential)?;
    let challenge = state
        .verifyd
        .issue_liveness_challenge(&auth.acquirer, account, execution, credential)
        .await?;
    let frame =
        state
            .links
            .acquisition_part(account, execution, credential, Classifier::Liveness(1));
    Ok(Json(LivenessChallengeResponse {
        turns: challenge.turns,
        issued_at: timestamp::format(challenge.issued_at),
        frames: frame.replace("LIVENESS_1", "LIVENESS_{n}"),
    }))
}

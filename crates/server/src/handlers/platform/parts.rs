//! Credential parts: upload (POST), replace (PUT), delete one, delete all.

use std::collections::BTreeMap;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::Json;
use verifyd_domain::model::WorkflowExecution;
use verifyd_domain::model::{Channel, Classifier, ClassifierRules};
use verifyd_domain::service::{Acquirer, PartAddress, PartContent, UploadMode, WorkflowGrant};
use verifyd_domain::timestamp;
use verifyd_types::{
    AcknowledgementResponse, ErrorCode, ErrorResponse, IdRef, PartApiLinks, PartClassifier,
    PartFile, PartUploadResponse, PreparedData,
};

use crate::auth::AcquirerAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::multipart;
use crate::state::AppState;

type PartPath = Path<(String, String, String, String)>;

fn address(
    (account, execution, credential, classifier): (String, String, String, String),
) -> Result<PartAddress, ApiError> {
    Ok(PartAddress {
        account: id("accountId", &account)?,
        execution: id("workflowExecutionId", &execution)?,
        credential: id("credentialId", &credential)?,
        classifier: classifier
            .parse::<Classifier>()
            .map_err(|message| ApiError::bad_request(ErrorCode::UnknownClassifier, message))?,
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/credentials/{credentialId}/parts/{classifier}",
    operation_id = "uploadPart",
    tag = "acquisition",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
        ("credentialId" = uuid::Uuid, Path, description = "UUID of the credential"),
        ("classifier" = PartClassifier, Path, description = "FRONT, BACK, FACE, FACEMAP, DOCUMENT, LIVENESS_1 to LIVENESS_64 or PREPARED_DATA"),
    ),
    request_body(description = "The file as multipart/form-data in a field named `file`; PREPARED_DATA as a JSON body", content(
        (PartFile = "multipart/form-data"),
        (PreparedData = "application/json"),
    )),
    responses(
        (status = 200, description = "The part is stored", body = PartUploadResponse),
        (status = 400, description = "Not an acceptable file for this part (empty, damaged, too small or too large an image, no `file` field), not a part of this credential's category, or invalid prepared data", body = ErrorResponse),
        (status = 401, description = "Missing, invalid or expired token, or the session expired", body = ErrorResponse),
        (status = 404, description = "No such account, workflow execution or credential", body = ErrorResponse),
        (status = 409, description = "The part exists already (replace it with PUT), or acquisition is over", body = ErrorResponse),
        (status = 413, description = "The file exceeds 15 MB", body = ErrorResponse),
        (status = 415, description = "Neither multipart/form-data nor JSON, or the file is not of this part's type", body = ErrorResponse),
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn add(
    state: State<AppState>,
    auth: AcquirerAuth,
    path: PartPath,
    request: Request,
) -> Result<Json<PartUploadResponse>, ApiError> {
    upload(state, auth, path, request, UploadMode::Add).await
}

#[utoipa::path(
    put,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/credentials/{credentialId}/parts/{classifier}",
    operation_id = "replacePart",
    tag = "acquisition",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
        ("credentialId" = uuid::Uuid, Path, description = "UUID of the credential"),
        ("classifier" = PartClassifier, Path, description = "FRONT, BACK, FACE, FACEMAP, DOCUMENT, LIVENESS_1 to LIVENESS_64 or PREPARED_DATA"),
    ),
    request_body(description = "As for POST", content(
        (PartFile = "multipart/form-data"),
        (PreparedData = "application/json"),
    )),
    responses(
        (status = 200, description = "The part is stored, replacing any earlier one", body = PartUploadResponse),
        (status = 400, description = "Not an acceptable file for this part, not a part of this credential's category, or invalid prepared data", body = ErrorResponse),
        (status = 401, description = "Missing, invalid or expired token, or the session expired", body = ErrorResponse),
        (status = 404, description = "No such account, workflow execution or credential", body = ErrorResponse),
        (status = 409, description = "Acquisition is over", body = ErrorResponse),
        (status = 413, description = "The file exceeds 15 MB", body = ErrorResponse),
        (status = 415, description = "Neither multipart/form-data nor JSON, or the file is not of this part's type", body = ErrorResponse),
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn replace(
    state: State<AppState>,
    auth: AcquirerAuth,
    path: PartPath,
    request: Request,
) -> Result<Json<PartUploadResponse>, ApiError> {
    upload(state, auth, path, request, UploadMode::Replace).await
}

async fn upload(
    State(state): State<AppState>,
    auth: AcquirerAuth,
    Path(path): PartPath,
    request: Request,
    mode: UploadMode,
) -> Result<Json<PartUploadResponse>, ApiError> {
    let address = address(path)?;
    // Refuse before reading up to 16 MB of body.
    state.verifyd.check_upload(&auth.acquirer, address).await?;
    let content = read_content(request, &state).await?;
    let receipt = state
        .verifyd
        .upload_part(&auth.acquirer, address, content, mode)
        .await?;
    let execution = &receipt.execution;
    let token = api_token(&state, &auth, execution)?;
    let parts = if receipt.classifier == Classifier::PreparedData {
        BTreeMap::new()
    } else {
        let mut classifiers =
            Classifier::announced_for(receipt.credential.credential.category).to_vec();
        if !classifiers.contains(&receipt.classifier) {
            classifiers.push(receipt.classifier);
        }
        classifiers
            .into_iter()
            .map(|classifier| {
                (
                    classifier.key(),
                    state.links.acquisition_part(
                        execution.account_id,
                        execution.id,
                        address.credential,
                        classifier,
                    ),
                )
            })
            .collect()
    };
    Ok(Json(PartUploadResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        account: IdRef {
            id: execution.account_id.to_string(),
        },
        workflow_execution: IdRef {
            id: execution.id.to_string(),
        },
        api: PartApiLinks {
            token,
            parts,
            workflow_execution: state
                .links
                .workflow_execution(execution.account_id, execution.id),
        },
    }))
}

/// The token to keep using: the workflow token presented, or a new API-channel token when the
/// tenant uploaded with its own credentials.
fn api_token(
    state: &AppState,
    auth: &AcquirerAuth,
    execution: &WorkflowExecution,
) -> Result<String, ApiError> {
    if let Some(token) = &auth.workflow_token {
        return Ok(token.clone());
    }
    let channel = match &auth.acquirer {
        Acquirer::Workflow(grant) => grant.channel,
        Acquirer::Tenant(_) => Channel::Api,
    };
    let grant = WorkflowGrant {
        tenant_id: execution.tenant_id,
        account_id: execution.account_id,
        execution_id: execution.id,
        channel,
    };
    state
        .tokens
        .workflow_token(
            &grant,
            state.verifyd.clock().now(),
            execution.token_expires_at,
        )
        .map_err(ApiError::internal)
}

/// Reads the upload: a multipart `file` field, capped while streaming, or a JSON body.
async fn read_content(request: Request, state: &AppState) -> Result<PartContent, ApiError> {
    if multipart::content_type(&request).starts_with("application/json") {
        let bytes = axum::body::to_bytes(request.into_body(), state.limits.max_json_bytes)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::BodyTooLarge,
                    format!(
                        "the JSON body exceeds {} bytes",
                        state.limits.max_json_bytes
                    ),
                )
            })?;
        let data: PreparedData = serde_json::from_slice(&bytes)
            .map_err(|error| ApiError::bad_request(ErrorCode::InvalidJson, error.to_string()))?;
        return Ok(PartContent::PreparedData(Box::new(data)));
    }
    let mut multipart = multipart::multipart(
        request,
        state,
        "send the file as multipart/form-data with a field named file (or JSON for PREPARED_DATA)",
    )
    .await?;
    let max = state.limits.max_upload_bytes;
    while let Some(mut field) = multipart::next_field(&mut multipart).await? {
        if field.name() != Some("file") {
            continue;
        }
        let bytes = multipart::capped(&mut field, max, ErrorCode::FileTooLarge, "the file").await?;
        return Ok(PartContent::File(bytes));
    }
    Err(ApiError::bad_request(
        ErrorCode::MissingFile,
        "the multipart body has no field named file",
    ))
}

#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/credentials/{credentialId}/parts/{classifier}",
    operation_id = "deletePart",
    tag = "acquisition",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
        ("credentialId" = uuid::Uuid, Path, description = "UUID of the credential"),
        ("classifier" = PartClassifier, Path, description = "FRONT, BACK, FACE, FACEMAP, DOCUMENT, LIVENESS_1 to LIVENESS_64 or PREPARED_DATA"),
    ),
    responses(
        (status = 200, description = "The part is deleted", body = AcknowledgementResponse),
        (status = 401, description = "Missing, invalid or expired token, or the session expired", body = ErrorResponse),
        (status = 404, description = "No such account, workflow execution, credential or part", body = ErrorResponse),
        (status = 409, description = "Acquisition is over", body = ErrorResponse),
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: AcquirerAuth,
    Path(path): PartPath,
) -> Result<Json<AcknowledgementResponse>, ApiError> {
    let address = address(path)?;
    let execution = state
        .verifyd
        .delete_parts(
            &auth.acquirer,
            address.account,
            address.execution,
            address.credential,
            Some(address.classifier),
        )
        .await?;
    Ok(Json(acknowledgement(&state, &execution)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/credentials/{credentialId}",
    operation_id = "deleteParts",
    tag = "acquisition",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
        ("credentialId" = uuid::Uuid, Path, description = "UUID of the credential"),
    ),
    responses(
        (status = 200, description = "All parts of the credential are deleted", body = AcknowledgementResponse),
        (status = 401, description = "Missing, invalid or expired token, or the session expired", body = ErrorResponse),
        (status = 404, description = "No such account, workflow execution or credential", body = ErrorResponse),
        (status = 409, description = "Acquisition is over", body = ErrorResponse),
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn delete_all(
    State(state): State<AppState>,
    auth: AcquirerAuth,
    Path((account, execution, credential)): Path<(String, String, String)>,
) -> Result<Json<AcknowledgementResponse>, ApiError> {
    let account = id("accountId", &account)?;
    let execution = id("workflowExecutionId", &execution)?;
    let credential = id("credentialId", &credential)?;
    let execution = state
        .verifyd
        .delete_parts(&auth.acquirer, account, execution, credential, None)
        .await?;
    Ok(Json(acknowledgement(&state, &execution)))
}

pub fn acknowledgement(state: &AppState, execution: &WorkflowExecution) -> AcknowledgementResponse {
    AcknowledgementResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        account: IdRef {
            id: execution.account_id.to_string(),
        },
        workflow_execution: IdRef {
            id: execution.id.to_string(),
        },
    }
}

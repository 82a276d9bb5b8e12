//! A workflow execution: finalize (PUT), status, details, deletion.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::Json;
use verifyd_domain::model::{Classifier, WorkflowExecution};
use verifyd_domain::service::ExecutionDetails;
use verifyd_domain::timestamp;
use verifyd_types::{
    AcknowledgementResponse, CredentialDetails, Decision, DecisionDetails, DeletionResponse,
    ErrorResponse, HrefRef, IdRef, PartRef, Risk, StatusResponse, WorkflowDetailsResponse,
    WorkflowExecutionStatus, WorkflowSummary,
};

use super::parts::acknowledgement;
use crate::auth::{AcquirerAuth, TenantAuth};
use crate::error::ApiError;
use crate::extract::id;
use crate::state::AppState;

fn ids((account, execution): (String, String)) -> Result<(uuid::Uuid, uuid::Uuid), ApiError> {
    Ok((
        id("accountId", &account)?,
        id("workflowExecutionId", &execution)?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}",
    operation_id = "finalizeWorkflowExecution",
    tag = "acquisition",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
    ),
    responses(
        (status = 200, description = "Acquisition is finalized; processing is due (status ACQUIRED)", body = AcknowledgementResponse),
        (status = 400, description = "Nothing was uploaded (NOTHING_UPLOADED)", body = ErrorResponse),
        (status = 401, description = "Missing, invalid or expired token, or the session expired", body = ErrorResponse),
        (status = 404, description = "No such account or workflow execution", body = ErrorResponse),
        (status = 409, description = "Already finalized", body = ErrorResponse),
    ),
    security(("bearer" = []), ("basic" = []))
)]
pub async fn finalize(
    State(state): State<AppState>,
    auth: AcquirerAuth,
    Path(path): Path<(String, String)>,
) -> Result<Json<AcknowledgementResponse>, ApiError> {
    let (account, execution) = ids(path)?;
    let execution = state
        .verifyd
        .finalize(&auth.acquirer, account, execution)
        .await?;
    Ok(Json(acknowledgement(&state, &execution)))
}

#[utoipa::path(
    get,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/status",
    operation_id = "getWorkflowExecutionStatus",
    tag = "retrieval",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
    ),
    responses(
        (status = 200, description = "The execution's status", body = StatusResponse),
        (status = 404, description = "No such workflow execution", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn status(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(path): Path<(String, String)>,
) -> Result<Json<StatusResponse>, ApiError> {
    let (account, execution) = ids(path)?;
    let execution = state
        .verifyd
        .execution_status(&caller, account, execution)
        .await?;
    Ok(Json(StatusResponse {
        account: HrefRef {
            id: execution.account_id.to_string(),
            href: state.links.account(execution.account_id),
        },
        workflow_execution: WorkflowExecutionStatus {
            id: execution.id.to_string(),
            href: state
                .links
                .workflow_execution(execution.account_id, execution.id),
            definition_key: execution.definition_key.to_string(),
            status: execution.status,
        },
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}",
    operation_id = "getWorkflowExecution",
    tag = "retrieval",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
    ),
    responses(
        (status = 200, description = "The execution's details", body = WorkflowDetailsResponse),
        (status = 404, description = "No such workflow execution", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn details(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(path): Path<(String, String)>,
) -> Result<Json<WorkflowDetailsResponse>, ApiError> {
    let (account, execution) = ids(path)?;
    let details = state
        .verifyd
        .execution_details(&caller, account, execution)
        .await?;
    Ok(Json(details_response(&state, &details)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}",
    operation_id = "deleteWorkflowExecution",
    tag = "deletion",
    params(
        ("accountId" = uuid::Uuid, Path, description = "UUID of the account"),
        ("workflowExecutionId" = uuid::Uuid, Path, description = "UUID of the workflow execution"),
    ),
    responses(
        (status = 200, description = "The workflow execution and its images are deleted", body = DeletionResponse),
        (status = 404, description = "No such workflow execution", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn delete(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(path): Path<(String, String)>,
) -> Result<Json<DeletionResponse>, ApiError> {
    let (account, execution) = ids(path)?;
    state
        .verifyd
        .delete_execution(&caller, account, execution)
        .await?;
    Ok(Json(DeletionResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        account: IdRef {
            id: account.to_string(),
        },
        workflow_execution: Some(IdRef {
            id: execution.to_string(),
        }),
    }))
}

fn details_response(state: &AppState, details: &ExecutionDetails) -> WorkflowDetailsResponse {
    let execution = &details.execution;
    let credentials = details
        .credentials
        .iter()
        .map(|(linked, parts)| CredentialDetails {
            id: linked.credential.id.to_string(),
            category: linked.credential.category,
            parts: parts
                .iter()
                .filter(|part| part.classifier != Classifier::PreparedData)
                .map(|part| PartRef {
                    classifier: part.classifier,
                    href: state.links.retrieval_part(
                        execution.account_id,
                        part.credential_id,
                        part.classifier,
                    ),
                })
                .collect(),
        })
        .collect();
    let (mut capabilities, decision) = outcome(execution);
    absolute_facemap_links(state, &mut capabilities);
    absolute_search_links(state, &mut capabilities);
    WorkflowDetailsResponse {
        workflow: WorkflowSummary {
            id: execution.id.to_string(),
            status: execution.status,
            definition_key: execution.definition_key.to_string(),
            user_reference: execution.user_reference.clone(),
            customer_internal_reference: Some(execution.customer_internal_reference.clone()),
        },
        account: IdRef {
            id: execution.account_id.to_string(),
        },
        created_at: timestamp::format(execution.created_at),
        started_at: execution.started_at.map(timestamp::format),
        completed_at: execution.completed_at.map(timestamp::format),
        credentials,
        capabilities,
        decision,
    }
}

/// The domain records where a facemap is downloaded as a path; the API gives full URLs.
fn absolute_facemap_links(
    state: &AppState,
    capabilities: &mut BTreeMap<String, serde_json::Value>,
) {
    const FIELD: &str = "validFaceMapForAuthentication";
    for entries in capabilities.values_mut() {
        let Some(entries) = entries.as_array_mut() else {
            continue;
        };
        for entry in entries {
            let path = entry.get(FIELD).and_then(|v| v.as_str()).map(str::to_owned);
            if let (Some(path), Some(fields)) = (path, entry.as_object_mut()) {
                if path.starts_with('/') {
                    fields.insert(FIELD.to_owned(), state.links.absolute(&path).into());
                }
            }
        }
    }
}

/// The domain records where a screening search is retrieved as a path; the API gives a full
/// URL (`watchlistScreening[].data.searchResultUrl`).
fn absolute_search_links(state: &AppState, capabilities: &mut BTreeMap<String, serde_json::Value>) {
    let Some(entries) = capabilities
        .get_mut("watchlistScreening")
        .and_then(|entries| entries.as_array_mut())
    else {
        return;
    };
    for entry in entries {
        let Some(data) = entry.get_mut("data").and_then(|data| data.as_object_mut()) else {
            continue;
        };
        let path = data
            .get("searchResultUrl")
            .and_then(|value| value.as_str())
            .filter(|path| path.starts_with('/'))
            .map(str::to_owned);
        if let Some(path) = path {
            data.insert(
                "searchResultUrl".to_owned(),
                state.links.absolute(&path).into(),
            );
        }
    }
}

/// Capabilities and decision as processing recorded them; an expired execution is NOT_EXECUTED
/// with its expiry as label and risk -1; one still acquiring or processing has none yet.
fn outcome(
    execution: &WorkflowExecution,
) -> (BTreeMap<String, serde_json::Value>, Option<Decision>) {
    let recorded = execution.outcome.as_ref();
    let capabilities = recorded
        .and_then(|outcome| outcome.get("capabilities"))
        .and_then(|capabilities| serde_json::from_value(capabilities.clone()).ok())
        .unwrap_or_default();
    let decision = match execution.expiry_decision() {
        Some(expired) => Some(Decision {
            r#type: expired.decision,
            details: DecisionDetails {
                label: expired.label,
            },
            risk: Risk {
                score: expired.risk_score,
            },
        }),
        None => recorded
            .and_then(|outcome| outcome.get("decision"))
            .and_then(|decision| serde_json::from_value(decision.clone()).ok()),
    };
    (capabilities, decision)
}

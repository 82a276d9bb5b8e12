//! Account creation, update and deletion.

use axum::extract::{Path, State};
use axum::Json;
use verifyd_domain::model::{Channel, Preset};
use verifyd_domain::service::{Initiated, WorkflowGrant};
use verifyd_domain::timestamp;
use verifyd_types::{
    AccountDetailsResponse, AccountRequest, AccountResponse, AccountSummary, ApiLinks,
    CredentialResponse, DeletionResponse, ErrorResponse, IdRef, PresetResponse,
    RateLimitedResponse, SdkResponse, WebResponse, WorkflowExecutionResponse,
    WorkflowExecutionStatus,
};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::{id, ApiJson};
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    operation_id = "createAccount",
    tag = "accounts",
    request_body = AccountRequest,
    responses(
        (status = 200, description = "The account and its new workflow execution", body = AccountResponse),
        (status = 400, description = "A field breaks a rule (INVALID_FIELD names it), or the workflow needs an existing account", body = ErrorResponse),
        (status = 429, description = "More than 3 initiations per second or 180 per minute", body = RateLimitedResponse, headers(("Retry-After" = u64, description = "Seconds until an initiation may succeed"))),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    ApiJson(request): ApiJson<AccountRequest>,
) -> Result<Json<AccountResponse>, ApiError> {
    limit_initiations(&state, &caller).await?;
    let initiated = state.verifyd.initiate(&caller, None, &request).await?;
    account_response(&state, &initiated).map(Json)
}

/// Initiation is rate-limited per tenant, across every node on the database.
pub(crate) async fn limit_initiations(
    state: &AppState,
    caller: &verifyd_domain::model::Caller,
) -> Result<(), ApiError> {
    let Some(limits) = state.initiation_limits else {
        return Ok(());
    };
    state
        .verifyd
        .admit_initiation(caller.tenant_id, limits)
        .await?
        .map_err(ApiError::rate_limited)
}

#[utoipa::path(
    put,
    path = "/api/v1/accounts/{accountId}",
    operation_id = "updateAccount",
    tag = "accounts",
    params(("accountId" = uuid::Uuid, Path, description = "UUID of the account")),
    request_body = AccountRequest,
    responses(
        (status = 200, description = "A new workflow execution on the account", body = AccountResponse),
        (status = 400, description = "A field breaks a rule, or a prerequisite (an ID or facemap on file) is missing", body = ErrorResponse),
        (status = 404, description = "No such account", body = ErrorResponse),
        (status = 429, description = "More than 3 initiations per second or 180 per minute", body = RateLimitedResponse, headers(("Retry-After" = u64, description = "Seconds until an initiation may succeed"))),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(account): Path<String>,
    ApiJson(request): ApiJson<AccountRequest>,
) -> Result<Json<AccountResponse>, ApiError> {
    let account = id("accountId", &account)?;
    limit_initiations(&state, &caller).await?;
    let initiated = state
        .verifyd
        .initiate(&caller, Some(account), &request)
        .await?;
    account_response(&state, &initiated).map(Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/accounts/{accountId}",
    operation_id = "getAccount",
    tag = "retrieval",
    params(("accountId" = uuid::Uuid, Path, description = "UUID of the account")),
    responses(
        (status = 200, description = "The account and its workflow executions", body = AccountDetailsResponse),
        (status = 404, description = "No such account", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn details(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(account): Path<String>,
) -> Result<Json<AccountDetailsResponse>, ApiError> {
    let account = id("accountId", &account)?;
    let (found, executions) = state.verifyd.account_overview(&caller, account).await?;
    Ok(Json(AccountDetailsResponse {
        account: AccountSummary {
            id: found.id.to_string(),
            created_at: timestamp::format(found.created_at),
            updated_at: timestamp::format(found.updated_at),
        },
        workflow_executions: executions
            .iter()
            .map(|execution| WorkflowExecutionStatus {
                id: execution.id.to_string(),
                href: state
                    .links
                    .workflow_execution(execution.account_id, execution.id),
                definition_key: execution.definition_key.to_string(),
                status: execution.status,
            })
            .collect(),
    }))
}

#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{accountId}",
    operation_id = "deleteAccount",
    tag = "deletion",
    params(("accountId" = uuid::Uuid, Path, description = "UUID of the account")),
    responses(
        (status = 200, description = "The account, its workflow executions and images are deleted", body = DeletionResponse),
        (status = 404, description = "No such account", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn delete(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(account): Path<String>,
) -> Result<Json<DeletionResponse>, ApiError> {
    let account = id("accountId", &account)?;
    state.verifyd.delete_account(&caller, account).await?;
    Ok(Json(DeletionResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        account: IdRef {
            id: account.to_string(),
        },
        workflow_execution: None,
    }))
}

pub(crate) fn preset(preset: &Option<Preset>) -> Option<PresetResponse> {
    preset.as_ref().map(|preset| PresetResponse {
        predefined_type: preset.predefined_type,
        values: preset.values.clone(),
    })
}

/// The response shape of creation and update: tokens per channel the execution offers, and for
/// API credentials the hrefs of their parts.
fn account_response(state: &AppState, initiated: &Initiated) -> Result<AccountResponse, ApiError> {
    let execution = &initiated.execution;
    let now = state.verifyd.clock().now();
    let offers = |channel: Channel| {
        initiated
            .credentials
            .iter()
            .any(|credential| credential.allowed_channels.contains(&channel))
    };
    let token_for = |channel: Channel| -> Result<Option<String>, ApiError> {
        if !offers(channel) {
            return Ok(None);
        }
        let grant = WorkflowGrant {
            tenant_id: execution.tenant_id,
            account_id: execution.account_id,
            execution_id: execution.id,
            channel,
        };
        state
            .tokens
            .workflow_token(&grant, now, execution.token_expires_at)
            .map(Some)
            .map_err(ApiError::internal)
    };
    let api_token = token_for(Channel::Api)?;
    let sdk_token = token_for(Channel::Sdk)?;
    let web_token = token_for(Channel::Web)?;
    let execution_href = state
        .links
        .workflow_execution(execution.account_id, execution.id);

    let credentials = initiated
        .credentials
        .iter()
        .map(|linked| {
            let credential = &linked.credential;
            let api = match (&api_token, linked.allowed_channels.contains(&Channel::Api)) {
                (Some(token), true) => Some(ApiLinks {
                    token: token.clone(),
                    parts: state.links.acquisition_parts(
                        execution.account_id,
                        execution.id,
                        credential.id,
                        credential.category,
                    ),
                    workflow_execution: execution_href.clone(),
                }),
                _ => None,
            };
            CredentialResponse {
                id: credential.id.to_string(),
                category: credential.category,
                country: preset(&credential.country),
                r#type: preset(&credential.id_type),
                allowed_channels: linked.allowed_channels.clone(),
                api,
            }
        })
        .collect();

    Ok(AccountResponse {
        timestamp: timestamp::format(now),
        account: IdRef {
            id: initiated.account.id.to_string(),
        },
        web: web_token.map(|token| WebResponse {
            href: state.links.web(&token, execution.web.locale.as_deref()),
        }),
        sdk: sdk_token.map(|token| SdkResponse { token }),
        workflow_execution: WorkflowExecutionResponse {
            id: execution.id.to_string(),
            credentials,
        },
    })
}

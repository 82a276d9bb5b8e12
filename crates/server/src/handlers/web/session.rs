//! `GET /api/v1/web/session`: the web client's bootstrap, read with its WEB workflow token;
//! `POST /api/v1/web/session/document`: the document the user chose.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use uuid::Uuid;
use verifyd_domain::catalogue::IdType;
use verifyd_domain::model::AcquisitionClosed;
use verifyd_domain::service::{Acquirer, WorkflowGrant};
use verifyd_domain::timestamp;
use verifyd_types::{
    AcquisitionState, ErrorCode, ErrorResponse, WebCredential, WebDocumentChoice,
    WebDocumentRequest, WebIdType, WebSessionResponse,
};

use crate::handlers::platform::accounts::preset;

use crate::auth::AcquirerAuth;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;

fn web_grant(auth: &AcquirerAuth) -> Result<&WorkflowGrant, ApiError> {
    match &auth.acquirer {
        Acquirer::Workflow(grant) => Ok(grant),
        Acquirer::Tenant(_) => Err(ApiError::forbidden(
            ErrorCode::ChannelNotAllowed,
            "the web session is read with a WEB workflow token",
        )),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/web/session",
    operation_id = "getWebSession",
    tag = "web",
    responses(
        (status = 200, description = "The execution the token grants, its credentials and where to upload", body = WebSessionResponse),
        (status = 401, description = "Missing or invalid workflow token", body = ErrorResponse),
        (status = 403, description = "Not a WEB workflow token", body = ErrorResponse),
        (status = 404, description = "The token's workflow execution was deleted", body = ErrorResponse),
    ),
    security(("bearer" = []))
)]
pub async fn session(
    State(state): State<AppState>,
    auth: AcquirerAuth,
) -> Result<Json<WebSessionResponse>, ApiError> {
    let grant = web_grant(&auth)?;
    let session = state.verifyd.web_session(grant).await?;
    let execution = &session.details.execution;
    let credentials = session
        .details
        .credentials
        .iter()
        .filter(|(linked, _)| linked.allowed_channels.contains(&grant.channel))
        .map(|(linked, parts)| {
            let credential = &linked.credential;
            let choices = session
                .choices
                .iter()
                .find(|(id, _)| *id == credential.id)
                .map(|(_, countries)| {
                    countries
                        .iter()
                        .map(|country| WebDocumentChoice {
                            country: country.code.to_owned(),
                            id_types: country
                                .id_types
                                .iter()
                                .map(|t| WebIdType {
                                    id_type: t.id_type,
                                    back_side: t.back_side,
                                })
                                .collect(),
                        })
                        .collect()
                });
            WebCredential {
                id: credential.id.to_string(),
                category: credential.category,
                country: preset(&credential.country),
                r#type: preset(&credential.id_type),
                parts: state.links.acquisition_parts(
                    execution.account_id,
                    execution.id,
                    credential.id,
                    credential.category,
                ),
                uploaded: parts.iter().map(|part| part.classifier.key()).collect(),
                choices,
                chosen: credential.chosen.as_ref().map(|choice| WebDocumentRequest {
                    credential_id: credential.id.to_string(),
                    country: choice.country.clone(),
                    id_type: choice.id_type.as_str().to_owned(),
                }),
            }
        })
        .collect();
    let acquisition = match session.closed {
        None => AcquisitionState::Open,
        Some(AcquisitionClosed::TokenExpired) => AcquisitionState::TokenExpired,
        Some(AcquisitionClosed::SessionExpired) => AcquisitionState::SessionExpired,
        Some(AcquisitionClosed::AlreadyFinalized) => AcquisitionState::Finalized,
    };
    Ok(Json(WebSessionResponse {
        account_id: execution.account_id.to_string(),
        workflow_execution_id: execution.id.to_string(),
        definition_key: execution.definition_key.to_string(),
        status: execution.status,
        acquisition,
        api: execution.api,
        capture_method: execution.web.capture_method,
        locale: execution.web.locale.clone(),
        success_url: execution.web.success_url.clone(),
        error_url: execution.web.error_url.clone(),
        customer_internal_reference: execution.customer_internal_reference.clone(),
        biometric: execution.definition_key.definition().biometric,
        token_expires_at: timestamp::format(execution.token_expires_at),
        finalize_href: state
            .links
            .workflow_execution(execution.account_id, execution.id),
        credentials,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/web/session/document",
    operation_id = "chooseDocument",
    tag = "web",
    request_body = WebDocumentRequest,
    responses(
        (status = 204, description = "The choice is recorded; processing judges the ID against it"),
        (status = 400, description = "Not an accepted document, or not an ID credential", body = ErrorResponse),
        (status = 401, description = "Missing, invalid or expired workflow token, or expired session", body = ErrorResponse),
        (status = 403, description = "Not a WEB workflow token", body = ErrorResponse),
        (status = 404, description = "No such credential in the token's workflow execution", body = ErrorResponse),
        (status = 409, description = "A side of the document is uploaded already, or acquisition is over", body = ErrorResponse),
    ),
    security(("bearer" = []))
)]
pub async fn choose_document(
    State(state): State<AppState>,
    auth: AcquirerAuth,
    ApiJson(request): ApiJson<WebDocumentRequest>,
) -> Result<StatusCode, ApiError> {
    let grant = web_grant(&auth)?;
    let credential = request.credential_id.parse::<Uuid>().map_err(|_| {
        ApiError::bad_request(ErrorCode::InvalidCredentialId, "credentialId is not a UUID")
    })?;
    let id_type = request
        .id_type
        .parse::<IdType>()
        .map_err(|message| ApiError::bad_request(ErrorCode::InvalidIdType, message))?;
    state
        .verifyd
        .choose_document(grant, credential, &request.country, id_type)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! `GET /api/v1/web/session`: the web client's bootstrap, read with its WEB workflow token.

use axum::extract::State;
use axum::Json;
use verifyd_domain::timestamp;
use verifyd_types::{ErrorResponse, WebCredential, WebSessionResponse};

use super::accounts::preset;

use crate::auth::AcquirerAuth;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/web/session",
    tag = "web",
    responses(
        (status = 200, description = "The execution the token grants, its credentials and where to upload", body = WebSessionResponse),
        (status = 401, description = "Missing or invalid workflow token", body = ErrorResponse),
        (status = 403, description = "Not a WEB workflow token", body = ErrorResponse),
    ),
    security(("bearer" = []))
)]
pub async fn session(
    State(state): State<AppState>,
    auth: AcquirerAuth,
) -> Result<Json<WebSessionResponse>, ApiError> {
    let verifyd_domain::service::Acquirer::Workflow(grant) = &auth.acquirer else {
        return Err(ApiError::forbidden(
            "CHANNEL_NOT_ALLOWED",
            "the web session is read with a WEB workflow token",
        ));
    };
    let details = state.verifyd.web_session(grant).await?;
    let execution = &details.execution;
    let credentials = details
        .credentials
        .iter()
        .filter(|(linked, _)| linked.allowed_channels.contains(&grant.channel))
        .map(|(linked, parts)| {
            let credential = &linked.credential;
            WebCredential {
                id: credential.id.to_string(),
                category: credential.category.as_str().to_owned(),
                country: preset(&credential.country),
                r#type: preset(&credential.id_type),
                parts: state.links.acquisition_parts(
                    execution.account_id,
                    execution.id,
                    credential.id,
                    credential.category,
                ),
                uploaded: parts.iter().map(|part| part.classifier.key()).collect(),
            }
        })
        .collect();
    Ok(Json(WebSessionResponse {
        account_id: execution.account_id.to_string(),
        workflow_execution_id: execution.id.to_string(),
        definition_key: execution.definition_key.to_string(),
        status: execution.status.as_str().to_owned(),
        api: execution.api.as_str().to_owned(),
        capture_method: execution.web.capture_method.as_str().to_owned(),
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

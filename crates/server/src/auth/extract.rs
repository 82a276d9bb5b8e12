use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use verifyd_domain::model::Caller;
use verifyd_domain::service::Acquirer;
use verifyd_types::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::{Bearer, TokenError};

/// The presented credentials, before verification.
pub enum Presented {
    Basic { client_id: String, secret: String },
    Bearer(String),
}

pub fn presented(parts: &Parts) -> Result<Option<Presented>, ApiError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not valid text"))?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| ApiError::unauthorized("the Basic credentials are not valid base64"))?;
        let (client_id, secret) = decoded
            .split_once(':')
            .ok_or_else(|| ApiError::unauthorized("the Basic credentials lack a ':'"))?;
        Ok(Some(Presented::Basic {
            client_id: client_id.to_owned(),
            secret: secret.to_owned(),
        }))
    } else if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        Ok(Some(Presented::Bearer(rest.to_owned())))
    } else {
        Err(ApiError::unauthorized("use HTTP Basic or a Bearer token"))
    }
}

async fn bearer(state: &AppState, token: &str) -> Result<Bearer, ApiError> {
    state
        .tokens
        .verify(token, state.verifyd.clock().now())
        .map_err(|error| match error {
            TokenError::Expired => ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                ErrorCode::TokenExpired,
                error.to_string(),
            ),
            TokenError::Invalid => ApiError::unauthorized(error.to_string()),
        })
}

/// A tenant's API credentials: Basic, or an OAuth2 access token.
pub struct TenantAuth(pub Caller);

impl FromRequestParts<AppState> for TenantAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match presented(parts)? {
            None => Err(ApiError::unauthorized("authentication is required (HTTP Basic or Bearer)")),
            Some(Presented::Basic { client_id, secret }) => state
                .clients
                .verify(&state.verifyd, &client_id, &secret)
                .await
                .map(TenantAuth),
            Some(Presented::Bearer(token)) => match bearer(state, &token).await? {
                Bearer::Access(caller) => Ok(TenantAuth(caller)),
                Bearer::Workflow(_) => Err(ApiError::forbidden(
                    ErrorCode::WorkflowTokenNotAllowed,
                    "a workflow token only acquires data for its workflow execution; use API credentials here",
                )),
            },
        }
    }
}

/// Who may acquire: a workflow token, or the tenant's own credentials.
pub struct AcquirerAuth {
    pub acquirer: Acquirer,
    /// The bearer token presented, echoed back as `api.token` when it is a workflow token.
    pub workflow_token: Option<String>,
}

impl FromRequestParts<AppState> for AcquirerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match presented(parts)? {
            None => Err(ApiError::unauthorized(
                "authentication is required (the workflow token, HTTP Basic or Bearer)",
            )),
            Some(Presented::Basic { client_id, secret }) => {
                let caller = state
                    .clients
                    .verify(&state.verifyd, &client_id, &secret)
                    .await?;
                Ok(AcquirerAuth {
                    acquirer: Acquirer::Tenant(caller),
                    workflow_token: None,
                })
            }
            Some(Presented::Bearer(token)) => match bearer(state, &token).await? {
                Bearer::Access(caller) => Ok(AcquirerAuth {
                    acquirer: Acquirer::Tenant(caller),
                    workflow_token: None,
                }),
                Bearer::Workflow(grant) => Ok(AcquirerAuth {
                    acquirer: Acquirer::Workflow(grant),
                    workflow_token: Some(token),
                }),
            },
        }
    }
}

/// The Document Verification web client's `initiationToken`, sent as a Bearer token: the
/// domain finds the one transaction it opens. The tenant's credentials do not stand in for it,
/// so that these routes act for the user holding the link and no one else.
pub struct InitiationTokenAuth(pub String);

impl FromRequestParts<AppState> for InitiationTokenAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match presented(parts)? {
            Some(Presented::Bearer(token)) => Ok(InitiationTokenAuth(token)),
            _ => Err(ApiError::unauthorized(
                "send the initiationToken of the clientRedirectUrl as a Bearer token",
            )),
        }
    }
}

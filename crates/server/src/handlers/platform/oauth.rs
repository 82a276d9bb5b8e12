//! `POST /oauth2/token`: the client-credentials grant.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::Form;
use axum::Json;
use verifyd_types::{ErrorCode, GrantType, TokenRequest, TokenResponse};

use crate::auth::extract_presented;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::ACCESS_TOKEN_SECONDS;

/// The Authorization header, read before the form body is consumed.
pub struct BasicHeader(Option<(String, String)>);

impl FromRequestParts<AppState> for BasicHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        match extract_presented(parts)? {
            Some(crate::auth::Presented::Basic { client_id, secret }) => Ok(BasicHeader(Some((client_id, secret)))),
            Some(crate::auth::Presented::Bearer(_)) => Err(ApiError::unauthorized(
                "authenticate the client with HTTP Basic or the client_id/client_secret form fields",
            )),
            None => Ok(BasicHeader(None)),
        }
    }
}

#[utoipa::path(
    post,
    path = "/oauth2/token",
    operation_id = "requestToken",
    tag = "authentication",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token valid for 3600 seconds", body = TokenResponse),
        (status = 400, description = "No or another grant_type (UNSUPPORTED_GRANT_TYPE), or a malformed form", body = verifyd_types::ErrorResponse),
        (status = 401, description = "No client credentials, an unknown client or a wrong secret", body = verifyd_types::ErrorResponse),
    ),
    security((), ("basic" = []))
)]
pub async fn token(
    State(state): State<AppState>,
    BasicHeader(basic): BasicHeader,
    Form(form): Form<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    if form.grant_type.as_deref() != Some(GrantType::ClientCredentials.as_str()) {
        return Err(ApiError::bad_request(
            ErrorCode::UnsupportedGrantType,
            "grant_type must be client_credentials",
        ));
    }
    let (client_id, secret) = match (basic, form.client_id, form.client_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(ApiError::unauthorized("client credentials are required")),
    };
    let caller = state
        .clients
        .verify(&state.verifyd, &client_id, &secret)
        .await?;
    let access_token = state
        .tokens
        .access_token(&caller, state.verifyd.clock().now())
        .map_err(ApiError::internal)?;
    Ok(Json(TokenResponse {
        access_token,
        expires_in: ACCESS_TOKEN_SECONDS.unsigned_abs(),
        token_type: "Bearer".to_owned(),
    }))
}

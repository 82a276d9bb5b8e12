//! `POST /oauth2/token`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Form body of the client-credentials grant; the client may authenticate here instead of by
/// HTTP Basic.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct TokenResponse {
    pub access_token: String,
    pub expires_in: u64,
    pub token_type: String,
}

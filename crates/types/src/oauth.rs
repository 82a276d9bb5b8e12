//! `POST /oauth2/token`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Form body of the client-credentials grant; the client may authenticate here instead of by
/// HTTP Basic.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct TokenRequest {
    /// Read as text so that another grant is refused with its own code, not as a bad form.
    #[schema(value_type = GrantType, required = true)]
    pub grant_type: Option<String>,
    /// With `client_secret`, instead of HTTP Basic (which wins when both are given).
    #[schema(value_type = String, required = false)]
    pub client_id: Option<String>,
    #[schema(value_type = String, required = false)]
    pub client_secret: Option<String>,
}

/// The grants `POST /oauth2/token` supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub enum GrantType {
    #[serde(rename = "client_credentials")]
    ClientCredentials,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::ClientCredentials => "client_credentials",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct TokenResponse {
    pub access_token: String,
    pub expires_in: u64,
    pub token_type: String,
}

//! Signed bearer tokens (JWT, HS256): OAuth2 access tokens for tenants, and workflow tokens
//! (`sdk.token`, `api.token`, the web `authorizationToken`) scoped to one workflow execution and
//! one channel. Expiry is checked against the injected clock, not by the JWT library, and a
//! workflow token's usable life is decided by the domain (token lifetime, then session).

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use verifyd_domain::model::{Caller, Channel, Scope};
use verifyd_domain::service::WorkflowGrant;

pub const ACCESS_TOKEN_SECONDS: i64 = 3600;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    /// "access" or "workflow".
    typ: String,
    /// The client id (access) or the workflow execution id (workflow).
    sub: String,
    ten: Uuid,
    iat: i64,
    exp: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scp: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    acc: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ch: Option<Channel>,
}

/// What a valid bearer token grants.
#[derive(Debug, Clone)]
pub enum Bearer {
    Access(Caller),
    Workflow(WorkflowGrant),
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token is not valid")]
    Invalid,
    #[error("the access token has expired")]
    Expired,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn access_token(
        &self,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        self.sign(&Claims {
            typ: "access".to_owned(),
            sub: caller.client_id.clone(),
            ten: caller.tenant_id,
            iat: now.timestamp(),
            exp: (now + Duration::seconds(ACCESS_TOKEN_SECONDS)).timestamp(),
            scp: caller
                .scopes
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            acc: None,
            ch: None,
        })
    }

    /// `expires_at` is the token lifetime's end; the session may keep the token usable longer.
    pub fn workflow_token(
        &self,
        grant: &WorkflowGrant,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        self.sign(&Claims {
            typ: "workflow".to_owned(),
            sub: grant.execution_id.to_string(),
            ten: grant.tenant_id,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            scp: Vec::new(),
            acc: Some(grant.account_id),
            ch: Some(grant.channel),
        })
    }

    fn sign(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Bearer, TokenError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        match claims.typ.as_str() {
            "access" => {
                if now.timestamp() >= claims.exp {
                    return Err(TokenError::Expired);
                }
                let scopes = claims
                    .scp
                    .iter()
                    .map(|s| s.parse::<Scope>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| TokenError::Invalid)?;
                Ok(Bearer::Access(Caller {
                    tenant_id: claims.ten,
                    client_id: claims.sub,
                    scopes,
                }))
            }
            "workflow" => {
                let execution_id = claims
                    .sub
                    .parse::<Uuid>()
                    .map_err(|_| TokenError::Invalid)?;
                match (claims.acc, claims.ch) {
                    (Some(account_id), Some(channel)) => Ok(Bearer::Workflow(WorkflowGrant {
                        tenant_id: claims.ten,
                        account_id,
                        execution_id,
                        channel,
                    })),
                    _ => Err(TokenError::Invalid),
                }
            }
            _ => Err(TokenError::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_with_their_key_and_expire_on_the_injected_clock() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let caller = Caller {
            tenant_id: Uuid::nil(),
            client_id: "client".to_owned(),
            scopes: vec![Scope::Retrieve],
        };
        let token = keys.access_token(&caller, now).unwrap_or_default();
        assert!(matches!(keys.verify(&token, now), Ok(Bearer::Access(c)) if c == caller));
        assert!(matches!(
            keys.verify(&token, now + Duration::seconds(ACCESS_TOKEN_SECONDS)),
            Err(TokenError::Expired)
        ));
        let other = TokenKeys::new(b"another key, another key, another");
        assert!(matches!(
            other.verify(&token, now),
            Err(TokenError::Invalid)
        ));
        let mut tampered = token.clone();
        tampered.insert(tampered.len() / 2, 'x');
        assert!(keys.verify(&tampered, now).is_err());
    }
}

//! Tenants and their API credentials (the CLI's `tenant create` and `credentials create`).

use uuid::Uuid;
use verifyd_types::ErrorCode;

use super::Verifyd;
use crate::error::{DomainError, Resource};
use crate::model::{AcceptedCountry, ApiClient, Scope, Tenant};
use crate::repository::RepositoryError;
use crate::rules::{text, FieldError};

/// A credential to store: the secret itself never reaches the domain, only its hash.
#[derive(Debug, Clone)]
pub struct NewApiCredential {
    pub client_id: String,
    pub secret_hash: String,
    pub scopes: Vec<Scope>,
}

impl Verifyd {
    pub async fn create_tenant(
        &self,
        name: &str,
        credential: NewApiCredential,
    ) -> Result<Tenant, DomainError> {
        let name = text::reference("name", name, 100)?;
        let now = self.clock.now();
        let tenant = Tenant {
            id: crate::random::new_id(self.random.as_ref()),
            name,
            accepted_id_types: None,
            callback_url: None,
            created_at: now,
        };
        let client = ApiClient {
            client_id: credential.client_id,
            tenant_id: tenant.id,
            secret_hash: credential.secret_hash,
            scopes: credential.scopes,
            created_at: now,
        };
        match self.repository.insert_tenant(&tenant, &client).await {
            Err(RepositoryError::Conflict(_)) => Err(DomainError::Conflict {
                code: ErrorCode::TenantExists,
                message: format!("a tenant named {:?} already exists", tenant.name),
            }),
            other => other.map(|()| tenant).map_err(DomainError::from),
        }
    }

    pub async fn tenant_named(&self, name: &str) -> Result<Tenant, DomainError> {
        self.repository
            .tenant_by_name(name)
            .await?
            .ok_or(DomainError::NotFound(Resource::Tenant))
    }

    pub async fn create_api_credential(
        &self,
        tenant: Uuid,
        credential: NewApiCredential,
    ) -> Result<ApiClient, DomainError> {
        let client = ApiClient {
            client_id: credential.client_id,
            tenant_id: tenant,
            secret_hash: credential.secret_hash,
            scopes: credential.scopes,
            created_at: self.clock.now(),
        };
        self.repository.insert_api_client(&client).await?;
        Ok(client)
    }

    pub async fn api_client(&self, client_id: &str) -> Result<Option<ApiClient>, DomainError> {
        Ok(self.repository.api_client(client_id).await?)
    }

    /// Sets (or with `None` clears) where callbacks go when an execution names no callbackUrl.
    pub async fn set_tenant_callback_url(
        &self,
        tenant: Uuid,
        url: Option<&str>,
    ) -> Result<(), DomainError> {
        let url = url
            .map(|url| {
                crate::rules::url_rules::validate(
                    "callbackUrl",
                    url,
                    255,
                    self.policy.allow_local_urls,
                )
            })
            .transpose()?;
        Ok(self
            .repository
            .set_tenant_callback_url(tenant, url.as_deref())
            .await?)
    }

    /// Sets which documents the tenant accepts; `None` accepts every supported one.
    pub async fn set_accepted_id_types(
        &self,
        tenant: Uuid,
        accepted: Option<Vec<AcceptedCountry>>,
    ) -> Result<(), DomainError> {
        if let Some(list) = &accepted {
            for entry in list {
                let supported =
                    crate::catalogue::country(&entry.country_code).ok_or_else(|| {
                        FieldError::new(
                            "countryCode",
                            format!("{:?} is not a supported country", entry.country_code),
                        )
                    })?;
                if let Some(unsupported) = entry
                    .id_types
                    .iter()
                    .find(|id_type| !supported.id_types.iter().any(|s| s.id_type == **id_type))
                {
                    return Err(FieldError::new(
                        "idTypes",
                        format!("{unsupported} is not supported for {}", entry.country_code),
                    )
                    .into());
                }
            }
        }
        Ok(self
            .repository
            .set_accepted_id_types(tenant, accepted.as_deref())
            .await?)
    }
}

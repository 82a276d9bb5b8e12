//! Tenant and credential administration, as the CLI offers it. Prints the secret once; only its
//! hash is stored.

use serde::Serialize;
use verifyd_domain::model::Scope;
use verifyd_domain::service::NewApiCredential;

use crate::auth::secrets;
use crate::config::Settings;
use crate::serve::{open_domain, Runtime, StartError};

/// What `verifyd tenant create` and `verifyd credentials create` print.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCredentials {
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Domain(#[from] verifyd_domain::DomainError),
    #[error("hashing the secret: {0}")]
    Hash(String),
}

fn new_credential(
    runtime: &Runtime,
    scopes: Vec<Scope>,
) -> Result<(NewApiCredential, String), AdminError> {
    let (client_id, secret) = secrets::generate(runtime.random.as_ref());
    let secret_hash = secrets::hash(&secret, runtime.random.as_ref())
        .map_err(|error| AdminError::Hash(error.to_string()))?;
    Ok((
        NewApiCredential {
            client_id,
            secret_hash,
            scopes,
        },
        secret,
    ))
}

/// Creates a tenant with credentials that hold every scope.
pub async fn create_tenant(
    settings: &Settings,
    name: &str,
) -> Result<IssuedCredentials, AdminError> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let (credential, secret) = new_credential(&runtime, Scope::ALL.to_vec())?;
    let client_id = credential.client_id.clone();
    let tenant = verifyd.create_tenant(name, credential).await?;
    Ok(IssuedCredentials {
        tenant_id: tenant.id.to_string(),
        client_id,
        client_secret: secret,
    })
}

/// Creates further credentials for an existing tenant, limited to `scopes`.
pub async fn create_credentials(
    settings: &Settings,
    tenant_name: &str,
    scopes: Vec<Scope>,
) -> Result<IssuedCredentials, AdminError> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let tenant = verifyd.tenant_named(tenant_name).await?;
    let (credential, secret) = new_credential(&runtime, scopes)?;
    let client = verifyd.create_api_credential(tenant.id, credential).await?;
    Ok(IssuedCredentials {
        tenant_id: tenant.id.to_string(),
        client_id: client.client_id,
        client_secret: secret,
    })
}

/// Narrows the documents a tenant accepts (`None`: every supported one again).
pub async fn set_accepted_id_types(
    settings: &Settings,
    tenant_name: &str,
    accepted: Option<Vec<verifyd_domain::model::AcceptedCountry>>,
) -> Result<(), AdminError> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let tenant = verifyd.tenant_named(tenant_name).await?;
    verifyd.set_accepted_id_types(tenant.id, accepted).await?;
    Ok(())
}

/// What `verifyd tenant callback` prints: where callbacks go and how to check their signature.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackSettings {
    pub callback_url: Option<String>,
    pub callback_secret: String,
    pub signature_header: &'static str,
}

/// Sets the tenant's default callback URL (when `url` is given) and shows its signing secret.
pub async fn tenant_callback(
    settings: &Settings,
    tenant_name: &str,
    url: Option<&str>,
) -> Result<CallbackSettings, AdminError> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let mut tenant = verifyd.tenant_named(tenant_name).await?;
    if let Some(url) = url {
        let url = (!url.is_empty()).then_some(url);
        verifyd.set_tenant_callback_url(tenant.id, url).await?;
        tenant.callback_url = url.map(str::to_owned);
    }
    let key = crate::callbacks::MasterKey::configured(settings, runtime.random.as_ref())
        .map_err(StartError::from)?;
    Ok(CallbackSettings {
        callback_url: tenant.callback_url,
        callback_secret: key.tenant_secret(tenant.id),
        signature_header: crate::callbacks::SIGNATURE_HEADER,
    })
}

/// What `verifyd tenant screening` changes; what is not given stays.
#[derive(Debug, Clone, Default)]
pub struct ScreeningProfileChange {
    /// A named search profile to change (lists and threshold only), which a request chooses
    /// by `searchProfile`; none for the tenant's default profile.
    pub profile: Option<String>,
    /// Remove the named profile.
    pub remove: bool,
    /// List names separated by commas, or `all`.
    pub lists: Option<String>,
    pub threshold: Option<f64>,
    /// `DONE` or `SUCCESS`.
    pub search_status: Option<String>,
    /// Ongoing monitoring on or off.
    pub monitoring: Option<bool>,
}

/// What `verifyd tenant retention` changes; what is not given stays.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetentionChange {
    /// `Some(None)` keeps transactions forever.
    pub days: Option<Option<u32>>,
    pub delete_fraud: Option<bool>,
}

/// Changes the tenant's data retention and returns it as it now stands.
pub async fn tenant_retention(
    settings: &Settings,
    tenant_name: &str,
    change: RetentionChange,
) -> Result<verifyd_domain::model::Retention, AdminError> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let tenant = verifyd.tenant_named(tenant_name).await?;
    let mut retention = verifyd.retention(tenant.id).await?;
    if change.days.is_none() && change.delete_fraud.is_none() {
        return Ok(retention);
    }
    if let Some(days) = change.days {
        retention.days = days;
    }
    if let Some(delete_fraud) = change.delete_fraud {
        retention.delete_fraud = delete_fraud;
    }
    verifyd.set_retention(tenant.id, &retention).await?;
    Ok(retention)
}

/// Changes the tenant's screening profile, or one of its named search profiles, and returns
/// them all as they now stand: the default profile's fields and `searchProfiles` by name.
pub async fn tenant_screening(
    settings: &Settings,
    tenant_name: &str,
    change: ScreeningProfileChange,
) -> Result<serde_json::Value, AdminError> {
    use verifyd_domain::repository::SearchStatusValue;
    use verifyd_domain::rules::FieldError;
    let invalid = |field: &str, message: &str| {
        AdminError::from(verifyd_domain::DomainError::from(FieldError::new(
            field, message,
        )))
    };
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let tenant = verifyd.tenant_named(tenant_name).await?;
    let mut profile = verifyd.screening_profile(tenant.id).await?;
    let mut named = verifyd.search_profiles(tenant.id).await?;
    let lists = change.lists.map(|lists| match lists.trim() {
        "all" => None,
        names => Some(
            names
                .split(',')
                .map(|name| name.trim().to_owned())
                .collect::<Vec<_>>(),
        ),
    });
    match &change.profile {
        Some(name) => {
            if change.search_status.is_some() || change.monitoring.is_some() {
                return Err(invalid(
                    "profile",
                    "a named profile chooses lists and a threshold; --search-status and --monitoring are the tenant's",
                ));
            }
            if change.remove {
                verifyd.set_search_profile(tenant.id, name, None).await?;
            } else {
                let mut search_profile = named
                    .iter()
                    .find(|(known, _)| known == name)
                    .map(|(_, profile)| profile.clone())
                    .unwrap_or_default();
                if let Some(lists) = lists {
                    search_profile.lists = lists;
                }
                if let Some(threshold) = change.threshold {
                    search_profile.threshold = Some(threshold);
                }
                verifyd
                    .set_search_profile(tenant.id, name, Some(&search_profile))
                    .await?;
            }
        }
        None => {
            if change.remove {
                return Err(invalid("remove", "names no profile: give --profile"));
            }
            if let Some(lists) = lists {
                profile.lists = lists;
            }
            if let Some(threshold) = change.threshold {
                profile.threshold = Some(threshold);
            }
            if let Some(status) = change.search_status {
                profile.search_status = SearchStatusValue::parse(status.trim())
                    .ok_or_else(|| invalid("search-status", "must be DONE or SUCCESS"))?;
            }
            if let Some(monitoring) = change.monitoring {
                profile.monitoring = monitoring;
            }
            verifyd.set_screening_profile(tenant.id, &profile).await?;
        }
    }
    named = verifyd.search_profiles(tenant.id).await?;
    let mut shown = serde_json::to_value(&profile).map_err(|error| {
        AdminError::from(verifyd_domain::DomainError::Internal(error.to_string()))
    })?;
    shown["searchProfiles"] = named
        .into_iter()
        .map(|(name, profile)| {
            (
                name,
                serde_json::json!({ "lists": profile.lists, "threshold": profile.threshold }),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    Ok(shown)
}

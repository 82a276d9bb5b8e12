//! Supported and accepted ID types.

use super::Verifyd;
use crate::catalogue::{IdType, SupportedCountry, SupportedIdType, SUPPORTED_COUNTRIES};
use crate::error::{DomainError, Resource};
use crate::model::Caller;

/// A country with the document types that apply (supported, or accepted by a tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryDocuments {
    pub code: &'static str,
    pub name: &'static str,
    pub id_types: Vec<SupportedIdType>,
}

impl CountryDocuments {
    /// The country with only the document types `keep` admits; `None` when none is left.
    pub fn narrowed(&self, keep: impl Fn(IdType) -> bool) -> Option<CountryDocuments> {
        let id_types: Vec<SupportedIdType> = self
            .id_types
            .iter()
            .filter(|supported| keep(supported.id_type))
            .copied()
            .collect();
        (!id_types.is_empty()).then_some(CountryDocuments {
            code: self.code,
            name: self.name,
            id_types,
        })
    }
}

impl From<&SupportedCountry> for CountryDocuments {
    fn from(country: &SupportedCountry) -> Self {
        Self {
            code: country.code,
            name: country.name,
            id_types: country.id_types.to_vec(),
        }
    }
}

impl Verifyd {
    pub fn supported_id_types(&self) -> Vec<CountryDocuments> {
        SUPPORTED_COUNTRIES
            .iter()
            .map(CountryDocuments::from)
            .collect()
    }

    /// The tenant's accepted documents: every supported one unless the tenant narrowed them.
    pub async fn accepted_id_types(
        &self,
        caller: &Caller,
    ) -> Result<Vec<CountryDocuments>, DomainError> {
        self.accepted_by_tenant(caller.tenant_id).await
    }

    pub(super) async fn accepted_by_tenant(
        &self,
        tenant_id: uuid::Uuid,
    ) -> Result<Vec<CountryDocuments>, DomainError> {
        let tenant = self
            .repository
            .tenant(tenant_id)
            .await?
            .ok_or(DomainError::NotFound(Resource::Tenant))?;
        let Some(accepted) = tenant.accepted_id_types else {
            return Ok(self.supported_id_types());
        };
        Ok(SUPPORTED_COUNTRIES
            .iter()
            .filter_map(|country| {
                let entry = accepted
                    .iter()
                    .find(|entry| entry.country_code == country.code)?;
                CountryDocuments::from(country)
                    .narrowed(|id_type| entry.id_types.contains(&id_type))
            })
            .collect())
    }
}

//! `GET /api/netverify/v2/supportedIdTypes` and `/acceptedIdTypes`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::IdType;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SupportedIdTypesResponse {
    pub timestamp: String,
    pub supported_id_types: Vec<CountryIdTypes>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedIdTypesResponse {
    pub timestamp: String,
    pub accepted_id_types: Vec<CountryIdTypes>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CountryIdTypes {
    pub country_code: String,
    pub country_name: String,
    pub id_types: Vec<IdTypeEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IdTypeEntry {
    pub id_type: IdType,
    pub acquisition_config: AcquisitionConfig,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AcquisitionConfig {
    pub back_side: bool,
}

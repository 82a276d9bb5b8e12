//! Account creation and update (`POST /api/v1/accounts`, `PUT /api/v1/accounts/{id}`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::{Category, Channel, PredefinedType};

/// Body of account creation and update. The Rust type reads every field as optional so that the
/// domain's validation names a missing mandatory field; the schema states which are mandatory.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountRequest {
    /// Mandatory. At most 100 characters, no personal data, none of `<>"/;` `` ` `` `%{}|`.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub customer_internal_reference: Option<String>,
    /// Mandatory.
    #[schema(value_type = WorkflowDefinitionRequest, required = true)]
    pub workflow_definition: Option<WorkflowDefinitionRequest>,
    /// At most 100 characters; mandatory for workflow 32.
    #[schema(schema_with = crate::schema::optional_reference)]
    pub user_reference: Option<String>,
    /// At most 255 characters.
    #[schema(schema_with = crate::schema::free_text_255)]
    pub reporting_criteria: Option<String>,
    /// HTTPS URL, at most 255 characters, no fragment.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub callback_url: Option<String>,
    /// `^\d+[smhd]$`, from 5m to 60d; default 30m.
    #[schema(schema_with = crate::schema::token_lifetime)]
    pub token_lifetime: Option<String>,
    pub web: Option<WebRequest>,
    pub user_consent: Option<UserConsent>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDefinitionRequest {
    /// Workflow definition key: 2, 3, 5, 6, 9, 16, 20 or 32 (a number, or a string holding one).
    #[schema(schema_with = crate::schema::workflow_key, required = true)]
    pub key: Option<serde_json::Value>,
    #[schema(schema_with = crate::schema::credential_definitions)]
    pub credentials: Option<Vec<CredentialDefinitionRequest>>,
    pub capabilities: Option<CapabilitiesRequest>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CredentialDefinitionRequest {
    /// Only for workflow 5: the id of the verified ID credential already on the account.
    pub id: Option<String>,
    /// ID, FACEMAP, DOCUMENT or SELFIE.
    pub category: Option<String>,
    pub country: Option<PresetRequest>,
    #[serde(rename = "type")]
    pub r#type: Option<PresetRequest>,
}

/// A preset of countries or document types, and whether the end user may change it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PresetRequest {
    /// DEFINED (default) or RECOMMENDED.
    pub predefined_type: Option<String>,
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapabilitiesRequest {
    pub watchlist_screening: Option<WatchlistScreeningRequest>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WatchlistScreeningRequest {
    /// The search's options: `{"searchProfile": "NAME"}` or the bare name of one of the
    /// tenant's search profiles; empty for the default profile. Workflows 2, 3 and 32.
    #[schema(schema_with = crate::schema::free_text_1000)]
    pub additional_properties: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebRequest {
    #[schema(schema_with = crate::schema::https_url_255)]
    pub success_url: Option<String>,
    #[schema(schema_with = crate::schema::https_url_255)]
    pub error_url: Option<String>,
    #[schema(schema_with = crate::schema::optional_locale)]
    pub locale: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UserConsent {
    /// IPv4 or IPv6 address.
    #[schema(schema_with = crate::schema::ip_address, required = true)]
    pub user_ip: Option<String>,
    #[schema(value_type = UserLocation, required = true)]
    pub user_location: Option<UserLocation>,
    /// Mandatory where `userLocation.country` is USA.
    pub consent: Option<Consent>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UserLocation {
    #[schema(schema_with = crate::schema::country_code, required = true)]
    pub country: Option<String>,
    #[schema(schema_with = crate::schema::free_text_100)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    /// yes, no or na.
    #[schema(schema_with = crate::schema::consent_obtained, required = true)]
    pub obtained: Option<String>,
    /// `YYYY-MM-DDThh:mm:ss.SSSZ`; mandatory where `obtained` is yes.
    #[schema(schema_with = crate::schema::optional_timestamp)]
    pub obtained_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountResponse {
    pub timestamp: String,
    pub account: IdRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<WebResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk: Option<SdkResponse>,
    pub workflow_execution: WorkflowExecutionResponse,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct IdRef {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct WebResponse {
    pub href: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct SdkResponse {
    pub token: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
pub struct WorkflowExecutionResponse {
    pub id: String,
    pub credentials: Vec<CredentialResponse>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CredentialResponse {
    pub id: String,
    pub category: Category,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<PresetResponse>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<PresetResponse>,
    pub allowed_channels: Vec<Channel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiLinks>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PresetResponse {
    pub predefined_type: PredefinedType,
    pub values: Vec<String>,
}

/// What the API channel may do with a credential: its token, one href per part (keys in lower
/// case), and the href that finalizes the workflow execution.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApiLinks {
    pub token: String,
    pub parts: BTreeMap<String, String>,
    pub workflow_execution: String,
}

/// `GET /api/v1/accounts/{accountId}`: the account and its workflow executions (what
/// `account.href` in status responses and callbacks points at).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetailsResponse {
    pub account: AccountSummary,
    pub workflow_executions: Vec<crate::WorkflowExecutionStatus>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
}

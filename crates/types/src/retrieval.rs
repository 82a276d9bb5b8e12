//! Retrieval: status and workflow details.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::{Category, Classifier, DecisionType, Delivery, ExecutionStatus};
use crate::IdRef;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatusResponse {
    pub account: HrefRef,
    pub workflow_execution: WorkflowExecutionStatus,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct HrefRef {
    pub id: String,
    pub href: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowExecutionStatus {
    pub id: String,
    pub href: String,
    pub definition_key: String,
    /// INITIATED, ACQUIRED, PROCESSED, SESSION_EXPIRED or TOKEN_EXPIRED.
    pub status: ExecutionStatus,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDetailsResponse {
    pub workflow: WorkflowSummary,
    pub account: IdRef,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    pub credentials: Vec<CredentialDetails>,
    /// One array per capability (usability, imageChecks, extraction, dataChecks, liveness,
    /// similarity, authentication, watchlistScreening); empty until the execution is processed.
    #[schema(value_type = Object)]
    pub capabilities: BTreeMap<String, serde_json::Value>,
    /// Present once the execution has an outcome (processed or expired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowSummary {
    pub id: String,
    pub status: ExecutionStatus,
    pub definition_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_internal_reference: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct CredentialDetails {
    pub id: String,
    pub category: Category,
    pub parts: Vec<PartRef>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct PartRef {
    pub classifier: Classifier,
    pub href: String,
}

/// The top-level outcome: PASSED (risk 0-30), WARNING (31-70), REJECTED (71-100), NOT_EXECUTED (-1).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct Decision {
    #[serde(rename = "type")]
    pub r#type: DecisionType,
    pub details: DecisionDetails,
    pub risk: Risk,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct DecisionDetails {
    pub label: crate::Label,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct Risk {
    pub score: i32,
}

/// verifyd's record of the callbacks of one workflow execution and of every delivery attempt.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct CallbacksResponse {
    pub callbacks: Vec<CallbackView>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CallbackView {
    pub id: String,
    pub url: String,
    /// The status the callback reports: PROCESSED, SESSION_EXPIRED or TOKEN_EXPIRED.
    pub status: ExecutionStatus,
    /// PENDING, DELIVERED or FAILED (retries exhausted).
    pub delivery: Delivery,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    pub attempts: Vec<CallbackAttemptView>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CallbackAttemptView {
    pub attempted_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// Bytes served as they were stored (an image, a PDF, a facemap). Only the OpenAPI document uses
/// this type.
pub struct StoredFile;

impl utoipa::PartialSchema for StoredFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                utoipa::openapi::schema::KnownFormat::Binary,
            )))
            .into()
    }
}

impl ToSchema for StoredFile {}

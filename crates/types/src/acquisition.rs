//! Parts upload, replacement and deletion, and finalization.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::IdRef;

/// Response to a part upload or replacement. For `PREPARED_DATA` the `api.parts` object is empty.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PartUploadResponse {
    pub timestamp: String,
    pub account: IdRef,
    pub workflow_execution: IdRef,
    pub api: PartApiLinks,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PartApiLinks {
    pub token: String,
    pub parts: BTreeMap<String, String>,
    pub workflow_execution: String,
}

/// Response to finalization and to deletions of parts.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgementResponse {
    pub timestamp: String,
    pub account: IdRef,
    pub workflow_execution: IdRef,
}

/// Data the customer already holds about the user, to compare with what the document says.
/// Unknown fields are refused so that a typo does not silently drop a datapoint.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreparedData {
    pub suffix: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    /// M or F.
    pub sex: Option<String>,
    /// ISO 8601 date, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    pub social_security_number: Option<String>,
    pub nationality: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number2: Option<String>,
    pub personal_number: Option<String>,
    #[schema(value_type = Object)]
    pub address: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Object)]
    pub id: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Object)]
    pub kyc: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Object)]
    pub bank: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Object)]
    pub business: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Response to the deletion of an account or a workflow execution.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DeletionResponse {
    pub timestamp: String,
    pub account: IdRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_execution: Option<IdRef>,
}

/// A liveness challenge (verifyd's own resource; the specification leaves capture to its SDKs):
/// the turns the person must make, in order, while the capture client uploads frames as parts
/// `LIVENESS_1` .. `LIVENESS_n` of the same FACEMAP credential. The first frame looks at the
/// camera; a turn to the same side twice needs a look at the camera in between. Frames
/// uploaded before the challenge was issued do not count.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LivenessChallengeResponse {
    /// `TURN_LEFT` / `TURN_RIGHT`: the person turns their head to their own left or right.
    pub turns: Vec<String>,
    pub issued_at: String,
    /// Where the frames go, `{n}` standing for 1, 2, ...
    pub frames: String,
}

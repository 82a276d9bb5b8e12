//! `GET /api/v1/web/session`: what verifyd's own web client needs to run a journey, read with
//! the workflow token from `web.href` or the v4 `redirectUrl`. Not part of the vendor API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::{
    AcquisitionState, CaptureMethod, Category, ExecutionApi, ExecutionStatus, IdType,
};
use crate::PresetResponse;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebSessionResponse {
    pub account_id: String,
    pub workflow_execution_id: String,
    pub definition_key: String,
    pub status: ExecutionStatus,
    /// OPEN while the journey may go on; otherwise TOKEN_EXPIRED (9200), SESSION_EXPIRED (9210)
    /// or FINALIZED, so the client tells the user why it cannot.
    pub acquisition: AcquisitionState,
    /// KYX, NETVERIFY_V4 or PERFORM_NETVERIFY: decides the names of the redirect parameters.
    pub api: ExecutionApi,
    /// CAMERA_AND_UPLOAD, CAMERA_ONLY or UPLOAD_ONLY.
    pub capture_method: CaptureMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    pub customer_internal_reference: String,
    /// The workflow collects biometric data: ask for consent first.
    pub biometric: bool,
    pub token_expires_at: String,
    /// Where the client finalizes the execution.
    pub finalize_href: String,
    pub credentials: Vec<WebCredential>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebCredential {
    pub id: String,
    pub category: Category,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<PresetResponse>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<PresetResponse>,
    /// Upload hrefs by part key (front, back, face, ...).
    pub parts: BTreeMap<String, String>,
    /// Parts already uploaded.
    pub uploaded: Vec<String>,
    /// ID credentials: the documents the user may choose from (the tenant's accepted ones
    /// within the credential's DEFINED presets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<WebDocumentChoice>>,
    /// ID credentials: the document the user chose, once they did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<WebDocumentRequest>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebDocumentChoice {
    /// ISO 3166-1 alpha-3 (or XKX).
    pub country: String,
    pub id_types: Vec<WebIdType>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebIdType {
    pub id_type: IdType,
    /// The back side is captured too.
    pub back_side: bool,
}

/// `POST /api/v1/web/session/document`: the document the user holds (also how the session
/// shows the choice made).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebDocumentRequest {
    #[schema(format = Uuid)]
    pub credential_id: String,
    #[schema(schema_with = crate::schema::country_code)]
    pub country: String,
    #[schema(schema_with = crate::schema::id_type)]
    pub id_type: String,
}

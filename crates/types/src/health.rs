//! `GET /health`, the vendor's status-host document.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct HealthResponse {
    /// UP, DEGRADED or DOWN.
    pub status: String,
    /// Per service (api, callback, processing, retrieval, web): UP, DEGRADED or DOWN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

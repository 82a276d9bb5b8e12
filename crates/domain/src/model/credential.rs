//! Credentials: what a workflow execution acquires (an ID, a selfie, a facemap, a document).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use verifyd_types::values::{Category, Channel, PredefinedType};

/// Preset countries or document types of a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    pub predefined_type: PredefinedType,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub account_id: Uuid,
    /// The workflow execution that acquired it. A later execution may use it too (workflow 5
    /// compares a selfie with an ID already on file) without owning it.
    pub execution_id: Uuid,
    pub category: Category,
    pub country: Option<Preset>,
    pub id_type: Option<Preset>,
    /// The document the user said they hold (web client), within the presets.
    pub chosen: Option<DocumentChoice>,
    pub created_at: DateTime<Utc>,
}

/// A country and document type the end user chose for an ID credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentChoice {
    pub country: String,
    pub id_type: crate::catalogue::IdType,
}

impl Credential {
    /// The presets processing judges the ID against: the user's choice, where there is one,
    /// as DEFINED single values; else the customer's presets.
    pub fn document_presets(&self) -> (Option<Preset>, Option<Preset>) {
        match &self.chosen {
            Some(choice) => {
                let defined = |value: &str| Preset {
                    predefined_type: PredefinedType::Defined,
                    values: vec![value.to_owned()],
                };
                (
                    Some(defined(&choice.country)),
                    Some(defined(choice.id_type.as_str())),
                )
            }
            None => (self.country.clone(), self.id_type.clone()),
        }
    }
}

/// A credential as one workflow execution uses it: position and channels belong to that use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionCredential {
    pub credential: Credential,
    pub position: u32,
    pub allowed_channels: Vec<Channel>,
}

impl ExecutionCredential {
    pub fn owned_by(&self, execution: Uuid) -> bool {
        self.credential.execution_id == execution
    }
}

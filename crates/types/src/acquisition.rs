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
    #[schema(schema_with = crate::schema::free_text_255)]
    pub suffix: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub first_name: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub middle_name: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub last_name: Option<String>,
    /// M or F.
    #[schema(schema_with = crate::schema::sex)]
    pub sex: Option<String>,
    /// ISO 8601 date, `YYYY-MM-DD`.
    #[schema(schema_with = crate::schema::optional_date)]
    pub date_of_birth: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub social_security_number: Option<String>,
    #[schema(schema_with = crate::schema::optional_country_code)]
    pub nationality: Option<String>,
    #[schema(schema_with = crate::schema::email)]
    pub email: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub phone_number: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub phone_number2: Option<String>,
    #[schema(schema_with = crate::schema::free_text_255)]
    pub personal_number: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub address: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Option<Object>)]
    pub id: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Option<Object>)]
    pub kyc: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Option<Object>)]
    pub bank: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(value_type = Option<Object>)]
    pub business: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The body of a file part's upload (`multipart/form-data`): the bytes in a field named `file`
/// (JPEG or PNG for FRONT, BACK, FACE and LIVENESS_n; PDF for DOCUMENT; a facemap this server
/// issued for FACEMAP); other fields are ignored, as long as their names can be sent in a part's
/// header (no control characters but tab). Only the OpenAPI document uses this type: the handler
/// streams the field with its size cap.
pub struct PartFile;

impl utoipa::PartialSchema for PartFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .property(
                "file",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
            )
            .required("file")
            .property_names(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r"^[^\u0000-\u0008\u000A-\u001F\u007F]*$")),
            ))
            .into()
    }
}

impl ToSchema for PartFile {}

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

/// The classifier of a part in a path, under the name the handlers' path parameters use.
pub type PartClassifier = crate::values::Classifier;

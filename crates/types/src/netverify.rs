//! The older netverify API: `POST /api/v4/initiate`, the netverify retrieval API
//! (`/api/netverify/v2/scans/...`) and its delete API, in that API's own field names.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::{
    IdentityReason, MrzCheck, ScanStatus, Similarity, Validity, VerificationStatus,
};

/// Body of `POST /api/v4/initiate`. Fields are loosely typed here so that the domain names the
/// field that breaks a rule instead of failing deserialisation as a whole; the schema states the
/// rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InitiateRequest {
    /// Mandatory. At most 100 characters, no personal data.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub customer_internal_reference: Option<String>,
    /// Mandatory. At most 100 characters, no personal data.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub user_reference: Option<String>,
    /// At most 100 characters.
    #[schema(schema_with = crate::schema::free_text_100)]
    pub reporting_criteria: Option<String>,
    /// HTTPS URL, at most 2047 characters.
    #[schema(schema_with = crate::schema::https_url_2047)]
    pub success_url: Option<String>,
    /// HTTPS URL, at most 255 characters.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub error_url: Option<String>,
    /// HTTPS URL, at most 255 characters.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub callback_url: Option<String>,
    /// 100, 101, 102 (ID only) or 200, 201, 202 (ID + Identity): camera + upload, camera only,
    /// upload only. Default 100.
    #[schema(schema_with = crate::schema::netverify_workflow_id)]
    pub workflow_id: Option<serde_json::Value>,
    /// At most one preset (index 1).
    #[schema(max_items = 1)]
    pub presets: Option<Vec<InitiatePreset>>,
    /// One of the web client's locales; default `en`.
    #[schema(schema_with = crate::schema::optional_locale)]
    pub locale: Option<String>,
    /// 5 to 86400; default 30.
    #[schema(schema_with = crate::schema::netverify_token_minutes)]
    pub token_lifetime_in_minutes: Option<serde_json::Value>,
}

/// Preset country and document type (index 1).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InitiatePreset {
    #[schema(schema_with = crate::schema::netverify_preset_index, required = true)]
    pub index: Option<serde_json::Value>,
    /// ISO 3166-1 alpha-3, or XKX.
    #[schema(schema_with = crate::schema::country_code, required = true)]
    pub country: Option<String>,
    /// PASSPORT, DRIVING_LICENSE or ID_CARD.
    #[serde(rename = "type")]
    #[schema(schema_with = crate::schema::netverify_preset_type, required = true)]
    pub r#type: Option<String>,
    /// Watchlist screening of the ID's holder (reference/netverify-screening.md).
    pub additional_checks: Option<AdditionalChecksRequest>,
}

/// A preset's `additionalChecks`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdditionalChecksRequest {
    pub watchlist_screening: Option<WatchlistScreeningCheck>,
}

/// `additionalChecks.watchlistScreening`: the guide's table spells the switch `enabledSearch`,
/// its samples `enableSearch` (as the string "true"); both are read, as a boolean or a string.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WatchlistScreeningCheck {
    /// true or false (also as a string); screening runs unless it is false.
    #[schema(schema_with = crate::schema::boolean_or_string)]
    pub enabled_search: Option<serde_json::Value>,
    /// As `enabledSearch`.
    #[schema(schema_with = crate::schema::boolean_or_string)]
    pub enable_search: Option<serde_json::Value>,
    /// One of the tenant's search profiles (`verifyd tenant screening --profile`); the
    /// tenant's default profile when absent.
    #[schema(min_length = 1, max_length = 100, pattern = r"^[A-Za-z0-9._-]+$")]
    pub search_profile: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InitiateResponse {
    pub timestamp: String,
    pub transaction_reference: String,
    /// Where to send the user: verifyd's web client, with the authorization token.
    pub redirect_url: String,
}

/// Body of `POST /api/netverify/v2/performNetverify`: the ID (and optionally the face) as base64
/// in one JSON request, no hosted page. Loosely typed, as `InitiateRequest`, so that the domain
/// names the field that breaks a rule; the schema states the rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerformNetverifyRequest {
    /// Mandatory. At most 100 characters, no personal data.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub merchant_id_scan_reference: Option<String>,
    /// Mandatory. Base64 of a JPEG or PNG: at most 15 MB, under 8000 pixels a side, its longest
    /// side over 300 pixels.
    #[schema(schema_with = crate::schema::base64_image, required = true)]
    pub frontside_image: Option<String>,
    /// image/jpeg (default) or image/png: what `frontsideImage` must be.
    #[schema(schema_with = crate::schema::image_mime_type)]
    pub frontside_image_mime_type: Option<String>,
    /// As `frontsideImage`; optional.
    #[schema(schema_with = crate::schema::optional_base64_image)]
    pub backside_image: Option<String>,
    #[schema(schema_with = crate::schema::image_mime_type)]
    pub backside_image_mime_type: Option<String>,
    /// As `frontsideImage`. With it the transaction is ID + Identity (face match), without it
    /// ID only; mandatory when `enabledFields` names `idFaceMatch`.
    #[schema(schema_with = crate::schema::optional_base64_image)]
    pub face_image: Option<String>,
    #[schema(schema_with = crate::schema::image_mime_type)]
    pub face_image_mime_type: Option<String>,
    /// Mandatory. ISO 3166-1 alpha-3, or XKX.
    #[schema(schema_with = crate::schema::country_code, required = true)]
    pub country: Option<String>,
    /// Mandatory. PASSPORT, DRIVING_LICENSE, ID_CARD or VISA.
    #[schema(schema_with = crate::schema::id_type, required = true)]
    pub id_type: Option<String>,
    /// Comma-separated, at most 100 characters: idNumber, idFirstName, idLastName, idDob,
    /// idExpiry, idUsState, idPersonalNumber, idFaceMatch, idAddress.
    #[schema(schema_with = crate::schema::enabled_fields)]
    pub enabled_fields: Option<String>,
    /// At most 100 characters.
    #[schema(schema_with = crate::schema::free_text_100)]
    pub merchant_reporting_criteria: Option<String>,
    /// Mandatory. At most 100 characters, no personal data.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub customer_id: Option<String>,
    /// HTTPS URL, at most 255 characters.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub callback_url: Option<String>,
    /// The customer's data, compared with the document's: at most 100 characters.
    #[schema(schema_with = crate::schema::free_text_100)]
    pub first_name: Option<String>,
    #[schema(schema_with = crate::schema::free_text_100)]
    pub last_name: Option<String>,
    #[schema(schema_with = crate::schema::free_text_100)]
    pub us_state: Option<String>,
    /// YYYY-MM-DD.
    #[schema(schema_with = crate::schema::optional_date)]
    pub expiry: Option<String>,
    #[schema(schema_with = crate::schema::free_text_100)]
    pub number: Option<String>,
    /// YYYY-MM-DD.
    #[schema(schema_with = crate::schema::optional_date)]
    pub dob: Option<String>,
    /// onFinish (default) or onAllSteps.
    #[schema(schema_with = crate::schema::callback_granularity)]
    pub callback_granularity: Option<String>,
    /// At most 14 characters.
    #[schema(schema_with = crate::schema::free_text_14)]
    pub personal_number: Option<String>,
    /// The end user's consent to biometric processing.
    pub user_consent: Option<crate::UserConsent>,
    /// Watchlist screening of the ID's holder (reference/netverify-screening.md, "API
    /// screening").
    pub additional_checks: Option<AdditionalChecksRequest>,
}

/// The answer of `POST /api/netverify/v2/performNetverify`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerformNetverifyResponse {
    pub timestamp: String,
    /// The transaction's scan reference for the retrieval and delete APIs (the workflow
    /// execution's id).
    pub jumio_id_scan_reference: String,
}

/// `GET /api/netverify/v2/scans/{scanReference}`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanStatusResponse {
    pub timestamp: String,
    pub scan_reference: String,
    /// PENDING, DONE or FAILED.
    pub status: ScanStatus,
}

/// `GET /api/netverify/v2/scans/{scanReference}/data`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanDataResponse {
    pub timestamp: String,
    pub scan_reference: String,
    pub document: ScanDocument,
    pub transaction: ScanTransaction,
    pub verification: ScanVerification,
}

/// The document as read: absent fields were not read.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanDocument {
    /// APPROVED_VERIFIED, DENIED_FRAUD, DENIED_UNSUPPORTED_ID_TYPE,
    /// DENIED_UNSUPPORTED_ID_COUNTRY, ERROR_NOT_READABLE_ID or NO_ID_UPLOADED.
    #[schema(value_type = VerificationStatus)]
    pub status: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_subtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuing_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub us_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional_data1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional_data2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanTransaction {
    /// PENDING, DONE or FAILED.
    pub status: ScanStatus,
    /// WEB, WEB_CAM, WEB_UPLOAD or API.
    pub source: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_scan_reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_reporting_criteria: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanVerification {
    /// OK or NOT_AVAILABLE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz_check: Option<MrzCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<RejectReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_verification: Option<IdentityVerification>,
    /// Watchlist screening, when the transaction asked for it
    /// (reference/netverify-screening.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_checks: Option<AdditionalChecks>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdditionalChecks {
    pub watchlist_screening: WatchlistScreeningResult,
}

/// The screening of a netverify transaction, in the guide's retrieval sample's shape (there
/// `searchResults` is a string; the callback's sample sends a number).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WatchlistScreeningResult {
    /// DONE (or SUCCESS, as the tenant's profile says), NOT_DONE or ERROR.
    pub search_status: String,
    /// The rest only when the search was done. YYYY-MM-DDThh:mm:ss.SSSZ
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_reference: Option<String>,
    /// verifyd's report of the search (`GET /api/v1/screening/searches/{searchId}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_result_url: Option<String>,
    /// The number of matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_results: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RejectReason {
    pub reject_reason_code: String,
    pub reject_reason_description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reason_details: Option<RejectReasonDetails>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RejectReasonDetails {
    pub details_code: String,
    pub details_description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentityVerification {
    /// MATCH, NO_MATCH or NOT_POSSIBLE.
    pub similarity: Similarity,
    /// "TRUE" or "FALSE".
    pub validity: Validity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<IdentityReason>,
}

/// The images of a v4 transaction, as `/images/{classifier}` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScanImageClassifier {
    Front,
    Back,
    Face,
}

/// The parts of `/data` that `/data/{part}` answers alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScanDataPart {
    Document,
    Transaction,
    Verification,
}

/// `GET /api/netverify/v2/scans/{scanReference}/images`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanImagesResponse {
    pub timestamp: String,
    pub scan_reference: String,
    pub images: Vec<ScanImageRef>,
    /// The frames of the web client's liveness challenge, in capture order: the URLs of
    /// `.../images/liveness/{n}`. Absent when the transaction has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub liveness_images: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ScanImageRef {
    /// The report names its images; the schema says which names there are.
    #[schema(value_type = ScanImageClassifier)]
    pub classifier: String,
    pub href: String,
}

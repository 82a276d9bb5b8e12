//! The Document Verification API (`/api/netverify/v2/acquisitions`, `.../documents/...`,
//! `supportedDocumentTypes`) in that API's own field names: documents other than IDs (utility
//! bills, bank statements, ...), uploaded page by page or as a PDF, their text read and the
//! guide's data points extracted.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::{DocumentSource, DocumentStatus, DocumentType, ScanStatus};

/// Body of `POST /api/netverify/v2/acquisitions`, and the `metadata` part of
/// `POST .../acquisitions/complete`. Loosely typed so that the domain names the field that
/// breaks a rule; the schema states the rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcquisitionRequest {
    /// Mandatory: a code of `supportedDocumentTypes`.
    #[serde(rename = "type")]
    #[schema(value_type = DocumentType, required = true)]
    pub document_type: Option<String>,
    /// ISO 3166-1 alpha-3, or XKX. Mandatory except for type CC.
    #[schema(schema_with = crate::schema::optional_country_code)]
    pub country: Option<String>,
    /// Mandatory. At most 100 characters, no personal data.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub merchant_scan_reference: Option<String>,
    /// Mandatory. At most 100 characters, no personal data.
    #[schema(schema_with = crate::schema::required_reference, required = true)]
    pub customer_id: Option<String>,
    /// At most 255 characters.
    #[schema(schema_with = crate::schema::free_text_255)]
    pub merchant_reporting_criteria: Option<String>,
    /// HTTPS URL, at most 255 characters.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub callback_url: Option<String>,
    /// Default true; a boolean or "true" / "false".
    #[schema(schema_with = crate::schema::boolean_or_string)]
    pub enable_extraction: Option<serde_json::Value>,
    /// At most 100 characters; mandatory when type is CUSTOM.
    #[schema(schema_with = crate::schema::free_text_100)]
    pub custom_document_code: Option<String>,
    /// The user's IP address, at most 100 characters.
    #[schema(schema_with = crate::schema::free_text_100)]
    pub client_ip: Option<String>,
    /// The web client's: where the user goes after a successful upload. HTTPS URL, at most
    /// 255 characters.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub success_url: Option<String>,
    /// The web client's: where the user goes after an error. HTTPS URL, at most 255
    /// characters.
    #[schema(schema_with = crate::schema::https_url_255)]
    pub error_url: Option<String>,
    /// The web client's: seconds the `clientRedirectUrl` stays valid, 1 to 5184000 (60 days);
    /// default 1800.
    #[schema(schema_with = crate::schema::document_token_lifetime)]
    pub authorization_token_lifetime: Option<serde_json::Value>,
    /// The web client's main color, a hex triplet (`00FF00`); only together with `bgColor`.
    #[schema(schema_with = crate::schema::hex_color)]
    pub base_color: Option<String>,
    /// The web client's background color, a hex triplet; only together with `baseColor`.
    #[schema(schema_with = crate::schema::hex_color)]
    pub bg_color: Option<String>,
    /// The web client's header logo. HTTPS URL, at most 255 characters; validated and kept,
    /// not shown (the page loads no image from elsewhere).
    #[schema(schema_with = crate::schema::https_url_255)]
    pub header_image_url: Option<String>,
    /// The web client's language: a locale of the guide's list (`en_GB` or `en-GB`).
    #[schema(schema_with = crate::schema::document_locale)]
    pub locale: Option<String>,
}

/// `POST /api/netverify/v2/acquisitions` and `POST .../acquisitions/complete`. The vendor
/// tells its two initiations apart by host name (`acquisition.` for the API, `upload.` for the
/// web client); verifyd is one host, so an initiation answers both ways: an API integration
/// reads `timestamp`, a web client integration `clientRedirectUrl`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcquisitionResponse {
    pub timestamp: String,
    pub scan_reference: String,
    /// The Document Verification web client for this transaction, valid for
    /// `authorizationTokenLifetime`; absent from `complete`, which leaves nothing to upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_redirect_url: Option<String>,
}

/// `POST .../acquisitions/{scanReference}/document/pages/{page}` and
/// `PUT .../acquisitions/{scanReference}`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct TimestampResponse {
    pub timestamp: String,
}

/// `POST .../acquisitions/{scanReference}/document`: the PDF's pages.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DocumentPagesAdded {
    pub timestamp: String,
    /// Number of pages taken from the PDF (at most 30).
    pub pages: u32,
}

/// `GET /api/netverify/v2/supportedDocumentTypes`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SupportedDocumentTypesResponse {
    pub timestamp: String,
    pub supported_document_types: Vec<SupportedDocumentType>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SupportedDocumentType {
    pub code: DocumentType,
    pub name: String,
}

/// `GET /api/netverify/v2/documents/{scanReference}`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentStatusResponse {
    pub timestamp: String,
    pub scan_reference: String,
    /// DONE or FAILED; PENDING (verifyd's, as the scans API's) while the pages are read.
    pub status: ScanStatus,
}

/// `GET /api/netverify/v2/documents/{scanReference}/data`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentDataResponse {
    pub timestamp: String,
    pub scan_reference: String,
    pub document: DocumentData,
    pub transaction: DocumentTransaction,
}

/// The `document` object of retrieval and of the callback.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentData {
    /// UPLOADED, EXTRACTED or DISCARDED.
    pub status: DocumentStatus,
    #[serde(rename = "type")]
    pub document_type: DocumentType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// URL of the PDF as uploaded, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_document: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_document_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extracted_data: Option<DocumentExtractedData>,
    /// verifyd's: the data points the guide lists for this type that could not be read
    /// (`name`, `address`, `issueDate`, ...), or why nothing was extracted.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub not_extracted: Vec<String>,
}

/// `document.extractedData`, as the retrieval guide shows it: the nested `extractedData` is a
/// JSON text, as in every sample of the guide.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentExtractedData {
    /// Full name (first name for SSC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssn: Option<String>,
    pub signature_available: bool,
    /// The data points read, as a JSON object in text: addressFormat RAW, line1, line2,
    /// postalCode, city, firstName, issueDate, dueDate, accountNumber, swiftCode,
    /// cardNumberLastFourDigits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extracted_data: Option<String>,
}

/// The `transaction` object of retrieval.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTransaction {
    /// DONE or FAILED; PENDING while the pages are read.
    pub status: ScanStatus,
    pub source: DocumentSource,
    pub merchant_scan_reference: String,
    pub customer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_reporting_criteria: Option<String>,
}

/// `GET /api/netverify/v2/documents/{scanReference}/pages`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentPagesResponse {
    pub timestamp: String,
    pub scan_reference: String,
    pub images: Vec<DocumentPageRef>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DocumentPageRef {
    /// The page number given when uploading (a PDF's pages are numbered from 1).
    pub classifier: u32,
    pub href: String,
}

/// The parts of `/data` that `GET .../documents/{scanReference}/data/{part}` answers.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentDataPart {
    Document,
    Transaction,
}

/// The body of a page or PDF upload (`multipart/form-data`): the file in a field named `image`.
/// Only the OpenAPI document uses this type: the handler streams the field with its size cap.
pub struct DocumentFile;

/// The body of `POST .../acquisitions/complete` (`multipart/form-data`): the file in `image`,
/// the initiation's JSON in `metadata`.
pub struct DocumentSubmission;

fn file_schema(with_metadata: bool) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::Ref;
    let mut schema = ObjectBuilder::new()
        .property(
            "image",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
        )
        .required("image");
    if with_metadata {
        schema = schema
            .property("metadata", Ref::from_schema_name("AcquisitionRequest"))
            .required("metadata");
    }
    schema
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^[^\u0000-\u0008\u000A-\u001F\u007F]*$")),
        ))
        .into()
}

impl utoipa::PartialSchema for DocumentFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        file_schema(false)
    }
}

impl ToSchema for DocumentFile {}

impl utoipa::PartialSchema for DocumentSubmission {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        file_schema(true)
    }
}

impl ToSchema for DocumentSubmission {}

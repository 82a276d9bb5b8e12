//! A Document Verification transaction's row as both backends read it, and its conversion to
//! the domain's values: written once, so that SQLite and PostgreSQL cannot read it differently.

use uuid::Uuid;
use verifyd_domain::model::{
    ClientColors, DocumentExtraction, DocumentPage, DocumentRequest, DocumentSource, DocumentStage,
    DocumentType, DocumentVerification, DocumentWebSettings, InitiationToken, MediaType,
    StoredPageImage,
};
use verifyd_domain::repository::RepositoryError;
use verifyd_domain::timestamp::from_millis;

/// The columns of `document_verifications`, read.
pub(crate) struct VerificationRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub source: String,
    pub document_type: String,
    pub country: Option<String>,
    pub merchant_scan_reference: String,
    pub customer_id: String,
    pub merchant_reporting_criteria: Option<String>,
    pub callback_url: Option<String>,
    pub enable_extraction: i64,
    pub custom_document_code: Option<String>,
    pub client_ip: Option<String>,
    pub stage: String,
    pub original_blob: Option<String>,
    pub extraction: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub success_url: Option<String>,
    pub error_url: Option<String>,
    pub authorization_token_lifetime: Option<i64>,
    pub base_color: Option<String>,
    pub bg_color: Option<String>,
    pub header_image_url: Option<String>,
    pub locale: Option<String>,
    pub initiation_token_hash: Option<String>,
    pub initiation_token_expires_at: Option<i64>,
}

fn corrupt(what: &str, value: &str) -> RepositoryError {
    RepositoryError::Corrupt(format!("unknown {what} {value:?}"))
}

/// How a backend reads one column of a row, by its name.
pub(crate) struct Columns<'r> {
    pub text: &'r dyn Fn(&str) -> Result<String, RepositoryError>,
    pub optional: &'r dyn Fn(&str) -> Result<Option<String>, RepositoryError>,
    pub number: &'r dyn Fn(&str) -> Result<i64, RepositoryError>,
    pub optional_number: &'r dyn Fn(&str) -> Result<Option<i64>, RepositoryError>,
    pub uuid: &'r dyn Fn(&str) -> Result<Uuid, RepositoryError>,
}

impl VerificationRow {
    /// The row's columns, read the backend's way.
    pub fn read(columns: &Columns<'_>) -> Result<Self, RepositoryError> {
        let (text, optional, number) = (columns.text, columns.optional, columns.number);
        Ok(Self {
            id: (columns.uuid)("id")?,
            tenant_id: (columns.uuid)("tenant_id")?,
            source: text("source")?,
            document_type: text("document_type")?,
            country: optional("country")?,
            merchant_scan_reference: text("merchant_scan_reference")?,
            customer_id: text("customer_id")?,
            merchant_reporting_criteria: optional("merchant_reporting_criteria")?,
            callback_url: optional("callback_url")?,
            enable_extraction: number("enable_extraction")?,
            custom_document_code: optional("custom_document_code")?,
            client_ip: optional("client_ip")?,
            stage: text("stage")?,
            original_blob: optional("original_blob")?,
            extraction: optional("extraction")?,
            created_at: number("created_at")?,
            updated_at: number("updated_at")?,
            success_url: optional("success_url")?,
            error_url: optional("error_url")?,
            authorization_token_lifetime: (columns.optional_number)(
                "authorization_token_lifetime",
            )?,
            base_color: optional("base_color")?,
            bg_color: optional("bg_color")?,
            header_image_url: optional("header_image_url")?,
            locale: optional("locale")?,
            initiation_token_hash: optional("initiation_token_hash")?,
            initiation_token_expires_at: (columns.optional_number)("initiation_token_expires_at")?,
        })
    }

    pub fn into_domain(self) -> Result<DocumentVerification, RepositoryError> {
        let extraction = self
            .extraction
            .as_deref()
            .map(serde_json::from_str::<DocumentExtraction>)
            .transpose()
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?;
        Ok(DocumentVerification {
            id: self.id,
            tenant_id: self.tenant_id,
            source: DocumentSource::parse(&self.source)
                .ok_or_else(|| corrupt("document source", &self.source))?,
            request: DocumentRequest {
                document_type: DocumentType::parse(&self.document_type)
                    .ok_or_else(|| corrupt("document type", &self.document_type))?,
                country: self.country,
                merchant_scan_reference: self.merchant_scan_reference,
                customer_id: self.customer_id,
                merchant_reporting_criteria: self.merchant_reporting_criteria,
                callback_url: self.callback_url,
                enable_extraction: self.enable_extraction != 0,
                custom_document_code: self.custom_document_code,
                client_ip: self.client_ip,
                web: DocumentWebSettings {
                    success_url: self.success_url,
                    error_url: self.error_url,
                    token_lifetime_seconds: self
                        .authorization_token_lifetime
                        .map(u32::try_from)
                        .transpose()
                        .map_err(|error| RepositoryError::Corrupt(error.to_string()))?,
                    colors: match (self.base_color, self.bg_color) {
                        (Some(base), Some(background)) => Some(ClientColors { base, background }),
                        _ => None,
                    },
                    header_image_url: self.header_image_url,
                    locale: self.locale,
                },
            },
            stage: DocumentStage::parse(&self.stage)
                .ok_or_else(|| corrupt("document stage", &self.stage))?,
            original_blob: self.original_blob,
            extraction,
            initiation_token: match (self.initiation_token_hash, self.initiation_token_expires_at) {
                (Some(hash), Some(expires_at)) => Some(InitiationToken {
                    hash,
                    expires_at: from_millis(expires_at),
                }),
                _ => None,
            },
            created_at: from_millis(self.created_at),
            updated_at: from_millis(self.updated_at),
        })
    }
}

/// A `document_pages` row, read the backend's way.
pub(crate) fn page(columns: &Columns<'_>) -> Result<DocumentPage, RepositoryError> {
    let number = (columns.number)("number")?;
    let text_layer = (columns.optional)("text_layer")?;
    let image = match (
        (columns.optional)("media_type")?,
        (columns.optional)("blob_key")?,
    ) {
        (Some(media_type), Some(blob_key)) => Some(StoredPageImage {
            media_type: media_type
                .parse::<MediaType>()
                .map_err(RepositoryError::Corrupt)?,
            blob_key,
        }),
        _ => None,
    };
    Ok(DocumentPage {
        number: u32::try_from(number)
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?,
        image,
        text_layer,
    })
}

pub(crate) fn extraction_json(extraction: &DocumentExtraction) -> Result<String, RepositoryError> {
    serde_json::to_string(extraction).map_err(|error| RepositoryError::Corrupt(error.to_string()))
}

/// The blob keys `pages` replace among `existing` (all of them when `replace_all`).
pub(crate) fn replaced_keys(
    existing: &[DocumentPage],
    pages: &[DocumentPage],
    replace_all: bool,
) -> Vec<String> {
    existing
        .iter()
        .filter(|old| replace_all || pages.iter().any(|new| new.number == old.number))
        .filter_map(|old| old.image.as_ref().map(|image| image.blob_key.clone()))
        .collect()
}

//! `GET /api/v1/web/document-session`: what verifyd's Document Verification web client needs
//! to run, read with the `initiationToken` of the `clientRedirectUrl`. Not part of the vendor
//! API: the guide leaves the client's own calls to the vendor.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::values::{AcquisitionState, DocumentType};

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentWebSessionResponse {
    /// The transaction, for the redirect's `jumioIdScanReference`.
    pub scan_reference: String,
    /// OPEN while pages may be added; TOKEN_EXPIRED once the link ran out (error 310);
    /// FINALIZED once the document was submitted.
    pub acquisition: AcquisitionState,
    #[serde(rename = "type")]
    pub document_type: DocumentType,
    /// The most pages the type takes: 2 for CC, 30 otherwise.
    pub max_pages: u32,
    /// The most bytes of all files together (the guide's 10 MB).
    pub max_total_bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The main color, a hex triplet, with `bgColor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bg_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
    pub token_expires_at: String,
    /// Where a page is added: this href, `/`, and its number from 1.
    pub pages_href: String,
    /// Where a PDF of all the pages is added instead.
    pub document_href: String,
    /// Where the client finalizes the transaction (PUT).
    pub finalize_href: String,
}

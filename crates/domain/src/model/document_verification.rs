//! A Document Verification transaction (the guide's "acquisition"): a document other than an ID
//! (a utility bill, a bank statement, ...) uploaded page by page or as a PDF, whose pages'
//! text is read and whose data points are extracted. It is no workflow execution: it has no
//! account, credentials or capabilities, only pages and an extraction.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use verifyd_types::values::ScanStatus;
pub use verifyd_types::values::{DocumentSource, DocumentStatus, DocumentType};

use super::{DocumentWebSettings, InitiationToken, MediaType};

/// Pages may be added to a transaction initiated or updated less than this long ago (the
/// guide's "initiated/updated less than 5 minutes ago").
pub const UPLOAD_WINDOW: Duration = Duration::minutes(5);

/// A transaction not finalized this long after its creation or last update is FAILED (the
/// callback guide's "not successfully finalized within 15 minutes after creation/last update"),
/// unless its web client link still opens it: the user may come later than that.
pub const FINALIZE_WINDOW: Duration = Duration::minutes(15);

/// Where a transaction is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentStage {
    /// Taking pages.
    Acquiring,
    /// Finalized: waiting for a worker to read its pages.
    Processing,
    /// Read, the extraction stored and the callback queued.
    Done,
    /// Not finalized within `FINALIZE_WINDOW` of its last update: the FAILED callback queued.
    Failed,
}

impl DocumentStage {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStage::Acquiring => "ACQUIRING",
            DocumentStage::Processing => "PROCESSING",
            DocumentStage::Done => "DONE",
            DocumentStage::Failed => "FAILED",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentStage> {
        match text {
            "ACQUIRING" => Some(DocumentStage::Acquiring),
            "PROCESSING" => Some(DocumentStage::Processing),
            "DONE" => Some(DocumentStage::Done),
            "FAILED" => Some(DocumentStage::Failed),
            _ => None,
        }
    }
}

/// The request's data, as validated (`rules::document_verification`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRequest {
    pub document_type: DocumentType,
    pub country: Option<String>,
    pub merchant_scan_reference: String,
    pub customer_id: String,
    pub merchant_reporting_criteria: Option<String>,
    pub callback_url: Option<String>,
    pub enable_extraction: bool,
    pub custom_document_code: Option<String>,
    pub client_ip: Option<String>,
    /// The web client's settings; unused by a transaction the API uploads.
    pub web: DocumentWebSettings,
}

/// What reading the pages gave: the data points found, in the guide's names, and those of the
/// type's list that were not (or why nothing was extracted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentExtraction {
    /// EXTRACTED or DISCARDED; None (UPLOADED) when extraction did not run.
    pub status: Option<DocumentStatus>,
    /// Full name (the guide's `firstName` for every type but SSC).
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub ssn: Option<String>,
    pub signature_available: bool,
    pub address: Option<RawAddress>,
    /// YYYY-MM-DD.
    pub issue_date: Option<String>,
    /// YYYY-MM-DD (UB).
    pub due_date: Option<String>,
    pub account_number: Option<String>,
    pub swift_code: Option<String>,
    pub card_number_last_four_digits: Option<String>,
    /// YYYY-MM-DD (BC).
    pub date_of_birth: Option<String>,
    pub not_extracted: Vec<String>,
}

/// The guide's RAW address: its lines as printed, with the postal code and city when a line
/// shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawAddress {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub subdivision: Option<String>,
}

/// One stored page: an image (uploaded, or taken out of a PDF) and, for a PDF's page, the text
/// of its text layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPage {
    pub number: u32,
    /// None for a PDF page that has a text layer but no scanned image: there is nothing to show.
    pub image: Option<StoredPageImage>,
    pub text_layer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPageImage {
    pub media_type: MediaType,
    pub blob_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentVerification {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub source: DocumentSource,
    pub request: DocumentRequest,
    pub stage: DocumentStage,
    /// The PDF as uploaded to `.../document`, if one was.
    pub original_blob: Option<String>,
    /// Set when the transaction is DONE.
    pub extraction: Option<DocumentExtraction>,
    /// The web client's link (`clientRedirectUrl`); None for a single-page `complete`, which
    /// has none.
    pub initiation_token: Option<InitiationToken>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DocumentVerification {
    /// The status retrieval and the callback report.
    pub fn status(&self, now: DateTime<Utc>) -> ScanStatus {
        match self.stage {
            DocumentStage::Done => ScanStatus::Done,
            DocumentStage::Failed => ScanStatus::Failed,
            DocumentStage::Processing => ScanStatus::Pending,
            DocumentStage::Acquiring
                if now - self.updated_at > FINALIZE_WINDOW && !self.link_opens(now) =>
            {
                ScanStatus::Failed
            }
            DocumentStage::Acquiring => ScanStatus::Pending,
        }
    }

    /// Whether the web client's link still opens the transaction (an upload through the API
    /// ends it: the transaction is then the API's).
    pub fn link_opens(&self, now: DateTime<Utc>) -> bool {
        self.initiation_token
            .as_ref()
            .is_some_and(|token| token.is_valid(now))
    }

    /// UPLOADED until the extraction says otherwise.
    pub fn document_status(&self) -> DocumentStatus {
        self.extraction
            .as_ref()
            .and_then(|extraction| extraction.status)
            .unwrap_or(DocumentStatus::Uploaded)
    }

    /// Whether pages may still be added through the API.
    pub fn takes_uploads(&self, now: DateTime<Utc>) -> bool {
        self.stage == DocumentStage::Acquiring && now - self.updated_at <= UPLOAD_WINDOW
    }

    /// The most pages the type takes (the web client guide: 2 for a credit card, 30 otherwise).
    pub fn max_pages(&self) -> u32 {
        max_pages(self.request.document_type)
    }
}

pub fn max_pages(document_type: DocumentType) -> u32 {
    if document_type == DocumentType::Cc {
        2
    } else {
        30
    }
}

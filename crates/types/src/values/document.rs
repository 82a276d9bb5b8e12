//! The Document Verification API's closed sets: the document types of `supportedDocumentTypes`,
//! a document's extraction status, and where a transaction came from.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares the document types and their names from one list, so that parsing, the names
/// `supportedDocumentTypes` answers and `ALL` cannot drift apart.
macro_rules! document_types {
    ($($variant:ident => $code:literal, $name:literal;)+) => {
        /// A document type code of the Document Verification guide's "Supported documents".
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum DocumentType {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl DocumentType {
            /// In the order of the guide's sample `supportedDocumentTypes` response.
            pub const ALL: &'static [DocumentType] = &[$(DocumentType::$variant,)+];

            pub const fn code(self) -> &'static str {
                match self {
                    $(DocumentType::$variant => $code,)+
                }
            }

            /// The name `supportedDocumentTypes` gives it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(DocumentType::$variant => $name,)+
                }
            }

            pub fn parse(code: &str) -> Option<DocumentType> {
                match code {
                    $($code => Some(DocumentType::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

// The schema is written by hand: the derive cannot read the codes through the macro.
impl utoipa::PartialSchema for DocumentType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(DocumentType::ALL.iter().map(|code| code.code())))
            .description(Some(
                "A document type code of the Document Verification guide's \"Supported documents\"",
            ))
            .into()
    }
}

impl ToSchema for DocumentType {}

document_types! {
    Bs => "BS", "Bank statement";
    Cc => "CC", "Credit card";
    Ic => "IC", "Insurance card";
    Ub => "UB", "Utility bill";
    Caap => "CAAP", "Cash advance application";
    Crc => "CRC", "Corporate resolution certificate";
    Ccs => "CCS", "Credit card statement";
    Lag => "LAG", "Lease agreement";
    Loap => "LOAP", "Loan application";
    Moap => "MOAP", "Mortgage application";
    Tr => "TR", "Tax return";
    Vt => "VT", "Vehicle title";
    Vc => "VC", "Voided check";
    Stuc => "STUC", "Student card";
    Hcc => "HCC", "Health care card";
    Cb => "CB", "Council bill";
    Senc => "SENC", "Seniors card";
    Medc => "MEDC", "Medicare card";
    Bc => "BC", "Birth certificate";
    Wwcc => "WWCC", "Working with children check";
    Ss => "SS", "Superannuation statement";
    Tac => "TAC", "Trade association card";
    Sel => "SEL", "School enrolment letter";
    Pb => "PB", "Phone bill";
    Ssc => "SSC", "Social security card";
    Custom => "CUSTOM", "DOCUMENT";
}

/// `document.status`: whether data was extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentStatus {
    /// Stored; no extraction (not asked for, or not read yet).
    Uploaded,
    /// At least one data point of the type was read.
    Extracted,
    /// Extraction ran and found none of the type's data points.
    Discarded,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Uploaded => "UPLOADED",
            DocumentStatus::Extracted => "EXTRACTED",
            DocumentStatus::Discarded => "DISCARDED",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentStatus> {
        match text {
            "UPLOADED" => Some(DocumentStatus::Uploaded),
            "EXTRACTED" => Some(DocumentStatus::Extracted),
            "DISCARDED" => Some(DocumentStatus::Discarded),
            _ => None,
        }
    }
}

/// `transaction.source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentSource {
    /// The Document Verification API (initiation, pages, finalize; or `complete`).
    DocApi,
    /// The Document Verification web client.
    DocUpload,
}

impl DocumentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentSource::DocApi => "DOC_API",
            DocumentSource::DocUpload => "DOC_UPLOAD",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentSource> {
        match text {
            "DOC_API" => Some(DocumentSource::DocApi),
            "DOC_UPLOAD" => Some(DocumentSource::DocUpload),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back() {
        for document_type in DocumentType::ALL {
            assert_eq!(
                DocumentType::parse(document_type.code()),
                Some(*document_type)
            );
        }
        assert_eq!(DocumentType::ALL.len(), 26);
    }
}

//! Checks an upload's bytes before anything is stored. The domain decides which format a part
//! must have; an inspector (the engine, through the server) decides whether the bytes are one.

use async_trait::async_trait;
use bytes::Bytes;

use crate::model::MediaType;

/// What a part's bytes must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartFormat {
    /// JPEG or PNG photograph.
    Image,
    /// A PDF document.
    Pdf,
    /// verifyd's opaque facemap bytes.
    Facemap,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectedPart {
    pub media_type: MediaType,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// How many of the upload's bytes are the file itself. Bytes after an image's end marker
    /// (a ZIP or a page appended to make a polyglot) are not part of the picture and are not
    /// stored.
    pub length: usize,
}

/// Why an upload was refused; each maps to a stable error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; at most {max} are accepted")]
    TooLarge { size: usize, max: usize },
    #[error("the file is not a {expected}")]
    WrongFormat { expected: &'static str },
    #[error("the image is {width}x{height}; at most {max}x{max} is accepted")]
    DimensionsTooLarge { width: u32, height: u32, max: u32 },
    #[error("the image is {width}x{height}; its longest side must be over {min} pixels")]
    DimensionsTooSmall { width: u32, height: u32, min: u32 },
    #[error("the file is damaged or truncated: {0}")]
    Corrupt(String),
    #[error("the file took too long to check")]
    Timeout,
}

/// One page of an uploaded PDF, as Document Verification keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfPage {
    /// The page's scanned image (JPEG, or PNG for an uncompressed one), when it has one.
    pub image: Option<(MediaType, Bytes)>,
    /// The text of its text layer, when it has one.
    pub text: Option<String>,
}

#[async_trait]
pub trait PartInspector: Send + Sync {
    async fn inspect(
        &self,
        format: PartFormat,
        bytes: Bytes,
    ) -> Result<InspectedPart, PartRejection>;

    /// The pages of a PDF (at most `max_pages`, else `TooManyPages`): each page's largest
    /// scanned image and its text layer. Inspectors that cannot take PDFs apart refuse.
    async fn pdf_pages(
        &self,
        bytes: Bytes,
        max_pages: usize,
    ) -> Result<Vec<PdfPage>, PdfRejection> {
        let _ = (bytes, max_pages);
        Err(PdfRejection::Part(PartRejection::WrongFormat {
            expected: "JPEG or PNG image (PDF pages cannot be read here)",
        }))
    }
}

/// Why a PDF's pages were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfRejection {
    #[error(transparent)]
    Part(#[from] PartRejection),
    #[error("the PDF has {pages} pages; at most {max} are accepted")]
    TooManyPages { pages: usize, max: usize },
    #[error(
        "page {page} of the PDF holds neither a scanned image nor a text layer verifyd can read"
    )]
    UnreadablePage { page: usize },
}

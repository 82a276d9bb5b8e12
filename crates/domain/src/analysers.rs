//! The analysers processing calls. Each capability's analyser is optional: one that does not
//! exist yet makes its capability NOT_EXECUTED with TECHNICAL_ERROR, never PASSED.

use async_trait::async_trait;
use bytes::Bytes;

use crate::model::{Category, Classifier};

/// An image part handed to an analyser.
#[derive(Debug, Clone)]
pub struct PartImage {
    pub classifier: Classifier,
    pub bytes: Bytes,
}

/// A usability verdict on one credential's images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsabilityFinding {
    /// PASSED, WARNING or REJECTED.
    pub decision: crate::model::DecisionType,
    /// OK, BAD_QUALITY, BLACK_WHITE, ...
    pub label: crate::model::Label,
    /// Measurements worth showing in the capability's data.
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("analysis failed: {0}")]
pub struct AnalysisError(pub String);

#[async_trait]
pub trait UsabilityAnalyser: Send + Sync {
    async fn usability(
        &self,
        category: Category,
        images: Vec<PartImage>,
    ) -> Result<UsabilityFinding, AnalysisError>;
}

/// The analysers available to processing.
#[derive(Clone, Default)]
pub struct Analysers {
    pub usability: Option<std::sync::Arc<dyn UsabilityAnalyser>>,
    pub documents: Option<std::sync::Arc<dyn DocumentAnalyser>>,
    pub faces: Option<std::sync::Arc<dyn FaceAnalyser>>,
    /// Reads the text of a Document Verification page.
    pub pages: Option<std::sync::Arc<dyn PageReader>>,
}

/// Reads the printed text of a document's page (a bill, a statement): the OCR's lines, top to
/// bottom.
#[async_trait]
pub trait PageReader: Send + Sync {
    async fn read_page(&self, image: Bytes) -> Result<Vec<String>, AnalysisError>;
}

/// Where the data of a document was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingSource {
    /// The machine-readable zone (ICAO 9303).
    Mrz,
    /// The PDF417 barcode of a North American driving licence or ID card (AAMVA).
    Barcode,
}

/// The data fields read from a document, in the extraction's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractedFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub expiry_date: Option<chrono::NaiveDate>,
    pub issuing_date: Option<chrono::NaiveDate>,
    pub document_number: Option<String>,
    pub personal_number: Option<String>,
    pub optional_mrz_field_1: Option<String>,
    pub optional_mrz_field_2: Option<String>,
    /// M, F or X.
    pub gender: Option<String>,
    pub nationality: Option<String>,
    /// State or province (AAMVA).
    pub state: Option<String>,
    /// The extraction's `address` object, when the document prints one.
    pub address: Option<serde_json::Value>,
    pub dl_categories: Vec<String>,
}

/// What the document engine read from the images of one ID credential. The domain turns it into
/// decisions, since those depend on the tenant (accepted IDs) and the credential (presets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReading {
    /// None when nothing in the images identifies a document (no MRZ, no AAMVA barcode).
    pub source: Option<ReadingSource>,
    pub id_type: Option<crate::catalogue::IdType>,
    /// The extraction's `subType` (NATIONAL_ID, REGULAR_DRIVING_LICENSE, ...).
    pub sub_type: Option<String>,
    /// ISO 3166-1 alpha-3 of the issuing state.
    pub issuing_country: Option<String>,
    pub fields: ExtractedFields,
    /// MRZ only: whether every check digit verified (after OCR-confusion correction).
    pub check_digits_pass: Option<bool>,
    /// An ICAO test state (UTO), or a well-known specimen name or number.
    pub specimen: bool,
    /// Image-editing software named in the files' metadata.
    pub edited_with: Option<String>,
    /// Which image held the data (FRONT or BACK).
    pub read_from: Option<Classifier>,
    /// The image the data was read on shows both sides of the card (a scan of front and back
    /// on one page), measured from the MRZ's size against the document's.
    pub both_sides_shown: bool,
    /// Lines of text the OCR found on the images; None when no OCR ran. Tells a document whose
    /// data cannot be read yet (text, but no MRZ or barcode) from a picture of something else.
    pub text_lines: Option<usize>,
    /// The visual zone's captioned fields read against the MRZ or the barcode (the `source`);
    /// None when it was not read.
    pub visual_zone: Option<VisualZoneCheck>,
    /// An image shows a screen's pixel grid (moire): a photo of a screen, not of the document.
    pub photo_of_screen: bool,
    /// An image shows a colour copier's halftone dots: a copy on paper, not the document
    /// (usability PHOTOCOPY; a greyscale copy is BLACK_WHITE, from the photo's quality).
    pub photocopy: bool,
}

/// Which fields of the visual zone were compared with the MRZ or barcode, and which
/// disagreed, by the names `data` gives them (LAST_NAME, DOCUMENT_NUMBER, DATE_OF_BIRTH,
/// EXPIRY_DATE).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisualZoneCheck {
    pub compared: Vec<String>,
    pub mismatched: Vec<String>,
}

#[async_trait]
pub trait DocumentAnalyser: Send + Sync {
    /// `today` places two-digit MRZ years (the injected clock's date).
    async fn read(
        &self,
        images: Vec<PartImage>,
        today: chrono::NaiveDate,
    ) -> Result<DocumentReading, AnalysisError>;
}

/// A liveness verdict with the spec's label.
#[derive(Debug, Clone, PartialEq)]
pub struct LivenessFinding {
    pub decision: crate::model::DecisionType,
    pub label: crate::model::Label,
    /// Why, in a few words; never personal data.
    pub reason: String,
    /// The measures that found the face on a screen or a print (DIGITAL_COPY, PHOTOCOPY).
    pub presentation: Option<PresentationMeasures>,
}

/// How strongly the region around a face shows a screen's pixel grid and a print's halftone
/// dots; in the liveness capability's `data` when they refused it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresentationMeasures {
    /// The strongest colour frequency against the median of frequencies as fine (a screen
    /// from 25 around a face).
    pub screen_peak_ratio: f32,
    /// Square grids of one pitch in the brightness (a halftone print from 2).
    pub halftone_grids: f32,
}

/// What a capture sequence showed.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureFinding {
    pub liveness: LivenessFinding,
    /// The person's template, when the sequence passed.
    pub template: Option<crate::facemap::FaceTemplate>,
    /// One per frame (of its file's bytes), to recognise the frames if they are ever uploaded
    /// again (replay).
    pub fingerprints: Vec<u64>,
}

#[async_trait]
pub trait FaceAnalyser: Send + Sync {
    /// Templates whose cosine reaches this are one person.
    fn match_threshold(&self) -> f32;

    /// The template of the main face on `image` (an ID's portrait, a selfie); None when it
    /// has no face usable for comparison.
    async fn template(
        &self,
        image: PartImage,
    ) -> Result<Option<crate::facemap::FaceTemplate>, AnalysisError>;

    /// Passive liveness of one selfie: it can refuse, never pass.
    async fn selfie_liveness(&self, selfie: PartImage) -> Result<LivenessFinding, AnalysisError>;

    /// Active liveness of frames captured, in order, against `challenge` (TURN_LEFT,
    /// TURN_RIGHT, ...).
    async fn capture_liveness(
        &self,
        challenge: Vec<String>,
        frames: Vec<PartImage>,
    ) -> Result<CaptureFinding, AnalysisError>;
}

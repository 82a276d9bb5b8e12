//! A printed page (a bill, a statement) drawn from its lines of text in OCR-B on white paper
//! at 150 dpi: the Document Verification tests read it back with the OCR.

use image::{Rgb, RgbImage};

use super::render::{text, Scale};
use super::{OcrB, SyntheticError};

/// A4 at 150 dpi.
const WIDTH_MM: f32 = 210.0;
const HEIGHT_MM: f32 = 297.0;
const DOTS_PER_MM: f32 = 150.0 / 25.4;
const MARGIN_MM: f32 = 20.0;
/// Body text of about 12 points.
const CAP_MM: f32 = 3.0;
const LINE_PITCH_MM: f32 = 7.0;

/// `lines` printed top to bottom from the top margin; an empty line leaves a gap.
pub fn printed_page(lines: &[&str]) -> Result<RgbImage, SyntheticError> {
    let font = OcrB::load()?;
    let scale = Scale(DOTS_PER_MM);
    let mut page = RgbImage::from_pixel(
        scale.px(WIDTH_MM).round() as u32,
        scale.px(HEIGHT_MM).round() as u32,
        Rgb([255, 255, 255]),
    );
    for (index, line) in lines.iter().enumerate() {
        let baseline = scale.px(MARGIN_MM + LINE_PITCH_MM * (index as f32 + 1.0));
        text(
            &mut page,
            &font,
            Rgb([20, 20, 20]),
            (scale.px(MARGIN_MM), baseline),
            CAP_MM,
            &scale,
            line,
        );
    }
    Ok(page)
}

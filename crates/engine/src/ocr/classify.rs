//! The line classifier's input: whether a crop is upside down. PaddleOCR's 0/180 model sees
//! the start of the line only, squeezed into 192 columns when longer.

use image::{imageops, RgbImage};
use ndarray::{Array4, ShapeError};

use super::tensor::bgr_batch;

const HEIGHT: u32 = 48;
const WIDTH: u32 = 192;
/// Below this probability the classifier's "upside down" is not trusted (PaddleOCR's value).
pub(super) const TURN_THRESHOLD: f32 = 0.9;

/// `crops` as one batch, each squeezed or padded to the classifier's 192 columns.
pub(super) fn prepare(crops: &[&RgbImage]) -> Result<Array4<f32>, ShapeError> {
    let resized: Vec<RgbImage> = crops
        .iter()
        .map(|crop| {
            let (width, height) = crop.dimensions();
            let scaled = (HEIGHT as f32 * width as f32 / height.max(1) as f32).ceil() as u32;
            let resized_width = scaled.clamp(1, WIDTH);
            imageops::resize(*crop, resized_width, HEIGHT, imageops::FilterType::Triangle)
        })
        .collect();
    let resized: Vec<&RgbImage> = resized.iter().collect();
    bgr_batch(&resized, WIDTH)
}

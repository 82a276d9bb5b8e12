//! The line classifier's input: whether a crop is upside down. PaddleOCR's 0/180 model sees
//! the start of the line only, squeezed into 192 columns when longer.

use image::{imageops, RgbImage};
use ndarray::{Array4, ShapeError};

use super::tensor::bgr_planes;

const HEIGHT: u32 = 48;
const WIDTH: u32 = 192;
/// Below this probability the classifier's "upside down" is not trusted (PaddleOCR's value).
pub(super) const TURN_THRESHOLD: f32 = 0.9;

pub(super) fn prepare(crop: &RgbImage) -> Result<Array4<f32>, ShapeError> {
    let (width, height) = crop.dimensions();
    let scaled = (HEIGHT as f32 * width as f32 / height.max(1) as f32).ceil() as u32;
    let resized_width = scaled.clamp(1, WIDTH);
    let resized = imageops::resize(crop, resized_width, HEIGHT, imageops::FilterType::Triangle);
    bgr_planes(&resized, WIDTH)
}

//! Images in the layout PaddleOCR's networks take: one batch of BGR planes scaled to -1..1.

use image::RgbImage;
use ndarray::{Array4, ShapeError};

/// `image` as a 1 x 3 x height x `width` tensor, zero (mid grey) to the right of the image
/// when `width` is larger.
pub(super) fn bgr_planes(image: &RgbImage, width: u32) -> Result<Array4<f32>, ShapeError> {
    let (image_width, height) = image.dimensions();
    let (image_width, height) = (image_width as usize, height as usize);
    let width = (width as usize).max(image_width);
    let plane = width * height;
    let mut data = vec![0.0_f32; 3 * plane];
    let (blue, rest) = data.split_at_mut(plane);
    let (green, red) = rest.split_at_mut(plane);
    let rows = image.as_raw().chunks_exact(3 * image_width.max(1));
    let planes = blue
        .chunks_exact_mut(width.max(1))
        .zip(green.chunks_exact_mut(width.max(1)))
        .zip(red.chunks_exact_mut(width.max(1)));
    for (row, ((blue, green), red)) in rows.zip(planes) {
        for (index, pixel) in row.chunks_exact(3).enumerate() {
            if let ([r, g, b], Some(blue), Some(green), Some(red)) = (
                pixel,
                blue.get_mut(index),
                green.get_mut(index),
                red.get_mut(index),
            ) {
                *blue = f32::from(*b) / 127.5 - 1.0;
                *green = f32::from(*g) / 127.5 - 1.0;
                *red = f32::from(*r) / 127.5 - 1.0;
            }
        }
    }
    Array4::from_shape_vec((1, 3, height, width), data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_bgr_planes_padded_with_zero() -> Result<(), ShapeError> {
        let image = RgbImage::from_raw(1, 1, vec![255, 0, 127]).unwrap_or_default();
        let tensor = bgr_planes(&image, 2)?;
        assert_eq!(tensor.shape(), [1, 3, 1, 2]);
        let values: Vec<f32> = tensor.iter().copied().collect();
        let expected = [127.0 / 127.5 - 1.0, 0.0, -1.0, 0.0, 1.0, 0.0];
        for (value, expected) in values.iter().zip(expected) {
            assert!((value - expected).abs() < 1e-6);
        }
        Ok(())
    }
}

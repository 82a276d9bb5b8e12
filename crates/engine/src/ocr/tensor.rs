//! Images in the layout PaddleOCR's networks take: a batch of BGR planes scaled to -1..1.

use image::RgbImage;
use ndarray::{Array4, ShapeError};

/// `image` as a 1 x 3 x height x `width` tensor, zero (mid grey) to the right of the image
/// when `width` is larger.
pub(super) fn bgr_planes(image: &RgbImage, width: u32) -> Result<Array4<f32>, ShapeError> {
    bgr_batch(&[image], width)
}

/// `images`, all of one height, as an n x 3 x height x width tensor, each padded with zero to
/// `width` or to the widest of them: the networks read a batch in one run for about the cost
/// of its widest member, instead of paying a run's fixed cost per line.
pub(super) fn bgr_batch(images: &[&RgbImage], width: u32) -> Result<Array4<f32>, ShapeError> {
    let height = images.first().map_or(0, |image| image.height()) as usize;
    let width = images
        .iter()
        .map(|image| image.width())
        .fold(width, u32::max) as usize;
    let plane = width * height;
    let mut data = vec![0.0_f32; images.len() * 3 * plane];
    for (image, planes) in images.iter().zip(data.chunks_exact_mut((3 * plane).max(1))) {
        fill(image, planes, width);
    }
    Array4::from_shape_vec((images.len(), 3, height, width), data)
}

/// Writes `image` into `planes` (blue, green, red, each `width` wide), left-aligned.
fn fill(image: &RgbImage, planes: &mut [f32], width: usize) {
    let image_width = image.width() as usize;
    let plane = planes.len() / 3;
    let (blue, rest) = planes.split_at_mut(plane);
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

    #[test]
    fn pads_a_batch_to_its_widest_member() -> Result<(), ShapeError> {
        let narrow = RgbImage::from_raw(1, 1, vec![255, 255, 255]).unwrap_or_default();
        let wide = RgbImage::from_raw(3, 1, vec![0; 9]).unwrap_or_default();
        let tensor = bgr_batch(&[&narrow, &wide], 2)?;
        assert_eq!(tensor.shape(), [2, 3, 1, 3]);
        assert_eq!(tensor[[0, 0, 0, 0]], 1.0);
        assert_eq!(tensor[[0, 2, 0, 2]], 0.0);
        assert_eq!(tensor[[1, 1, 0, 2]], -1.0);
        Ok(())
    }
}

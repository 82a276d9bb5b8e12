//! Resizing an image for the next stage, fast where it shrinks.
//!
//! `image`'s triangle filter widens its kernel with the reduction, so shrinking a phone photo
//! costs more than the analysis that follows: measured on a 2273x2273 photo made from a real
//! scan (`../shared/real-documents`, release build, one core), shrinking its grey copy to
//! 2000 pixels took 258 ms with the triangle filter and 43 ms by `thumbnail`'s area averaging,
//! and the RGB photo's `thumbnail` before the grey conversion 112 ms. Area averaging is the
//! box filter every pixel of the source counts in once, as good an anti-aliasing for a shrink
//! as the triangle for the face detector and the barcode search, which use it; enlarging
//! still interpolates. The text detector's input and the glyph reader's working copy keep the
//! triangle filter: with area averaging there, 4 of the 69 images made from the real scans
//! read differently (3 better, 1 worse: `cargo bench -p verifyd-server --bench
//! real_documents`), a change of readings that wants its own measurement.

use image::{imageops, ImageBuffer, Pixel};

/// `image` at `width` x `height`: averaged by area when neither side grows, else by the
/// triangle filter.
pub(crate) fn resampled<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    if width <= image.width() && height <= image.height() {
        imageops::thumbnail(image, width, height)
    } else {
        imageops::resize(image, width, height, imageops::FilterType::Triangle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    #[test]
    fn shrinking_averages_and_enlarging_interpolates() {
        let stripes = GrayImage::from_fn(8, 2, |x, _| Luma([if x % 2 == 0 { 0 } else { 200 }]));
        let shrunk = resampled(&stripes, 4, 1);
        assert_eq!(shrunk.dimensions(), (4, 1));
        assert!(shrunk.pixels().all(|pixel| pixel.0[0] == 100));
        let grown = resampled(&stripes, 16, 4);
        assert_eq!(grown.dimensions(), (16, 4));
    }
}

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
//!
//! The triangle filter itself is `fast_image_resize`'s (SIMD, one thread), not `image`'s:
//! the same filter (a convolution with a kernel widened by the reduction), so the readings
//! stay those of `image`'s but for rounding, at a fraction of the cost. Profiled on the
//! 2273x2273 phone photo of a real card (`perf`, `verifyd inspect`), `image`'s resizes of the
//! glyph reader's working copy, the text detector's input and the quality measures' copy
//! were a third of the image's time. The recogniser's line crops (48 px high) keep `image`'s
//! filter: there, the rounding difference changed a digit of a rendered passport's expiry date
//! (`a_date_changed_in_the_mrz_with_its_check_digits_is_caught`), and they cost little.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
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
        triangle(image, width, height)
    }
}

/// `image` at `width` x `height` through the triangle (bilinear) filter, as
/// `imageops::resize` with `FilterType::Triangle` computes it.
pub(crate) fn triangle<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    fast(image, width, height, FilterType::Bilinear)
        .unwrap_or_else(|| imageops::resize(image, width, height, imageops::FilterType::Triangle))
}

/// `image` shrunk to `width` x `height` by averaging areas (the box filter, widened by the
/// reduction): what `imageops::thumbnail` computes, with SIMD. The barcode search's grey copy
/// of a 2273x2273 phone photo took 84 ms with `thumbnail` and the grey conversion before it.
pub(crate) fn area<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    fast(image, width, height, FilterType::Box)
        .unwrap_or_else(|| imageops::thumbnail(image, width, height))
}

/// None for what `fast_image_resize` does not take (an empty image, a pixel of other than 1 to
/// 4 bytes); the caller then resizes with `image`.
fn fast<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    width: u32,
    height: u32,
    filter: FilterType,
) -> Option<ImageBuffer<P, Vec<u8>>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let pixel_type = match P::CHANNEL_COUNT {
        1 => PixelType::U8,
        2 => PixelType::U8x2,
        3 => PixelType::U8x3,
        4 => PixelType::U8x4,
        _ => return None,
    };
    if width == 0 || height == 0 || image.width() == 0 || image.height() == 0 {
        return None;
    }
    let source = ImageRef::new(image.width(), image.height(), image.as_raw(), pixel_type).ok()?;
    let mut resized = Image::new(width, height, pixel_type);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
    Resizer::new()
        .resize(&source, &mut resized, &options)
        .ok()?;
    ImageBuffer::from_raw(width, height, resized.into_vec())
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

    /// The SIMD filters compute what `image`'s triangle filter and `thumbnail` do, to rounding
    /// (the triangle) and to where a window's edge falls (the area average: within two grey
    /// levels a pixel on a gradient rising three levels a pixel): compared on a gradient with
    /// stripes, shrunk by non-integer factors and enlarged.
    #[test]
    fn the_simd_filters_match_images_own() {
        let pattern = image::RgbImage::from_fn(301, 207, |x, y| {
            image::Rgb([
                (x % 256) as u8,
                ((x / 7 + y) % 2 * 200) as u8,
                (y % 256) as u8,
            ])
        });
        for (width, height) in [(128, 88), (97, 211), (640, 440)] {
            let ours = triangle(&pattern, width, height);
            let theirs = imageops::resize(&pattern, width, height, imageops::FilterType::Triangle);
            assert_eq!(ours.dimensions(), theirs.dimensions());
            let largest = ours
                .as_raw()
                .iter()
                .zip(theirs.as_raw())
                .map(|(a, b)| a.abs_diff(*b))
                .max()
                .unwrap_or(u8::MAX);
            assert!(largest <= 2, "{width}x{height}: differs by {largest}");
        }
        let grey = GrayImage::from_fn(50, 30, |x, y| Luma([((x * 5 + y * 3) % 256) as u8]));
        // On a gradient without the wrap-around (the two place a window's edges a little
        // differently, which a jump from 255 to 0 would magnify).
        let smooth = GrayImage::from_fn(50, 30, |x, y| Luma([(x * 3 + y * 2) as u8]));
        for (width, height) in [(25, 15), (17, 9)] {
            let grey = &smooth;
            let ours = area(grey, width, height);
            let theirs = imageops::thumbnail(grey, width, height);
            let largest = ours
                .as_raw()
                .iter()
                .zip(theirs.as_raw())
                .map(|(a, b)| a.abs_diff(*b))
                .max()
                .unwrap_or(u8::MAX);
            assert!(largest <= 6, "{width}x{height}: differs by {largest}");
        }
        assert_eq!(triangle(&grey, 17, 9).dimensions(), (17, 9));
        assert_eq!(triangle(&GrayImage::new(0, 0), 3, 3).dimensions(), (3, 3));
    }
}

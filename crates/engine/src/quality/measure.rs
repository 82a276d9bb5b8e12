use std::borrow::Cow;

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, RgbImage};

/// Longest side of the copy that is measured. Phone photos are 12 Mpx and more; the statistics
/// below need only a tenth of that, and a fixed scale keeps sharpness comparable between photos.
const MEASURED_LONGEST_SIDE: u32 = 1024;
/// Luma at or under which a pixel counts as black (crushed shadows).
const DARK_LUMA: f32 = 16.0;
/// Luma at or over which a pixel counts as clipped: a reflection hides what is under it.
const BRIGHT_LUMA: f32 = 245.0;

/// Measurements on one image, computed on a copy downscaled so its longest side is at most
/// 1024 px (speed), except width/height which are the original's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityMeasures {
    pub width: u32,
    pub height: u32,
    /// Variance of the Laplacian of the luma channel (0-255 scale) on the downscaled image:
    /// low = blurred.
    pub sharpness: f32,
    /// Mean luma, 0-255.
    pub mean_luma: f32,
    /// Share of pixels with luma <= 16.
    pub dark_fraction: f32,
    /// Share of pixels with luma >= 245 (clipped highlights / glare).
    pub bright_fraction: f32,
    /// Hasler–Süsstrunk colourfulness metric; near 0 for greyscale images.
    pub colourfulness: f32,
}

/// Measures `image`. An empty image measures as all zeros rather than failing: the verdict
/// then calls it too small and too dark, which is what it is.
pub fn measure(image: &DynamicImage) -> QualityMeasures {
    let (width, height) = image.dimensions();
    let rgb = downscaled_rgb(image);
    let luma = luma_plane(&rgb);
    let plane_width = rgb.width() as usize;
    let plane_height = rgb.height() as usize;
    let exposure = exposure(&luma);
    QualityMeasures {
        width,
        height,
        sharpness: laplacian_variance(&luma, plane_width, plane_height),
        mean_luma: exposure.mean_luma,
        dark_fraction: exposure.dark_fraction,
        bright_fraction: exposure.bright_fraction,
        colourfulness: colourfulness(&rgb),
    }
}

/// An 8-bit RGB copy no larger than [`MEASURED_LONGEST_SIDE`]. The resize runs on the image's
/// own pixel type, so the full-size image is never converted; an RGB image that is already
/// small enough is borrowed. Alpha is dropped: uploads are photos, not cut-outs.
pub(super) fn downscaled_rgb(image: &DynamicImage) -> Cow<'_, RgbImage> {
    let (width, height) = image.dimensions();
    let longest = width.max(height);
    if longest > MEASURED_LONGEST_SIDE {
        let scale = f64::from(MEASURED_LONGEST_SIDE) / f64::from(longest);
        let (new_width, new_height) = (scaled(width, scale), scaled(height, scale));
        if let DynamicImage::ImageRgb8(rgb) = image {
            return Cow::Owned(crate::resample::triangle(rgb, new_width, new_height));
        }
        let small = image.resize_exact(new_width, new_height, FilterType::Triangle);
        return Cow::Owned(small.into_rgb8());
    }
    match image {
        DynamicImage::ImageRgb8(rgb) => Cow::Borrowed(rgb),
        other => Cow::Owned(other.to_rgb8()),
    }
}

/// `side * scale`, rounded, and never 0 (a 5000x1 strip stays one pixel high).
fn scaled(side: u32, scale: f64) -> u32 {
    ((f64::from(side) * scale).round() as u32).max(1)
}

/// Rec. 601 luma, the weighting that JPEG itself uses, one `f32` per pixel in row order.
fn luma_plane(rgb: &RgbImage) -> Vec<f32> {
    rgb.pixels()
        .map(|pixel| {
            let [r, g, b] = pixel.0;
            0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b)
        })
        .collect()
}

struct Exposure {
    mean_luma: f32,
    dark_fraction: f32,
    bright_fraction: f32,
}

fn exposure(luma: &[f32]) -> Exposure {
    if luma.is_empty() {
        return Exposure {
            mean_luma: 0.0,
            dark_fraction: 0.0,
            bright_fraction: 0.0,
        };
    }
    let mut sum = 0.0f64;
    let mut dark = 0usize;
    let mut bright = 0usize;
    for &value in luma {
        sum += f64::from(value);
        dark += usize::from(value <= DARK_LUMA);
        bright += usize::from(value >= BRIGHT_LUMA);
    }
    let count = luma.len() as f64;
    Exposure {
        mean_luma: (sum / count) as f32,
        dark_fraction: (dark as f64 / count) as f32,
        bright_fraction: (bright as f64 / count) as f32,
    }
}

/// Variance of the 4-neighbour Laplacian over the interior pixels. Edges (text, the card's
/// outline, the portrait) give large responses of both signs; blur spreads them into small
/// ones, so the variance falls roughly with the fourth power of the blur radius. An image with
/// fewer than 3 pixels on a side has no interior and measures 0.
fn laplacian_variance(luma: &[f32], width: usize, height: usize) -> f32 {
    if width < 3 || height < 3 || luma.len() != width * height {
        return 0.0;
    }
    let mut sum = 0.0f64;
    let mut sum_of_squares = 0.0f64;
    for y in 1..height - 1 {
        let above = &luma[(y - 1) * width..y * width];
        let row = &luma[y * width..(y + 1) * width];
        let below = &luma[(y + 1) * width..(y + 2) * width];
        for x in 1..width - 1 {
            let response = f64::from(above[x] + below[x] + row[x - 1] + row[x + 1] - 4.0 * row[x]);
            sum += response;
            sum_of_squares += response * response;
        }
    }
    let count = ((width - 2) * (height - 2)) as f64;
    let mean = sum / count;
    (sum_of_squares / count - mean * mean).max(0.0) as f32
}

/// Hasler and Süsstrunk (2003), "Measuring colourfulness in natural images": the spread and
/// the mean of the opponent channels rg = R - G and yb = (R + G) / 2 - B, combined as
/// sigma + 0.3 mu. Both opponents are exactly 0 on a grey pixel, so a greyscale image measures
/// 0; a uniform colour cast moves only mu, hence counts for little.
fn colourfulness(rgb: &RgbImage) -> f32 {
    let count = u64::from(rgb.width()) * u64::from(rgb.height());
    if count == 0 {
        return 0.0;
    }
    let (mut rg_sum, mut rg_squares, mut yb_sum, mut yb_squares) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for pixel in rgb.pixels() {
        let [r, g, b] = pixel.0.map(f64::from);
        let rg = r - g;
        let yb = 0.5 * (r + g) - b;
        rg_sum += rg;
        rg_squares += rg * rg;
        yb_sum += yb;
        yb_squares += yb * yb;
    }
    let count = count as f64;
    let (rg_mean, yb_mean) = (rg_sum / count, yb_sum / count);
    let rg_variance = (rg_squares / count - rg_mean * rg_mean).max(0.0);
    let yb_variance = (yb_squares / count - yb_mean * yb_mean).max(0.0);
    let spread = (rg_variance + yb_variance).sqrt();
    let mean = (rg_mean * rg_mean + yb_mean * yb_mean).sqrt();
    (spread + 0.3 * mean) as f32
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma, Rgb};

    use super::super::test_images::{blurred, card, greyscale};
    use super::*;

    fn measured(image: RgbImage) -> QualityMeasures {
        measure(&DynamicImage::ImageRgb8(image))
    }

    #[test]
    fn blur_divides_sharpness() {
        let card = card();
        let clean = measured(card.clone()).sharpness;
        let sigma_4 = measured(blurred(&card, 4.0)).sharpness;
        let sigma_8 = measured(blurred(&card, 8.0)).sharpness;
        assert!(clean >= 5.0 * sigma_4, "clean {clean}, sigma 4 {sigma_4}");
        assert!(sigma_4 > sigma_8, "sigma 4 {sigma_4}, sigma 8 {sigma_8}");
    }

    #[test]
    fn exposure_counts_dark_and_clipped_pixels() {
        // Left half black, right half white.
        let image = RgbImage::from_fn(200, 100, |x, _| {
            if x < 100 {
                Rgb([0, 0, 0])
            } else {
                Rgb([255, 255, 255])
            }
        });
        let measures = measured(image);
        assert!((measures.mean_luma - 127.5).abs() < 0.01, "{measures:?}");
        assert!((measures.dark_fraction - 0.5).abs() < 1e-6, "{measures:?}");
        assert!(
            (measures.bright_fraction - 0.5).abs() < 1e-6,
            "{measures:?}"
        );
    }

    #[test]
    fn greyscale_has_no_colourfulness() {
        let card = card();
        assert!(measured(greyscale(&card)).colourfulness.abs() < 1e-3);
        assert!(measured(card).colourfulness > 20.0);
    }

    #[test]
    fn large_images_keep_their_size_and_any_pixel_type_is_measured() {
        let image = DynamicImage::ImageLuma8(GrayImage::from_fn(3000, 2000, |x, y| {
            Luma([if (x / 8 + y / 8) % 2 == 1 { 210 } else { 40 }])
        }));
        let measures = measure(&image);
        assert_eq!((measures.width, measures.height), (3000, 2000));
        assert!(measures.colourfulness.abs() < 1e-3, "{measures:?}");
        assert!(measures.sharpness > 100.0, "{measures:?}");
        assert!((measures.mean_luma - 125.0).abs() < 2.0, "{measures:?}");
    }

    #[test]
    fn tiny_and_empty_images_measure_without_panicking() {
        let dot = measured(RgbImage::from_pixel(1, 1, Rgb([10, 200, 30])));
        assert_eq!((dot.width, dot.height), (1, 1));
        assert_eq!(dot.sharpness, 0.0);
        let empty = measured(RgbImage::new(0, 0));
        assert_eq!(empty.mean_luma, 0.0);
        let strip = measured(RgbImage::from_pixel(5000, 1, Rgb([90, 90, 90])));
        assert_eq!(strip.width, 5000);
    }
}

//! How far the card is tilted. rxing's PDF417 scanner reads rows of the symbol along pixel
//! rows and loses them beyond about 3 degrees of tilt (measured with the tests' cards), while a
//! hand-held photo is often tilted more. A card's edges, its print and above all the symbol's
//! bars are all at right angles to each other, so the dominant direction of the image's edges,
//! taken modulo 90 degrees, is the tilt: one measurement instead of a rotation per guess. It
//! needs to be right within those 3 degrees only.

use image::imageops;
use image::GrayImage;

/// The edges are measured on an image of at most this side: bars of 2 to 4 pixels a module at
/// full size stay edges at half size and the work stays small.
const MEASURE_SIDE: u32 = 800;
/// Histogram bins per degree.
const BINS_PER_DEGREE: f32 = 2.0;
const BINS: usize = 180;
/// Gradients weaker than this (|gx| + |gy| of a Sobel filter, out of 4 x 255) are noise.
const MIN_GRADIENT: f32 = 80.0;

/// The tilt of the image's dominant edges, in degrees within [-45, 45): the angle by which
/// [`super::prepare::rotated`] must turn the image to square it. `None` when the image has
/// too few edges to tell.
pub(super) fn tilt_correction(image: &GrayImage) -> Option<f32> {
    // Too small to measure, and too small for `imageops::blur`, which panics on empty images.
    if image.width().min(image.height()) < 8 {
        return None;
    }
    let small = measured_image(image);
    let mut histogram = [0f32; BINS];
    let (width, height) = small.dimensions();
    let raw = small.as_raw();
    let width = width as usize;
    let at = |x: usize, y: usize| raw.get(y * width + x).map_or(0.0, |&v| f32::from(v));
    for y in 1..(height as usize).saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            let gx = at(x + 1, y - 1) + 2.0 * at(x + 1, y) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2.0 * at(x - 1, y)
                - at(x - 1, y + 1);
            let gy = at(x - 1, y + 1) + 2.0 * at(x, y + 1) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2.0 * at(x, y - 1)
                - at(x + 1, y - 1);
            let magnitude = gx.abs() + gy.abs();
            if magnitude < MIN_GRADIENT {
                continue;
            }
            let folded = (gy.atan2(gx).to_degrees() + 45.0).rem_euclid(90.0);
            let bin = ((folded * BINS_PER_DEGREE) as usize).min(BINS - 1);
            if let Some(count) = histogram.get_mut(bin) {
                *count += magnitude;
            }
        }
    }
    let circular = |index: isize| {
        histogram
            .get(index.rem_euclid(BINS as isize) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let smoothed: Vec<f32> = (0..BINS as isize)
        .map(|i| circular(i - 1) + 2.0 * circular(i) + circular(i + 1))
        .collect();
    let total: f32 = histogram.iter().sum();
    let (peak, &height_at_peak) = smoothed
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    // A flat histogram (noise) has no direction: the peak must stand out, at three times the
    // mean of the smoothed bins (each of which sums four times the weight of a bin).
    if total <= 0.0 || height_at_peak < 3.0 * 4.0 * total / BINS as f32 {
        return None;
    }
    let neighbour = |offset: isize| {
        smoothed
            .get((peak as isize + offset).rem_euclid(BINS as isize) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    // The parabola through the peak and its neighbours puts the peak between bins.
    let (left, right) = (neighbour(-1), neighbour(1));
    let curvature = left - 2.0 * height_at_peak + right;
    let shift = if curvature < 0.0 {
        0.5 * (left - right) / curvature
    } else {
        0.0
    };
    let degrees = (peak as f32 + 0.5 + shift) / BINS_PER_DEGREE - 45.0;
    Some(degrees)
}

/// `image` at most `MEASURE_SIDE` pixels a side, and smoothed: Sobel filters misjudge the
/// direction of edges only a few pixels apart by degrees, of smoothed ones by a fraction.
fn measured_image(image: &GrayImage) -> GrayImage {
    let (width, height) = image.dimensions();
    let small = if width.max(height) > MEASURE_SIDE {
        let scale = MEASURE_SIDE as f32 / width.max(height) as f32;
        crate::resample::resampled(
            image,
            ((width as f32 * scale) as u32).max(1),
            ((height as f32 * scale) as u32).max(1),
        )
    } else {
        image.clone()
    };
    imageops::blur(&small, 1.2)
}

#[cfg(test)]
mod tests {
    use super::super::prepare::rotated;
    use super::*;
    use image::Luma;

    /// Bars of 3 and 6 pixels, like a symbol's.
    fn bars() -> GrayImage {
        GrayImage::from_fn(600, 300, |x, _| {
            Luma([if (x / 3) % 3 == 0 { 20 } else { 230 }])
        })
    }

    #[test]
    fn the_tilt_of_bars_is_measured_within_a_degree() {
        for degrees in [-30.0f32, -12.0, -4.5, 0.0, 2.0, 7.0, 20.0, 40.0] {
            let tilted = rotated(&bars(), degrees, 230);
            let measured = tilt_correction(&tilted);
            let error = measured.map(|measured| (measured + degrees).abs());
            assert!(
                error.is_some_and(|error| error < 1.0),
                "tilted by {degrees}, measured {measured:?}"
            );
        }
    }

    #[test]
    fn a_blank_image_has_no_tilt() {
        assert_eq!(
            tilt_correction(&GrayImage::from_pixel(300, 200, Luma([128]))),
            None
        );
        assert_eq!(tilt_correction(&GrayImage::new(0, 0)), None);
        assert_eq!(tilt_correction(&GrayImage::new(1, 1)), None);
    }
}

//! The versions of a photo shown to the decoder. rxing already binarizes locally (so uneven
//! lighting is its business) and tries the four right-angle rotations of the symbol; what it
//! cannot do is change the scale, the contrast or the sharpness it is given, or straighten a
//! symbol tilted by more than the few degrees its row scanning tolerates.

use image::imageops;
use image::{DynamicImage, GrayImage, Luma};

/// The image in grey levels, shrunk so that its longer side is at most `max_side`. Shrunk by
/// `thumbnail`, which averages areas: as good as a filter for shrinking and several times
/// faster on a phone's 12 megapixels.
pub(super) fn grayscale(image: &DynamicImage, max_side: u32) -> GrayImage {
    let grey = image.to_luma8();
    let (width, height) = grey.dimensions();
    let longest = width.max(height);
    if longest > max_side {
        let scale = max_side as f32 / longest as f32;
        let side = |length: u32| ((length as f32 * scale).round() as u32).clamp(1, max_side);
        crate::resample::area(&grey, side(width), side(height))
    } else {
        grey
    }
}

/// Half the size, each pixel the mean of four: noise averages out and large modules fit the
/// detector's expectations. (A box filter, not `imageops::resize`, which is several times
/// slower for the same purpose.)
pub(super) fn halved(image: &GrayImage) -> GrayImage {
    let (width, height) = image.dimensions();
    let raw = image.as_raw();
    let stride = width as usize;
    let at = |x: u32, y: u32| {
        let (x, y) = (
            x.min(width.saturating_sub(1)),
            y.min(height.saturating_sub(1)),
        );
        raw.get(y as usize * stride + x as usize)
            .map_or(0, |&level| u16::from(level))
    };
    GrayImage::from_fn((width / 2).max(1), (height / 2).max(1), |x, y| {
        let (x, y) = (2 * x, 2 * y);
        let sum = at(x, y) + at(x + 1, y) + at(x, y + 1) + at(x + 1, y + 1);
        Luma([u8::try_from((sum + 2) / 4).unwrap_or(u8::MAX)])
    })
}

/// Edges steepened by an unsharp mask as wide as a blur that merges neighbouring modules of
/// 3 pixels: bars that blurring left as ripples become bars again.
pub(super) fn sharpened(image: &GrayImage) -> GrayImage {
    imageops::unsharpen(image, 2.0, 0)
}

/// The grey levels stretched so that the darkest and the lightest percent become black and
/// white: a faded or glared print gains the contrast a global threshold needs.
pub(super) fn stretched(image: &GrayImage) -> GrayImage {
    let mut histogram = [0usize; 256];
    for pixel in image.pixels() {
        if let Some(count) = histogram.get_mut(usize::from(pixel.0[0])) {
            *count += 1;
        }
    }
    let total: usize = histogram.iter().sum();
    let cut = total / 100;
    let level_at = |mut levels: Box<dyn Iterator<Item = (usize, &usize)> + '_>| {
        let mut seen = 0;
        levels
            .find(|&(_, count)| {
                seen += count;
                seen > cut
            })
            .map_or(0, |(level, _)| level)
    };
    let low = level_at(Box::new(histogram.iter().enumerate()));
    let high = level_at(Box::new(histogram.iter().enumerate().rev()));
    if high <= low {
        return image.clone();
    }
    let range = high - low;
    let mut out = image.clone();
    for pixel in out.pixels_mut() {
        let level = usize::from(pixel.0[0]).clamp(low, high);
        let stretched = (level - low) * 255 / range;
        pixel.0[0] = u8::try_from(stretched).unwrap_or(u8::MAX);
    }
    out
}

/// `image` turned by `degrees` (counter-clockwise) about its centre, on a canvas large enough
/// to hold all of it, the corners filled with `background`. Bilinear, so edges stay smooth
/// enough for the binarizer.
pub(super) fn rotated(image: &GrayImage, degrees: f32, background: u8) -> GrayImage {
    let (width, height) = image.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (width as f32, height as f32);
    // Less a hundredth, lest the rounding error of sin and cos add a pixel at right angles.
    let side = |length: f32| (length - 0.01).ceil().max(1.0) as u32;
    let out_width = side(w * cos.abs() + h * sin.abs());
    let out_height = side(w * sin.abs() + h * cos.abs());
    let source = image.as_raw();
    let stride = width as usize;
    let fill = f32::from(background);
    let pixel = |x: isize, y: isize| -> f32 {
        if x < 0 || y < 0 || x >= width as isize || y >= height as isize {
            return fill;
        }
        source
            .get(y as usize * stride + x as usize)
            .map_or(fill, |&level| f32::from(level))
    };
    let mut out = GrayImage::from_pixel(out_width, out_height, Luma([background]));
    let (ocx, ocy) = (out_width as f32 / 2.0, out_height as f32 / 2.0);
    for (x, y, level) in out.enumerate_pixels_mut() {
        // The inverse rotation of the output pixel's centre gives its source position.
        let (dx, dy) = (x as f32 + 0.5 - ocx, y as f32 + 0.5 - ocy);
        let sx = cos * dx - sin * dy + w / 2.0 - 0.5;
        let sy = sin * dx + cos * dy + h / 2.0 - 0.5;
        if sx < -1.0 || sy < -1.0 || sx > w || sy > h {
            continue;
        }
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (xi, yi) = (x0 as isize, y0 as isize);
        let top = pixel(xi, yi) * (1.0 - fx) + pixel(xi + 1, yi) * fx;
        let bottom = pixel(xi, yi + 1) * (1.0 - fx) + pixel(xi + 1, yi + 1) * fx;
        level.0[0] = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretching_spans_the_full_range() {
        let image = GrayImage::from_fn(100, 10, |x, _| Luma([100 + (x as u8) / 2]));
        let out = stretched(&image);
        let levels: Vec<u8> = out.pixels().map(|pixel| pixel.0[0]).collect();
        assert_eq!(levels.iter().min(), Some(&0));
        assert_eq!(levels.iter().max(), Some(&255));
    }

    #[test]
    fn halving_averages_blocks_of_four() {
        let image = GrayImage::from_fn(4, 2, |x, _| Luma([if x % 2 == 0 { 0 } else { 200 }]));
        let half = halved(&image);
        assert_eq!(half.dimensions(), (2, 1));
        assert!(half.pixels().all(|pixel| pixel.0[0] == 100));
    }

    #[test]
    fn a_flat_image_is_left_alone() {
        let image = GrayImage::from_pixel(10, 10, Luma([77]));
        assert_eq!(stretched(&image), image);
    }

    #[test]
    fn a_right_angle_rotation_swaps_the_sides_and_keeps_the_pixels() {
        let image =
            GrayImage::from_fn(30, 20, |x, y| Luma([if x < 10 && y < 5 { 0 } else { 255 }]));
        let turned = rotated(&image, 90.0, 255);
        assert_eq!(turned.dimensions(), (20, 30));
        // Counter-clockwise: the top left corner goes to the bottom left.
        assert_eq!(
            turned.get_pixel_checked(2, 27).map(|pixel| pixel.0[0]),
            Some(0)
        );
        assert_eq!(
            turned.get_pixel_checked(17, 2).map(|pixel| pixel.0[0]),
            Some(255)
        );
    }

    #[test]
    fn degenerate_images_do_not_break_anything() {
        let one = GrayImage::from_pixel(1, 1, Luma([0]));
        assert_eq!(halved(&one).dimensions(), (1, 1));
        assert_eq!(halved(&GrayImage::new(0, 0)).dimensions(), (1, 1));
        assert_eq!(stretched(&one), one);
        let _ = rotated(&one, 33.0, 255);
        let empty = GrayImage::new(0, 0);
        let _ = rotated(&empty, 10.0, 255);
        let _ = stretched(&empty);
    }
}

//! A text line cut out of the photo, upright and at the height the networks take.

use image::{imageops, RgbImage};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};

use super::Quad;

/// The widest crop taken: far beyond the longest MRZ line (44 characters, about 30 times as wide
/// as high), and a bound on the work for a box that is no text line at all.
const MAX_ASPECT: f32 = 64.0;

/// `quad` of `image` as a rectangle `height` pixels high, as wide as keeps the line's aspect
/// ratio. The line is straightened at its own resolution first and only then resized, so a
/// downscale filters instead of skipping pixels. `None` for a degenerate quad.
pub(super) fn crop(image: &RgbImage, quad: &Quad, height: u32) -> Option<RgbImage> {
    let (quad_width, quad_height) = (quad.width(), quad.height());
    if !(quad_width >= 1.0 && quad_height >= 1.0) {
        return None;
    }
    let aspect = (quad_width / quad_height).min(MAX_ASPECT);
    let native_height = quad_height.round().max(1.0);
    let native_width = (native_height * aspect).round().max(1.0);
    let target = [
        [0.0, 0.0],
        [native_width, 0.0],
        [native_width, native_height],
        [0.0, native_height],
    ];
    let from = quad.0.map(|[x, y]| (x, y));
    let to = target.map(|[x, y]| (x, y));
    let projection = Projection::from_control_points(from, to)?;
    let mut straight = RgbImage::new(native_width as u32, native_height as u32);
    warp_into(
        image,
        projection,
        Interpolation::Bilinear,
        Border::Replicate,
        &mut straight,
    );
    let width = ((height as f32 * aspect).round() as u32).max(1);
    Some(imageops::resize(
        &straight,
        width,
        height,
        imageops::FilterType::Triangle,
    ))
}

//! The document cut out and squared up, for whatever reads or measures it next.

use image::{imageops, Rgb, RgbImage};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};

use super::geometry::{self, Quad};
use super::{Located, LocatedKind};

/// The document as if scanned flat: a quadrilateral is warped to a rectangle whose sides are
/// the quadrilateral's mean opposite sides (the document's own proportions as near as one
/// photo tells them); a margin's box or the whole frame is cropped as it is. The longer side
/// is at most `max_side` pixels; nothing is enlarged.
pub fn rectify(image: &RgbImage, located: &Located, max_side: u32) -> RgbImage {
    let max_side = max_side.max(1);
    if located.kind == LocatedKind::Quadrilateral {
        if let Some(warped) = warp_quad(image, &located.corners, max_side) {
            return warped;
        }
    }
    crop_box(image, &located.corners, max_side)
}

fn warp_quad(image: &RgbImage, quad: &Quad, max_side: u32) -> Option<RgbImage> {
    let [top, right, bottom, left] = geometry::sides(quad);
    let (width, height) = ((top + bottom) / 2.0, (left + right) / 2.0);
    if width.min(height) < 1.0 || !width.is_finite() || !height.is_finite() {
        return None;
    }
    let factor = (max_side as f32 / width.max(height)).min(1.0);
    let (out_w, out_h) = (
        ((width * factor).round() as u32).max(1),
        ((height * factor).round() as u32).max(1),
    );
    let (w, h) = (out_w as f32, out_h as f32);
    let target = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let projection = Projection::from_control_points(quad.map(|[x, y]| (x, y)), target)?;
    let mut out = RgbImage::new(out_w, out_h);
    warp_into(
        image,
        projection,
        Interpolation::Bilinear,
        Border::Constant(Rgb([0, 0, 0])),
        &mut out,
    );
    Some(out)
}

fn crop_box(image: &RgbImage, corners: &Quad, max_side: u32) -> RgbImage {
    let (width, height) = image.dimensions();
    let xs = corners.map(|p| p[0]);
    let ys = corners.map(|p| p[1]);
    let low = |values: [f32; 4], limit: u32| {
        values
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min)
            .floor()
            .clamp(0.0, limit as f32) as u32
    };
    let high = |values: [f32; 4], limit: u32| {
        values
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
            .ceil()
            .clamp(0.0, limit as f32) as u32
    };
    let (left, top) = (low(xs, width), low(ys, height));
    let (right, bottom) = (high(xs, width), high(ys, height));
    let (crop_w, crop_h) = (right.saturating_sub(left), bottom.saturating_sub(top));
    let cropped = if crop_w == 0 || crop_h == 0 {
        image.clone()
    } else {
        imageops::crop_imm(image, left, top, crop_w, crop_h).to_image()
    };
    let (cw, ch) = cropped.dimensions();
    if cw.max(ch) <= max_side || cw == 0 || ch == 0 {
        return cropped;
    }
    let factor = max_side as f32 / cw.max(ch) as f32;
    let side = |s: u32| ((s as f32 * factor).round() as u32).max(1);
    imageops::resize(&cropped, side(cw), side(ch), imageops::FilterType::Triangle)
}

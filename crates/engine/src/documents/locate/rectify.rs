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

/// The quadrilateral's mean width and height; None when it is degenerate.
fn warp_size(quad: &Quad) -> Option<(f32, f32)> {
    let [top, right, bottom, left] = geometry::sides(quad);
    let (width, height) = ((top + bottom) / 2.0, (left + right) / 2.0);
    (width.min(height) >= 1.0 && width.is_finite() && height.is_finite()).then_some((width, height))
}

fn warp_quad(image: &RgbImage, quad: &Quad, max_side: u32) -> Option<RgbImage> {
    let (width, height) = warp_size(quad)?;
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

/// The projection from a point of [`rectify`]'s output, `rectified` pixels large, back to
/// `image`: what is found on the rectified document (an MRZ's zone) is then placed on the
/// photo it came from. None for a degenerate quadrilateral.
pub fn unrectify(image: &RgbImage, located: &Located, rectified: (u32, u32)) -> Option<Projection> {
    let quad =
        if located.kind == LocatedKind::Quadrilateral && warp_size(&located.corners).is_some() {
            located.corners
        } else {
            let [left, top, right, bottom] = crop_bounds(image, &located.corners);
            if right <= left || bottom <= top {
                let (width, height) = image.dimensions();
                [
                    [0.0, 0.0],
                    [width as f32, 0.0],
                    [width as f32, height as f32],
                    [0.0, height as f32],
                ]
            } else {
                let [left, top, right, bottom] = [left, top, right, bottom].map(|v| v as f32);
                [[left, top], [right, top], [right, bottom], [left, bottom]]
            }
        };
    let (w, h) = (rectified.0 as f32, rectified.1 as f32);
    Projection::from_control_points(
        [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)],
        quad.map(|[x, y]| (x, y)),
    )
}

/// The left, top, right and bottom of the box around `corners`, within `image`.
fn crop_bounds(image: &RgbImage, corners: &Quad) -> [u32; 4] {
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
    [
        low(xs, width),
        low(ys, height),
        high(xs, width),
        high(ys, height),
    ]
}

fn crop_box(image: &RgbImage, corners: &Quad, max_side: u32) -> RgbImage {
    let [left, top, right, bottom] = crop_bounds(image, corners);
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

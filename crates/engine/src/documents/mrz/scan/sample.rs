//! A character cell cut out of the photo at the templates' size, whatever the line's angle and
//! scale: each template pixel is the mean of a few bilinear samples over the area it covers.

use image::GrayImage;

use super::glyphs::{Resolution, CAP_SPAN};

fn bilinear(grey: &GrayImage, x: f32, y: f32) -> f32 {
    let (width, height) = grey.dimensions();
    let x = x.clamp(0.0, (width.max(1) - 1) as f32);
    let y = y.clamp(0.0, (height.max(1) - 1) as f32);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(width - 1), (y0 + 1).min(height - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x: u32, y: u32| {
        grey.get_pixel_checked(x, y)
            .map_or(255.0, |p| f32::from(p.0[0]))
    };
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// The ink (255 less the grey) of the cell centred at `centre`, one `pitch` across and
/// `cap` capitals high, with the text running along `direction`.
pub(super) fn patch(
    grey: &GrayImage,
    centre: [f32; 2],
    direction: [f32; 2],
    pitch: f32,
    cap: f32,
    resolution: Resolution,
) -> Vec<f32> {
    let (width, height) = (resolution.width, resolution.height);
    let (patch_width, patch_height) = (resolution.patch_width(), resolution.patch_height());
    let normal = [-direction[1], direction[0]];
    let step_u = pitch / width as f32;
    let step_v = CAP_SPAN * cap / height as f32;
    let sub = (step_u.max(step_v).ceil() as usize).clamp(1, 3);
    let mut out = Vec::with_capacity(patch_width * patch_height);
    for row in 0..patch_height {
        for column in 0..patch_width {
            let mut sum = 0.0;
            for sy in 0..sub {
                for sx in 0..sub {
                    let u = (column as f32 + (sx as f32 + 0.5) / sub as f32
                        - patch_width as f32 / 2.0)
                        * step_u;
                    let v = (row as f32 + (sy as f32 + 0.5) / sub as f32
                        - patch_height as f32 / 2.0)
                        * step_v;
                    let x = centre[0] + u * direction[0] + v * normal[0];
                    let y = centre[1] + u * direction[1] + v * normal[1];
                    // Pixel centres are at +0.5.
                    sum += bilinear(grey, x - 0.5, y - 0.5);
                }
            }
            out.push(255.0 - sum / (sub * sub) as f32);
        }
    }
    out
}

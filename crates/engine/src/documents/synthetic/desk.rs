//! A document photographed lying on something: the locator's test photos, where the true
//! corners are known because the document was put there.

use image::{Rgb, RgbImage, Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_polygon_mut};
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};
use imageproc::point::Point;

use super::SyntheticError;
use crate::documents::mrz::generate::XorShift;

/// The most a photo turns the document, in degrees either way.
const MAX_TURN_DEGREES: f32 = 20.0;
/// The most each corner moves for the camera's tilt, as a share of the document's longer side.
const MAX_TILT: f32 = 0.05;

fn unit(rng: &mut XorShift) -> f32 {
    rng.next() as f32 / u32::MAX as f32
}

/// Between -1 and 1.
fn signed(rng: &mut XorShift) -> f32 {
    2.0 * unit(rng) - 1.0
}

/// `document` lying on a `background` (0 wood, 1 dark table, 2 cluttered cloth, 3 white
/// desk; others wrap round), `scale` of the photo's width, turned and tilted at random; with
/// its corners in the photo, clockwise from the document's own top-left.
pub fn on_desk(
    document: &RgbImage,
    background: u8,
    scale: f32,
    seed: u32,
) -> Result<(RgbImage, [[f32; 2]; 4]), SyntheticError> {
    let mut rng = XorShift(seed.max(1));
    let (width, height) = document.dimensions();
    let (w, h) = (width.max(1) as f32, height.max(1) as f32);
    let longer = w.max(h);
    let photo_long = longer / scale.clamp(0.1, 1.0);
    let (photo_w, photo_h) = if w >= h {
        (photo_long, photo_long * 0.75)
    } else {
        (photo_long * 0.75, photo_long)
    };
    let angle = (signed(&mut rng) * MAX_TURN_DEGREES).to_radians();
    let (sin, cos) = angle.sin_cos();
    let source = [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]];
    let mut corners = source.map(|[x, y]| {
        let (dx, dy) = (x - w / 2.0, y - h / 2.0);
        [dx * cos - dy * sin, dx * sin + dy * cos]
    });
    for corner in &mut corners {
        corner[0] += signed(&mut rng) * MAX_TILT * longer;
        corner[1] += signed(&mut rng) * MAX_TILT * longer;
    }
    // Shrunk if the turn took it out of the photo, then put anywhere it fits.
    let span = |axis: usize| {
        let values = corners.map(|corner| corner[axis]);
        let low = values.iter().copied().fold(f32::INFINITY, f32::min);
        let high = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        (low, high)
    };
    let ((x_low, x_high), (y_low, y_high)) = (span(0), span(1));
    let room = 0.94;
    let fit = (room * photo_w / (x_high - x_low))
        .min(room * photo_h / (y_high - y_low))
        .min(1.0);
    let free_x = (photo_w - fit * (x_high - x_low)).max(0.0);
    let free_y = (photo_h - fit * (y_high - y_low)).max(0.0);
    let left = free_x * (0.2 + 0.6 * unit(&mut rng)) - fit * x_low;
    let top = free_y * (0.2 + 0.6 * unit(&mut rng)) - fit * y_low;
    for corner in &mut corners {
        *corner = [left + fit * corner[0], top + fit * corner[1]];
    }

    let (out_w, out_h) = (photo_w.round() as u32, photo_h.round() as u32);
    let mut photo = match background % 4 {
        0 => wood(out_w, out_h, &mut rng),
        1 => dark_table(out_w, out_h, &mut rng),
        2 => cluttered(out_w, out_h, &mut rng),
        _ => white_desk(out_w, out_h, &mut rng),
    };
    let to_tuple = |points: [[f32; 2]; 4]| points.map(|[x, y]| (x, y));
    let projection = Projection::from_control_points(to_tuple(source), to_tuple(corners))
        .ok_or(SyntheticError::Projection)?;
    let mut placed = RgbaImage::new(out_w, out_h);
    let opaque = RgbaImage::from_fn(width, height, |x, y| {
        let [r, g, b] = document.get_pixel(x, y).0;
        Rgba([r, g, b, 255])
    });
    warp_into(
        &opaque,
        projection,
        Interpolation::Bilinear,
        Border::Constant(Rgba([0, 0, 0, 0])),
        &mut placed,
    );
    shadow(&mut photo, &placed, longer);
    for (pixel, over) in photo.pixels_mut().zip(placed.pixels()) {
        let alpha = f32::from(over.0[3]) / 255.0;
        for (channel, top) in pixel.0.iter_mut().zip(over.0) {
            *channel = (f32::from(*channel) * (1.0 - alpha) + f32::from(top) * alpha) as u8;
        }
    }
    Ok((photo, corners))
}

/// A soft shadow under the document, down and to the right: real documents have one, and on
/// a white desk it is most of what shows their edge.
fn shadow(photo: &mut RgbImage, placed: &RgbaImage, longer: f32) {
    let (width, height) = photo.dimensions();
    let offset = (longer * 0.006).round().max(1.0) as u32;
    let alpha = image::GrayImage::from_fn(width, height, |x, y| {
        let (sx, sy) = (x.saturating_sub(offset), y.saturating_sub(offset));
        image::Luma([placed.get_pixel(sx, sy).0[3]])
    });
    let soft = gaussian_blur_f32(&alpha, (longer * 0.008).max(1.0));
    for (pixel, cover) in photo.pixels_mut().zip(soft.pixels()) {
        let dim = 1.0 - 0.35 * f32::from(cover.0[0]) / 255.0;
        *pixel = Rgb(pixel.0.map(|c| (f32::from(c) * dim) as u8));
    }
}

/// Planks with a wavy grain, running roughly along the photo.
fn wood(width: u32, height: u32, rng: &mut XorShift) -> RgbImage {
    let bases = [
        [150.0, 105.0, 65.0],
        [115.0, 75.0, 45.0],
        [185.0, 140.0, 95.0],
    ];
    let base = bases
        .get(rng.between(0, bases.len() - 1))
        .copied()
        .unwrap_or([150.0, 105.0, 65.0]);
    let turn = signed(rng) * 0.3;
    let (sin, cos) = turn.sin_cos();
    let plank = width.max(height) as f32 * (0.15 + 0.1 * unit(rng));
    let phase = unit(rng) * 100.0;
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let along = fx * cos + fy * sin;
        let across = fy * cos - fx * sin;
        let plank_index = (across / plank).floor();
        let seam = if (across - plank_index * plank) < 2.5 {
            0.55
        } else {
            1.0
        };
        let wobble = 2.5 * (along * 0.004 + plank_index * 1.7 + phase).sin();
        let grain = (across * 0.09 + wobble + 0.8 * (along * 0.013 + phase).sin()).sin();
        let fine = (across * 0.7 + plank_index * 3.1).sin();
        let light = seam * (1.0 + 0.1 * grain + 0.04 * fine + 0.06 * (plank_index * 2.3).sin());
        Rgb(base.map(|c| (c * light).clamp(0.0, 255.0) as u8))
    })
}

/// Nearly black, lit from one corner.
fn dark_table(width: u32, height: u32, rng: &mut XorShift) -> RgbImage {
    let base = 22.0 + 20.0 * unit(rng);
    let diagonal = (width + height).max(1) as f32;
    RgbImage::from_fn(width, height, |x, y| {
        let light = 1.0 + 0.6 * (1.0 - (x + y) as f32 / diagonal);
        let grain = ((x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663)) % 7) as f32;
        let value = base * light + grain;
        Rgb([value, value * 1.02, value * 1.1].map(|c| c.clamp(0.0, 255.0) as u8))
    })
}

/// A check cloth with things lying on it: cards, coins, pens, papers, some of them under the
/// document.
fn cluttered(width: u32, height: u32, rng: &mut XorShift) -> RgbImage {
    let cloth = [
        80.0 + 100.0 * unit(rng),
        80.0 + 100.0 * unit(rng),
        80.0 + 100.0 * unit(rng),
    ];
    let check = (width.max(height) as f32 / (12.0 + 20.0 * unit(rng))).max(4.0);
    let mut photo = RgbImage::from_fn(width, height, |x, y| {
        let band_x = ((x as f32 / check).floor() as i64 % 2) as f32;
        let band_y = ((y as f32 / check).floor() as i64 % 2) as f32;
        let thread = if (x + y) % 3 == 0 { 0.95 } else { 1.0 };
        let light = (1.0 - 0.18 * band_x - 0.18 * band_y) * thread;
        Rgb(cloth.map(|c| (c * light).clamp(0.0, 255.0) as u8))
    });
    let (w, h) = (width as f32, height as f32);
    let size = w.max(h);
    for _ in 0..14 {
        let colour = Rgb([0, 0, 0].map(|_: u8| rng.between(20, 250) as u8));
        let (cx, cy) = (unit(rng) * w, unit(rng) * h);
        match rng.between(0, 2) {
            0 => {
                let radius = (size * (0.02 + 0.05 * unit(rng))) as i32;
                draw_filled_circle_mut(&mut photo, (cx as i32, cy as i32), radius, colour);
            }
            kind => {
                // A paper or card (wide), or a pen (long and thin).
                let long = size * (0.06 + 0.18 * unit(rng));
                let short = if kind == 1 {
                    long * (0.5 + 0.4 * unit(rng))
                } else {
                    size * 0.012
                };
                let (sin, cos) = (unit(rng) * std::f32::consts::PI).sin_cos();
                let points = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(
                    |(sx, sy): (f32, f32)| {
                        let (dx, dy) = (sx * long / 2.0, sy * short / 2.0);
                        Point::new(
                            (cx + dx * cos - dy * sin) as i32,
                            (cy + dx * sin + dy * cos) as i32,
                        )
                    },
                );
                if points.first() != points.last() {
                    draw_polygon_mut(&mut photo, &points, colour);
                }
            }
        }
    }
    photo
}

/// Off-white with a faint shading: the hardest for the document's own light paper.
fn white_desk(width: u32, height: u32, rng: &mut XorShift) -> RgbImage {
    let base = 238.0 + 12.0 * unit(rng);
    let (w, h) = (width.max(1) as f32, height.max(1) as f32);
    RgbImage::from_fn(width, height, |x, y| {
        let shade = 1.0 - 0.04 * (x as f32 / w) - 0.03 * (y as f32 / h);
        let value = base * shade;
        Rgb([value, value, value * 1.01].map(|c| c.clamp(0.0, 255.0) as u8))
    })
}

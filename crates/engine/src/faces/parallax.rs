//! Whether a turn is a head's or a picture's. A photo or a screen turned, tilted or moved
//! before the camera moves every point of the face as one plane does: one homography takes
//! the first frame's face onto the turned frame's. A head does not: the nose stands out of
//! the face, the cheeks recede, so the points of the face move by different homographies.
//!
//! The five landmarks cannot tell: YuNet places them where a face's would be, so a flat photo
//! turned 45 degrees before the camera gives landmarks with the nose moved against the eyes
//! as in a turn (measured: yaw 0.25 for `obama.jpg`, whose true pixels moved as a plane). The
//! evidence is taken from the pixels instead: a grid of patches of the first frame's face is
//! found again in the turned frame (after undoing the landmarks' own homography, which is
//! roughly right either way), and the share of patches that no single homography puts where
//! they were found is the face's relief.

use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};

use super::detect::{Face, Point};

/// The face's surface as a capture keeps it: the grey face, scaled so that the eyes are
/// [`EYE_DISTANCE`] pixels apart and rotated upright, and its landmarks there.
#[derive(Debug, Clone)]
pub struct Surface {
    grey: GrayImage,
    landmarks: [Point; 5],
}

/// The eye distance of a surface, in pixels: a head's turn of 17 degrees (the least that
/// counts) moves the nose some 7 pixels against the cheeks at this size, well over
/// [`OFF_PLANE_PIXELS`], while the patches are still found to a fraction of a pixel.
pub const EYE_DISTANCE: f32 = 48.0;
/// The side of a surface: 2.7 eye distances, forehead to chin.
const SIDE: u32 = 128;
/// A patch's half side and how far from its expected place it is looked for, in pixels.
const PATCH: i32 = 6;
const SEARCH: i32 = 7;
/// Grid spacing of the patches.
const STEP: usize = 8;
/// Patches flatter than this standard deviation of grey (skin in even light) cannot be found
/// again reliably; a patch found with a correlation under this is not counted.
const MIN_TEXTURE: f32 = 6.0;
const MIN_CORRELATION: f32 = 0.8;
/// A patch more than this many pixels from where the plane puts it is off the plane.
pub const OFF_PLANE_PIXELS: f32 = 1.5;
/// At least this many patches must be found to judge.
const MIN_PATCHES: usize = 12;

/// The share of patches off the plane from which a turn shows relief. Measured by the
/// `presentation_attacks` benchmark on the 33 real faces of the test photos: their genuine
/// sequences (`turn_head`, a warp with depth; as taken and as a phone delivers them) show
/// 0.31 to 0.64 at their least-relieved turn; the same photos turned 45 degrees as pictures
/// before the camera (`turn_photo`), where the turns read as performed, 0 to 0.14. The
/// threshold sits between, leaving the wider margin to the genuine side: real heads, unlike
/// the synthetic turn, also show their ears, cheeks and shading change.
pub const RELIEF: f32 = 0.2;

impl Surface {
    /// The surface of `face` on `image` (grey); None when its eyes coincide.
    pub fn of(image: &GrayImage, face: &Face) -> Option<Surface> {
        let [left, right, ..] = face.landmarks;
        let (dx, dy) = (right[0] - left[0], right[1] - left[1]);
        let distance = dx.hypot(dy);
        if distance <= f32::EPSILON {
            return None;
        }
        let scale = EYE_DISTANCE / distance;
        let (cos, sin) = (dx / distance * scale, dy / distance * scale);
        // Rotate by minus the eye line's angle, scale, and put the eyes' midpoint at a fixed
        // place a little above the middle.
        let middle = [(left[0] + right[0]) / 2.0, (left[1] + right[1]) / 2.0];
        let (target_x, target_y) = (SIDE as f32 / 2.0, SIDE as f32 * 0.38);
        let matrix = [
            cos,
            sin,
            target_x - (cos * middle[0] + sin * middle[1]),
            -sin,
            cos,
            target_y - (-sin * middle[0] + cos * middle[1]),
            0.0,
            0.0,
            1.0,
        ];
        let projection = Projection::from_matrix(matrix)?;
        let mut grey = GrayImage::new(SIDE, SIDE);
        warp_into(
            image,
            projection,
            Interpolation::Bilinear,
            Border::Constant(Luma([0])),
            &mut grey,
        );
        let landmarks = face.landmarks.map(|[x, y]| {
            let (u, v) = projection * (x, y);
            [u, v]
        });
        Some(Surface { grey, landmarks })
    }
}

fn outer(surface: &Surface) -> [(f32, f32); 4] {
    let [left_eye, right_eye, _, left_mouth, right_mouth] = surface.landmarks;
    [left_eye, right_eye, right_mouth, left_mouth].map(|[x, y]| (x, y))
}

/// Mean and standard deviation of the patch of `image` centred on (x, y).
fn patch_stats(image: &GrayImage, x: i32, y: i32) -> (f32, f32) {
    let (mut sum, mut squares, mut n) = (0.0_f32, 0.0_f32, 0.0_f32);
    for dy in -PATCH..=PATCH {
        for dx in -PATCH..=PATCH {
            let value = f32::from(image.get_pixel((x + dx) as u32, (y + dy) as u32).0[0]);
            sum += value;
            squares += value * value;
            n += 1.0;
        }
    }
    let mean = sum / n;
    (mean, (squares / n - mean * mean).max(0.0).sqrt())
}

/// The zero-mean normalised correlation of the patch of `one` at (x, y), whose mean and
/// deviation are `stats`, with that of `other` at (u, v).
fn correlation(
    one: &GrayImage,
    (x, y): (i32, i32),
    (mean_one, deviation_one): (f32, f32),
    other: &GrayImage,
    (u, v): (i32, i32),
) -> f32 {
    let (mean_other, deviation_other) = patch_stats(other, u, v);
    if deviation_one <= f32::EPSILON || deviation_other <= f32::EPSILON {
        return 0.0;
    }
    let mut sum = 0.0_f32;
    for dy in -PATCH..=PATCH {
        for dx in -PATCH..=PATCH {
            let a = f32::from(one.get_pixel((x + dx) as u32, (y + dy) as u32).0[0]) - mean_one;
            let b = f32::from(other.get_pixel((u + dx) as u32, (v + dy) as u32).0[0]) - mean_other;
            sum += a * b;
        }
    }
    let n = ((2 * PATCH + 1) * (2 * PATCH + 1)) as f32;
    sum / (n * deviation_one * deviation_other)
}

/// Where the textured patches of `first` are found on `back` (the other frame brought back
/// onto `first` by the landmarks' homography): pairs of positions.
fn correspondences(first: &GrayImage, back: &GrayImage) -> Vec<(Point, Point)> {
    let margin = (PATCH + SEARCH + 1) as usize;
    let side = SIDE as usize;
    let mut found = Vec::new();
    for y in (margin..side - margin).step_by(STEP) {
        for x in (margin..side - margin).step_by(STEP) {
            let (x, y) = (x as i32, y as i32);
            let stats = patch_stats(first, x, y);
            if stats.1 < MIN_TEXTURE {
                continue;
            }
            let width = (2 * SEARCH + 1) as usize;
            let mut scores = vec![f32::NEG_INFINITY; width * width];
            let mut best = (f32::NEG_INFINITY, 0, 0);
            for v in -SEARCH..=SEARCH {
                for u in -SEARCH..=SEARCH {
                    let score = correlation(first, (x, y), stats, back, (x + u, y + v));
                    if let Some(slot) =
                        scores.get_mut((v + SEARCH) as usize * width + (u + SEARCH) as usize)
                    {
                        *slot = score;
                    }
                    if score > best.0 {
                        best = (score, u, v);
                    }
                }
            }
            if best.0 < MIN_CORRELATION {
                continue;
            }
            // The peak to a fraction of a pixel: the vertex of the parabola through the best
            // score and its two neighbours, along each axis.
            let score_at = |u: i32, v: i32| {
                scores
                    .get(
                        ((v + SEARCH) as usize)
                            .wrapping_mul(width)
                            .wrapping_add((u + SEARCH) as usize),
                    )
                    .copied()
                    .filter(|_| (-SEARCH..=SEARCH).contains(&u) && (-SEARCH..=SEARCH).contains(&v))
            };
            let vertex = |before: Option<f32>, at: f32, after: Option<f32>| match (before, after) {
                (Some(a), Some(b)) if a.is_finite() && b.is_finite() && a + b - 2.0 * at < 0.0 => {
                    (0.5 * (a - b) / (a + b - 2.0 * at)).clamp(-0.5, 0.5)
                }
                _ => 0.0,
            };
            let (_, u, v) = best;
            let fine_u = vertex(score_at(u - 1, v), best.0, score_at(u + 1, v));
            let fine_v = vertex(score_at(u, v - 1), best.0, score_at(u, v + 1));
            found.push((
                [x as f32, y as f32],
                [x as f32 + u as f32 + fine_u, y as f32 + v as f32 + fine_v],
            ));
        }
    }
    found
}

/// How far `plane` puts `p` from `q`; infinite where it sends `p` to infinity.
fn residual(plane: &Projection, p: &Point, q: &Point) -> f32 {
    let (x, y) = *plane * (p[0], p[1]);
    let error = (x - q[0]).hypot(y - q[1]);
    if error.is_finite() {
        error
    } else {
        f32::INFINITY
    }
}

/// The homography that best takes the first points of `pairs` onto the second in the least
/// squares of the linearised equations (h33 = 1), in coordinates centred on the surface.
fn least_squares(pairs: &[(Point, Point)]) -> Option<Projection> {
    if pairs.len() < 4 {
        return None;
    }
    let half = SIDE as f64 / 2.0;
    let mut normal = [[0.0_f64; 9]; 8];
    for (p, q) in pairs {
        let (x, y) = (
            (f64::from(p[0]) - half) / half,
            (f64::from(p[1]) - half) / half,
        );
        let (u, v) = (
            (f64::from(q[0]) - half) / half,
            (f64::from(q[1]) - half) / half,
        );
        for (row, target) in [
            ([x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u], u),
            ([0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v], v),
        ] {
            for (i, line) in normal.iter_mut().enumerate() {
                for (j, cell) in line.iter_mut().take(8).enumerate() {
                    *cell += row[i] * row[j];
                }
                line[8] += row[i] * target;
            }
        }
    }
    // Gauss-Jordan elimination with partial pivoting.
    for column in 0..8 {
        let pivot = (column..8).max_by(|a, b| {
            normal[*a][column]
                .abs()
                .total_cmp(&normal[*b][column].abs())
        })?;
        normal.swap(column, pivot);
        let lead_row = normal[column];
        let lead = lead_row[column];
        if lead.abs() < 1e-12 {
            return None;
        }
        for (index, row) in normal.iter_mut().enumerate() {
            if index != column {
                let factor = row[column] / lead;
                for (cell, above) in row.iter_mut().zip(lead_row).skip(column) {
                    *cell -= factor * above;
                }
            }
        }
    }
    let solved: Vec<f32> = normal
        .iter()
        .enumerate()
        .map(|(i, row)| (row[8] / row[i]) as f32)
        .collect();
    let [a, b, c, d, e, f, g, h] = <[f32; 8]>::try_from(solved).ok()?;
    let centred = Projection::from_matrix([a, b, c, d, e, f, g, h, 1.0])?;
    let to_unit = Projection::scale(1.0 / half as f32, 1.0 / half as f32)
        * Projection::translate(-half as f32, -half as f32);
    let from_unit = Projection::translate(half as f32, half as f32)
        * Projection::scale(half as f32, half as f32);
    Some(from_unit * centred * to_unit)
}

/// The homography that fits `pairs` best: least median of squares over deterministic samples
/// of four (robust to the patches off the plane and to those found in the wrong place), then
/// least squares over the patches it fits. None for too few patches.
fn plane_through(pairs: &[(Point, Point)]) -> Option<Projection> {
    let n = pairs.len();
    if n < MIN_PATCHES {
        return None;
    }
    // A fixed xorshift sequence: the judgement of the same frames is always the same.
    let mut state: u32 = 0x9E37_79B9;
    let mut next = |limit: usize| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize % limit
    };
    let at = |i: usize| pairs.get(i).copied().unwrap_or_default();
    let mut best: Option<(Projection, f32)> = None;
    for _ in 0..300 {
        let picks = [next(n), next(n), next(n), next(n)].map(at);
        let from = picks.map(|(p, _)| (p[0], p[1]));
        let to = picks.map(|(_, q)| (q[0], q[1]));
        let Some(plane) = Projection::from_control_points(from, to) else {
            continue;
        };
        let mut residuals: Vec<f32> = pairs.iter().map(|(p, q)| residual(&plane, p, q)).collect();
        residuals.sort_by(f32::total_cmp);
        let Some(median) = residuals.get(n / 2).copied() else {
            continue;
        };
        if best.as_ref().is_none_or(|(_, lowest)| median < *lowest) {
            best = Some((plane, median));
        }
    }
    let (plane, _) = best?;
    let fitted: Vec<(Point, Point)> = pairs
        .iter()
        .filter(|(p, q)| residual(&plane, p, q) <= 2.0 * OFF_PLANE_PIXELS)
        .copied()
        .collect();
    Some(least_squares(&fitted).unwrap_or(plane))
}

/// `other` brought back onto `first`'s surface by `motion` (first to other), and where the
/// patches of `first` are found on it.
fn matched(first: &Surface, other: &Surface, motion: Projection) -> Vec<(Point, Point)> {
    let mut back = GrayImage::new(SIDE, SIDE);
    warp_into(
        &other.grey,
        motion.invert(),
        Interpolation::Bilinear,
        Border::Constant(Luma([0])),
        &mut back,
    );
    correspondences(&first.grey, &back)
}

/// The share of `first`'s textured face patches that `other` shows off the single plane
/// through the rest: about 0 for a picture moved before the camera, more for a head that
/// turned. The landmarks' homography starts the search; two rounds of finding the patches
/// and fitting the plane through them correct it (the landmarks are a face's, not the
/// picture's). None when too few patches can be found again to judge.
pub fn relief(first: &Surface, other: &Surface) -> Option<f32> {
    let mut motion = Projection::from_control_points(outer(first), outer(other))?;
    for _ in 0..2 {
        let plane = plane_through(&matched(first, other, motion))?;
        motion = motion * plane;
    }
    let pairs = matched(first, other, motion);
    let plane = plane_through(&pairs)?;
    let off = pairs
        .iter()
        .filter(|(p, q)| residual(&plane, p, q) > OFF_PLANE_PIXELS)
        .count();
    Some(off as f32 / pairs.len() as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::filter::gaussian_blur_f32;
    use imageproc::geometric_transformations::warp;

    /// A textured grey picture (smoothed noise, as skin and hair at this scale) with a face's
    /// landmarks: eyes 100 px apart.
    fn picture() -> (GrayImage, Face) {
        let noise = GrayImage::from_fn(400, 400, |x, y| {
            let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77);
            h ^= h >> 15;
            h = h.wrapping_mul(0x2C1B_3C6D);
            h ^= h >> 12;
            Luma([(h % 256) as u8])
        });
        let face = Face {
            bounds: [120.0, 110.0, 160.0, 200.0],
            landmarks: [
                [150.0, 180.0],
                [250.0, 180.0],
                [200.0, 235.0],
                [160.0, 280.0],
                [240.0, 280.0],
            ],
            score: 1.0,
        };
        (gaussian_blur_f32(&noise, 2.0), face)
    }

    fn moved(face: &Face, motion: &Projection) -> Face {
        Face {
            landmarks: face.landmarks.map(|[x, y]| {
                let (u, v) = *motion * (x, y);
                [u, v]
            }),
            ..face.clone()
        }
    }

    #[test]
    fn a_picture_turned_in_perspective_has_no_relief_and_a_bulging_one_has() -> Result<(), String> {
        let (image, face) = picture();
        let first = Surface::of(&image, &face).ok_or("no surface")?;
        assert_eq!(relief(&first, &first), Some(0.0));

        // The picture turned about an upright axis through the face and seen from close by.
        let (cos, sin) = (35f32.to_radians().cos(), 35f32.to_radians().sin());
        let turn = Projection::translate(200.0, 230.0)
            * Projection::from_matrix([cos, 0.0, 0.0, 0.0, 1.0, 0.0, sin / 150.0, 0.0, 1.0])
                .ok_or("no matrix")?
            * Projection::translate(-200.0, -230.0);
        let turned = warp(
            &image,
            turn,
            Interpolation::Bilinear,
            Border::Constant(Luma([0])),
        );
        // The landmarks a detector gives are a face's, not the picture's: off by a few pixels.
        let mut found = moved(&face, &turn);
        found.landmarks[2][0] += 6.0;
        found.landmarks[0][1] -= 4.0;
        let flat = relief(&first, &Surface::of(&turned, &found).ok_or("no surface")?)
            .ok_or("not measured")?;
        assert!(flat < RELIEF, "{flat}");

        // The middle of the face pushed sideways by up to 12 px, as a nose that stands out.
        let bulged = GrayImage::from_fn(400, 400, |x, y| {
            let (dx, dy) = ((x as f32 - 200.0) / 50.0, (y as f32 - 235.0) / 80.0);
            let shift = 12.0 * (-(dx * dx + dy * dy) / 2.0).exp();
            let source = (x as f32 - shift).round().clamp(0.0, 399.0) as u32;
            *image.get_pixel(source, y)
        });
        let mut nosed = face.clone();
        nosed.landmarks[2][0] += 12.0;
        let bulge = relief(&first, &Surface::of(&bulged, &nosed).ok_or("no surface")?)
            .ok_or("not measured")?;
        assert!(bulge > RELIEF, "{bulge}");
        Ok(())
    }

    #[test]
    fn a_face_without_texture_cannot_be_judged() -> Result<(), String> {
        let (_, face) = picture();
        let blank = GrayImage::from_pixel(400, 400, Luma([128]));
        let surface = Surface::of(&blank, &face).ok_or("no surface")?;
        assert_eq!(relief(&surface, &surface), None);
        let mut eyes_together = face.clone();
        eyes_together.landmarks[1] = eyes_together.landmarks[0];
        assert!(Surface::of(&blank, &eyes_together).is_none());
        Ok(())
    }
}

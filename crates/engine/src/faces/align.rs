//! The face cut out and turned upright the way the embedding network was trained: five points
//! moved onto fixed places of a 112 x 112 square by the similarity (scale, rotation, shift)
//! that fits them best.

use image::{Rgb, RgbImage};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};

use super::detect::Point;

/// The side of the aligned face.
pub const ALIGNED_SIDE: u32 = 112;

/// Where the eyes, nose tip and mouth corners go (the ArcFace template that SFace uses).
const TEMPLATE: [Point; 5] = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// The least-squares similarity taking `from` onto `to`, as (a, b, tx, ty):
/// x' = a x - b y + tx, y' = b x + a y + ty. None when the points coincide.
pub fn similarity(from: &[Point; 5], to: &[Point; 5]) -> Option<[f32; 4]> {
    let mean = |points: &[Point; 5]| {
        let n = points.len() as f32;
        [
            points.iter().map(|p| p[0]).sum::<f32>() / n,
            points.iter().map(|p| p[1]).sum::<f32>() / n,
        ]
    };
    let (source, target) = (mean(from), mean(to));
    let (mut dot, mut cross, mut norm) = (0.0_f32, 0.0_f32, 0.0_f32);
    for (p, q) in from.iter().zip(to) {
        let (x, y) = (p[0] - source[0], p[1] - source[1]);
        let (u, v) = (q[0] - target[0], q[1] - target[1]);
        dot += x * u + y * v;
        cross += x * v - y * u;
        norm += x * x + y * y;
    }
    if norm <= f32::EPSILON {
        return None;
    }
    let (a, b) = (dot / norm, cross / norm);
    Some([
        a,
        b,
        target[0] - (a * source[0] - b * source[1]),
        target[1] - (b * source[0] + a * source[1]),
    ])
}

/// The face with `landmarks` on `image`, aligned; None when the landmarks are degenerate.
pub fn align(image: &RgbImage, landmarks: &[Point; 5]) -> Option<RgbImage> {
    let [a, b, tx, ty] = similarity(landmarks, &TEMPLATE)?;
    let projection = Projection::from_matrix([a, -b, tx, b, a, ty, 0.0, 0.0, 1.0])?;
    let mut aligned = RgbImage::new(ALIGNED_SIDE, ALIGNED_SIDE);
    warp_into(
        image,
        projection,
        Interpolation::Bilinear,
        Border::Constant(Rgb([0, 0, 0])),
        &mut aligned,
    );
    Some(aligned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_similarity_that_made_the_points() {
        // Scale 2, rotated by 30 degrees, moved by (5, -3).
        let (scale, angle) = (2.0_f32, 30f32.to_radians());
        let (a, b) = (scale * angle.cos(), scale * angle.sin());
        let moved = TEMPLATE.map(|[x, y]| [a * x - b * y + 5.0, b * x + a * y - 3.0]);
        let found = similarity(&TEMPLATE, &moved).unwrap_or_default();
        for (got, want) in found.iter().zip([a, b, 5.0, -3.0]) {
            assert!((got - want).abs() < 1e-3, "{found:?}");
        }
        assert_eq!(similarity(&[[1.0, 1.0]; 5], &TEMPLATE), None);
    }

    #[test]
    fn puts_the_eyes_where_the_template_has_them() {
        // A photo with two bright dots where the eyes are, twice the template's scale.
        let mut image = RgbImage::new(300, 300);
        let landmarks = TEMPLATE.map(|[x, y]| [x * 2.0 + 20.0, y * 2.0 + 10.0]);
        for [x, y] in &landmarks[..2] {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    image.put_pixel(
                        (*x as i32 + dx) as u32,
                        (*y as i32 + dy) as u32,
                        Rgb([255; 3]),
                    );
                }
            }
        }
        let aligned = align(&image, &landmarks).unwrap_or_default();
        assert_eq!(aligned.dimensions(), (ALIGNED_SIDE, ALIGNED_SIDE));
        for [x, y] in &TEMPLATE[..2] {
            assert!(aligned.get_pixel(*x as u32, *y as u32).0[0] > 100);
        }
        assert_eq!(aligned.get_pixel(56, 20).0[0], 0);
    }
}

//! The detector's input and its output: the photo shrunk to a size the network takes, and the
//! probability map turned into text boxes (PaddleOCR's DB post-processing).

use image::RgbImage;
use imageproc::contours::{find_contours, BorderType};
use imageproc::distance_transform::Norm;
use imageproc::geometry::min_area_rect;
use imageproc::morphology::dilate;
use imageproc::point::Point;
use ndarray::{Array4, ArrayView2, ShapeError};

use super::tensor::bgr_planes;
use super::{Quad, TextBox};

/// The DB network's strides need sides that are multiples of 32.
const STRIDE: u32 = 32;
/// More boxes than this on one image is no document but noise; PaddleOCR caps it alike.
const MAX_CANDIDATES: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct DetectOptions {
    pub threshold: f32,
    pub box_threshold: f32,
    pub unclip_ratio: f32,
    pub min_size: f32,
}

pub(super) struct Prepared {
    pub input: Array4<f32>,
    /// From the network's coordinates back to the photo's.
    pub scale: (f32, f32),
}

fn side(length: u32, ratio: f32) -> u32 {
    let scaled = (length as f32 * ratio / STRIDE as f32).round() as u32;
    scaled.max(1) * STRIDE
}

/// The photo at most `max_side` on its longest side, in the network's layout: BGR planes
/// scaled to -1..1, as PaddleOCR trained it.
pub(super) fn prepare(image: &RgbImage, max_side: u32) -> Result<Prepared, ShapeError> {
    let (width, height) = image.dimensions();
    let longest = width.max(height).max(1);
    let ratio = (max_side as f32 / longest as f32).min(1.0);
    let (new_width, new_height) = (side(width, ratio), side(height, ratio));
    let resized = crate::resample::triangle(image, new_width, new_height);
    let input = bgr_planes(&resized, new_width)?;
    Ok(Prepared {
        input,
        scale: (
            width as f32 / new_width as f32,
            height as f32 / new_height as f32,
        ),
    })
}

/// The rotated rectangle of `corners` (as `min_area_rect` returns them), its long side taken
/// as the text's direction, pointing right (or down when vertical).
fn rectangle(corners: [Point<f32>; 4]) -> Option<Quad> {
    let [a, b, _, d] = corners;
    let along = [b.x - a.x, b.y - a.y];
    let across = [d.x - a.x, d.y - a.y];
    let (along_length, across_length) = (along[0].hypot(along[1]), across[0].hypot(across[1]));
    let (long, width, height) = if along_length >= across_length {
        (along, along_length, across_length)
    } else {
        (across, across_length, along_length)
    };
    if width <= 0.0 {
        return None;
    }
    let mut direction = [long[0] / width, long[1] / width];
    if direction[0] < -1e-6 || (direction[0].abs() <= 1e-6 && direction[1] < 0.0) {
        direction = [-direction[0], -direction[1]];
    }
    let centre = [
        corners.iter().map(|p| p.x).sum::<f32>() / 4.0,
        corners.iter().map(|p| p.y).sum::<f32>() / 4.0,
    ];
    Some(Quad::rectangle(centre, direction, width, height))
}

/// The mean probability over the pixels inside `quad`: the box's confidence.
fn mean_inside(probability: &ArrayView2<f32>, quad: &Quad) -> f32 {
    let (rows, columns) = probability.dim();
    let xs = quad.0.map(|p| p[0]);
    let ys = quad.0.map(|p| p[1]);
    let low = |values: [f32; 4], limit: usize| {
        (values
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min)
            .floor()
            .max(0.0) as usize)
            .min(limit)
    };
    let high = |values: [f32; 4], limit: usize| {
        (values
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
            .ceil()
            .max(0.0) as usize)
            .min(limit)
    };
    let (mut sum, mut count) = (0.0_f32, 0_u32);
    for y in low(ys, rows)..high(ys, rows) {
        for x in low(xs, columns)..high(xs, columns) {
            if quad.contains([x as f32, y as f32]) {
                if let Some(value) = probability.get((y, x)) {
                    sum += value;
                    count += 1;
                }
            }
        }
    }
    if count == 0 {
        0.0
    } else {
        sum / count as f32
    }
}

/// Text boxes in the photo's coordinates from the probability map the network returned for a
/// [`prepare`]d photo.
pub(super) fn boxes(
    probability: ArrayView2<f32>,
    scale: (f32, f32),
    options: &DetectOptions,
) -> Vec<TextBox> {
    let (rows, columns) = probability.dim();
    let binary = image::GrayImage::from_fn(columns as u32, rows as u32, |x, y| {
        let value = probability
            .get((y as usize, x as usize))
            .copied()
            .unwrap_or(0.0);
        image::Luma([if value > options.threshold { 255 } else { 0 }])
    });
    // PaddleOCR dilates too: it joins the glyphs of a line that the map separates.
    let binary = dilate(&binary, Norm::LInf, 1);
    let mut found = Vec::new();
    for contour in find_contours::<i32>(&binary) {
        if contour.border_type != BorderType::Outer || contour.points.len() < 3 {
            continue;
        }
        let points: Vec<Point<f32>> = contour
            .points
            .iter()
            .map(|p| Point::new(p.x as f32, p.y as f32))
            .collect();
        let Some(quad) = rectangle(min_area_rect(&points)) else {
            continue;
        };
        let (width, height) = (quad.width(), quad.height());
        if height < options.min_size {
            continue;
        }
        let score = mean_inside(&probability, &quad);
        if score < options.box_threshold {
            continue;
        }
        // Grow the shrunk text kernel back to the line: PaddleOCR's unclip of a rectangle.
        let grow = width * height * options.unclip_ratio / (2.0 * (width + height));
        let grown = Quad::rectangle(
            quad.centre(),
            quad.direction(),
            width + 2.0 * grow,
            height + 2.0 * grow,
        );
        if grown.height() < options.min_size + 2.0 {
            continue;
        }
        found.push(TextBox {
            quad: grown.scaled(scale.0, scale.1),
            score,
        });
        if found.len() >= MAX_CANDIDATES {
            break;
        }
    }
    found
}

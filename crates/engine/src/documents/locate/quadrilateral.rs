//! A document on a busy ground (wood, cloth, clutter, a hand): its outline among the edges.
//! Every long closed chain of edges, inside and out, is fitted with its enclosing
//! quadrilateral; the one kept is large, shaped like a document, and lies on edges along
//! most of its sides. Holes count as much as outer borders: the inside of a card's outline is
//! still the card when clutter or a finger touches it from outside.

use image::{imageops, GrayImage, RgbImage};
use imageproc::contours::{find_contours, BorderType};
use imageproc::contrast::{otsu_level, threshold, ThresholdType};
use imageproc::distance_transform::Norm;
use imageproc::edges::canny;
use imageproc::morphology::{dilate, open_mut};
use imageproc::point::Point;

use super::geometry::{self, Quad};
use super::{Found, LocatedKind};

/// Canny's hysteresis on the Sobel magnitude of the blurred image (about 2.3 times a step's
/// height): a step of about 5 grey levels continues an edge, one of about 13 starts it. A
/// pale card on a pale desk is not much more than that.
const LOW: f32 = 12.0;
const HIGH: f32 = 30.0;
/// The least share of the frame a document takes: a card a third of the photo's width.
const LEAST_SHARE: f32 = 0.06;
/// Above this share the quadrilateral is the frame, not something on it.
const MOST_SHARE: f32 = 0.97;
/// Below this share an outline may be a part of a tight-cropped document (its portrait, a
/// box of fields) rather than the document; it must then stand out as busier than its
/// surroundings, as print on a desk does.
const SMALL_SHARE: f32 = 0.2;
/// How much busier than its surroundings a small outline's inside must be.
const STANDS_OUT: f32 = 1.5;
/// An outline must lie on edges along this share of its length, and each side along this.
const LEAST_SUPPORT: f32 = 0.7;
const LEAST_SIDE_SUPPORT: f32 = 0.4;
/// An outline this close to the frame's side (share of the side) touches it. A document on a
/// desk has desk round it; an outline touching the frame is more often a part of a
/// tight-cropped document (one card of a front-and-back scan, a visa's field panel).
const TOUCHING: f32 = 0.025;
/// From this share of the frame an outline touching it is the tight crop's own edge, which
/// is harmless to keep.
const FILLS_FRAME: f32 = 0.85;
/// How far off the outline, in working pixels, an edge still supports it.
const REACH: i32 = 2;

pub(super) fn find(small: &RgbImage) -> Option<Found> {
    let gray = imageops::grayscale(small);
    let edges = canny(&gray, LOW, HIGH);
    // One pixel bridges the gaps canny leaves at corners and in faint stretches.
    let joined = dilate(&edges, Norm::LInf, 1);
    let mut outlines: Vec<Vec<Point<i32>>> = find_contours::<i32>(&joined)
        .into_iter()
        .map(|contour| contour.points)
        .collect();
    // Papers are lighter than most of what they lie on: the light half of the picture, thin
    // things (pens, a wood's grain, a cloth's threads) opened away, outlines the card where
    // its edge chain has clutter joined to it outside and print splitting it inside.
    let mut light = threshold(&gray, otsu_level(&gray), ThresholdType::Binary);
    open_mut(&mut light, Norm::LInf, 2);
    outlines.extend(
        find_contours::<i32>(&light)
            .into_iter()
            .filter(|contour| contour.border_type == BorderType::Outer)
            .map(|contour| contour.points),
    );
    let (width, height) = small.dimensions();
    let mut best: Option<(f32, Quad, f32)> = None;
    for points in &outlines {
        let Some((quad, sides)) = candidate(points, &edges) else {
            continue;
        };
        let share = geometry::area(&quad) / (width * height) as f32;
        let mean = sides.iter().sum::<f32>() / 4.0;
        let score = share * mean.powi(4);
        if best.is_some_and(|(top, _, _)| top >= score) {
            continue;
        }
        if share < FILLS_FRAME && touches_frame(&quad, width, height) {
            continue;
        }
        if share < SMALL_SHARE && !stands_out(&edges, &quad) {
            continue;
        }
        best = Some((score, quad, mean));
    }
    best.map(|(_, quad, mean)| Found {
        // Pixel indices to continuous coordinates: an index names the pixel's top-left.
        quad: quad.map(|[x, y]| [x + 0.5, y + 0.5]),
        kind: LocatedKind::Quadrilateral,
        confidence: mean,
        content: geometry::area(&quad),
    })
}

/// The enclosing quadrilateral of an outline large enough and shaped like a document, with
/// each side's support on `edges`.
fn candidate(points: &[Point<i32>], edges: &GrayImage) -> Option<(Quad, [f32; 4])> {
    let (width, height) = edges.dimensions();
    let least_extent = (width.min(height) as f32 * 0.2) as i32;
    if points.len() < 4 * least_extent.max(1) as usize {
        return None;
    }
    let (mut x_low, mut x_high, mut y_low, mut y_high) = (i32::MAX, i32::MIN, i32::MAX, i32::MIN);
    for point in points {
        x_low = x_low.min(point.x);
        x_high = x_high.max(point.x);
        y_low = y_low.min(point.y);
        y_high = y_high.max(point.y);
    }
    if x_high - x_low < least_extent || y_high - y_low < least_extent {
        return None;
    }
    let quad = geometry::enclosing_quad(points)?;
    let share = geometry::area(&quad) / (width * height) as f32;
    if !(LEAST_SHARE..=MOST_SHARE).contains(&share) || !geometry::is_document_shaped(&quad) {
        return None;
    }
    let sides = support(edges, &quad);
    let mean = sides.iter().sum::<f32>() / 4.0;
    let weakest = sides.iter().copied().fold(1.0, f32::min);
    (mean >= LEAST_SUPPORT && weakest >= LEAST_SIDE_SUPPORT).then_some((quad, sides))
}

fn touches_frame(quad: &Quad, width: u32, height: u32) -> bool {
    let (w, h) = (width as f32, height as f32);
    let (near_x, near_y) = (TOUCHING * w, TOUCHING * h);
    quad.iter()
        .any(|&[x, y]| x <= near_x || x >= w - 1.0 - near_x || y <= near_y || y >= h - 1.0 - near_y)
}

/// Share of each side (top, right, bottom, left) with an edge pixel within [`REACH`] of it,
/// looked for across the side.
fn support(edges: &GrayImage, quad: &Quad) -> [f32; 4] {
    let (width, height) = edges.dimensions();
    let is_edge = |x: f32, y: f32| {
        let (x, y) = (x.round() as i64, y.round() as i64);
        x >= 0
            && y >= 0
            && x < i64::from(width)
            && y < i64::from(height)
            && edges.get_pixel(x as u32, y as u32).0[0] > 0
    };
    let mut shares = [0.0; 4];
    for (i, share) in shares.iter_mut().enumerate() {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        let length = geometry::distance(a, b);
        if length < 1.0 {
            continue;
        }
        let (dx, dy) = ((b[0] - a[0]) / length, (b[1] - a[1]) / length);
        let (nx, ny) = (-dy, dx);
        let steps = length.round().max(1.0) as usize;
        let mut hits = 0;
        for step in 0..steps {
            let t = (step as f32 + 0.5) / steps as f32 * length;
            let (x, y) = (a[0] + t * dx, a[1] + t * dy);
            if (-REACH..=REACH).any(|k| is_edge(x + k as f32 * nx, y + k as f32 * ny)) {
                hits += 1;
            }
        }
        *share = hits as f32 / steps as f32;
    }
    shares
}

/// Whether the inside of `quad` has at least as many edges per pixel as the frame outside
/// it: print on a plain or softly textured ground does; a portrait inside a page does not.
fn stands_out(edges: &GrayImage, quad: &Quad) -> bool {
    let cx = quad.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = quad.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    // The outline's own edges belong to neither side.
    let around = |factor: f32| quad.map(|[x, y]| [cx + (x - cx) * factor, cy + (y - cy) * factor]);
    let (inner, outer) = (around(0.95), around(1.05));
    let (mut inside, mut inside_edges, mut outside, mut outside_edges) = (0u32, 0u32, 0u32, 0u32);
    for (x, y, pixel) in edges.enumerate_pixels() {
        let (fx, fy) = (x as f32, y as f32);
        let edge = u32::from(pixel.0[0] > 0);
        if geometry::contains(&inner, fx, fy) {
            inside += 1;
            inside_edges += edge;
        } else if !geometry::contains(&outer, fx, fy) {
            outside += 1;
            outside_edges += edge;
        }
    }
    let density = |edges: u32, pixels: u32| edges as f32 / pixels.max(1) as f32;
    density(inside_edges, inside) >= STANDS_OUT * density(outside_edges, outside)
}

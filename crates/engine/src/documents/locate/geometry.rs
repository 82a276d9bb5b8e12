//! Quadrilaterals: fitting one round a set of points, putting its corners in order, and the
//! tests of shape a document's outline has to pass.

use imageproc::geometry::{approximate_polygon_dp, convex_hull};
use imageproc::point::Point;

pub(super) type Quad = [[f32; 2]; 4];

/// The plausible range of a document's side ratio (an ID-1 card is 1.586, a passport page
/// about 1.42, a letter or A4 page 1.29-1.41), widened for what perspective does to it.
pub(super) const ASPECT: std::ops::RangeInclusive<f32> = 1.12..=1.95;
/// A document's corners are square; perspective opens or closes them, but not past this.
const CORNER_DEGREES: std::ops::RangeInclusive<f32> = 50.0..=130.0;

/// The smallest quadrilateral enclosing `points`, found by cutting the convex hull's edges
/// away one by one, each time the one whose neighbours' extensions add the least area. A
/// rounded or clipped corner, or a finger's dent, is bridged by the lines of the sides
/// either side of it, which is where the document's true corner is.
pub(super) fn enclosing_quad(points: &[Point<i32>]) -> Option<Quad> {
    let hull = convex_hull(points.to_vec());
    if hull.len() < 4 {
        return None;
    }
    // The hull of a long contour has hundreds of nearly collinear vertices; a pixel's
    // tolerance leaves the corners and makes the cutting cheap.
    let simplified = approximate_polygon_dp(&hull, 1.0, true);
    let source = if simplified.len() >= 4 {
        simplified
    } else {
        hull
    };
    let mut polygon: Vec<[f64; 2]> = source
        .iter()
        .map(|p| [f64::from(p.x), f64::from(p.y)])
        .collect();
    while polygon.len() > 4 {
        let n = polygon.len();
        let mut best: Option<(f64, usize, [f64; 2])> = None;
        for i in 0..n {
            let at = |k: usize| polygon.get(k % n).copied().unwrap_or([0.0, 0.0]);
            let (before, start, end, after) = (at(i + n - 1), at(i), at(i + 1), at(i + 2));
            if let Some(meet) = extensions_meet(before, start, end, after) {
                let added = triangle_area(start, meet, end);
                if best.is_none_or(|(least, _, _)| added < least) {
                    best = Some((added, i, meet));
                }
            }
        }
        let (_, i, meet) = best?;
        let next = (i + 1) % n;
        if let Some(slot) = polygon.get_mut(i) {
            *slot = meet;
        }
        polygon.remove(next);
    }
    let quad: Vec<[f32; 2]> = polygon.iter().map(|&[x, y]| [x as f32, y as f32]).collect();
    let quad: Quad = quad.try_into().ok()?;
    Some(clockwise_from_top_left(quad))
}

/// Where the side before `start` and the side after `end` meet when both are carried on
/// past the edge `start`-`end`; `None` if they do not meet on that side (the edge cannot be
/// cut away without opening the polygon).
fn extensions_meet(
    before: [f64; 2],
    start: [f64; 2],
    end: [f64; 2],
    after: [f64; 2],
) -> Option<[f64; 2]> {
    let d1 = [start[0] - before[0], start[1] - before[1]];
    let d2 = [end[0] - after[0], end[1] - after[1]];
    let denominator = d1[0] * d2[1] - d1[1] * d2[0];
    if denominator.abs() < 1e-9 {
        return None;
    }
    let gap = [end[0] - start[0], end[1] - start[1]];
    let t = (gap[0] * d2[1] - gap[1] * d2[0]) / denominator;
    let s = (gap[0] * d1[1] - gap[1] * d1[0]) / denominator;
    (t > 0.0 && s > 0.0).then(|| [start[0] + t * d1[0], start[1] + t * d1[1]])
}

fn triangle_area(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])).abs() / 2.0
}

/// Clockwise on the screen (y down) from the corner nearest the image's top-left: the order
/// [`super::Located`] promises.
pub(super) fn clockwise_from_top_left(quad: Quad) -> Quad {
    let cx = quad.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = quad.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    let mut sorted = quad;
    sorted.sort_by(|a, b| {
        let angle = |p: &[f32; 2]| (p[1] - cy).atan2(p[0] - cx);
        angle(a).total_cmp(&angle(b))
    });
    let first = sorted
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| (a[0] + a[1]).total_cmp(&(b[0] + b[1])))
        .map_or(0, |(index, _)| index);
    sorted.rotate_left(first);
    sorted
}

pub(super) fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Side lengths: top, right, bottom, left.
pub(super) fn sides(quad: &Quad) -> [f32; 4] {
    let [a, b, c, d] = *quad;
    [
        distance(a, b),
        distance(b, c),
        distance(c, d),
        distance(d, a),
    ]
}

pub(super) fn area(quad: &Quad) -> f32 {
    let mut twice = 0.0;
    for i in 0..4 {
        let (p, q) = (quad[i], quad[(i + 1) % 4]);
        twice += p[0] * q[1] - q[0] * p[1];
    }
    twice.abs() / 2.0
}

/// Longer over shorter of the mean opposite sides.
pub(super) fn aspect(quad: &Quad) -> f32 {
    let [top, right, bottom, left] = sides(quad);
    let (across, down) = ((top + bottom) / 2.0, (left + right) / 2.0);
    across.max(down) / across.min(down).max(f32::EPSILON)
}

/// A rectangle in a photo with a document's proportions.
pub(super) fn is_document_shaped(quad: &Quad) -> bool {
    is_rectangular(quad) && ASPECT.contains(&aspect(quad))
}

/// Convex, with every corner near square: what a flat rectangle looks like in a photo.
pub(super) fn is_rectangular(quad: &Quad) -> bool {
    let mut sign = 0.0_f32;
    for i in 0..4 {
        let (p, q, r) = (quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]);
        let (u, v) = ([q[0] - p[0], q[1] - p[1]], [r[0] - q[0], r[1] - q[1]]);
        let cross = u[0] * v[1] - u[1] * v[0];
        if sign * cross < 0.0 || cross == 0.0 {
            return false;
        }
        sign = cross.signum();
        let cosine = -(u[0] * v[0] + u[1] * v[1]) / (u[0].hypot(u[1]) * v[0].hypot(v[1]));
        let degrees = cosine.clamp(-1.0, 1.0).acos().to_degrees();
        if !CORNER_DEGREES.contains(&degrees) {
            return false;
        }
    }
    true
}

/// Whether `(x, y)` lies inside the convex `quad` (corners in either turning order).
pub(super) fn contains(quad: &Quad, x: f32, y: f32) -> bool {
    let mut sign = 0.0_f32;
    for i in 0..4 {
        let (p, q) = (quad[i], quad[(i + 1) % 4]);
        let cross = (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
        if sign * cross < 0.0 {
            return false;
        }
        if cross != 0.0 {
            sign = cross.signum();
        }
    }
    true
}

/// Whether `quad` is `boxed` give or take a little over 1% of the frame's diagonal at each
/// corner: a document lying square to the frame.
pub(super) fn matches_box(quad: &Quad, boxed: &Quad, (width, height): (u32, u32)) -> bool {
    let diagonal = (width as f32).hypot(height as f32);
    quad.iter()
        .zip(boxed)
        .all(|(&a, &b)| distance(a, b) < 0.012 * diagonal)
}

//! A document on a plain ground: a scanner's white bed, a blank desk, a dark table. When the
//! frame's border is one colour (allowing for a gradient of light), whatever differs from
//! that colour is the document; its box is the crop, or, when it is one solid block turned
//! or tilted, its quadrilateral.

use image::{GrayImage, Luma, RgbImage};
use imageproc::distance_transform::Norm;
use imageproc::morphology::close_mut;
use imageproc::point::Point;
use imageproc::region_labelling::{connected_components, Connectivity};

use super::geometry::{self, Quad};
use super::{Found, LocatedKind};

/// The border strip sampled for the ground's colour, in working pixels.
const BAND: u32 = 2;
/// How far a border pixel may be from its side's colour and still count as the ground.
const GROUND_TOLERANCE: u8 = 16;
/// Share of each side's strip that must be the ground: a document touching one side of the
/// frame is a tight crop, not a document on a bed.
const SIDE_UNIFORM: f32 = 0.8;
/// The least difference from the ground that counts as the document: above a scanner's noise
/// and JPEG's ringing, below a pale card's tint on white.
const LEAST_CONTRAST: f32 = 16.0;
/// A crop that keeps more than this share of both sides is no crop.
const NEARLY_WHOLE: f32 = 0.97;
/// A solid block filling this share of its enclosing quadrilateral is a card or a page with
/// its own tint, not scattered print.
const SOLID: f32 = 0.88;

/// The ground's colour along each side of the frame, for a linear model of the light.
struct Ground {
    top: [f32; 3],
    bottom: [f32; 3],
    left: [f32; 3],
    right: [f32; 3],
    /// Share of the border within tolerance.
    uniformity: f32,
    /// The border's own spread, for the threshold.
    spread: f32,
}

impl Ground {
    fn at(&self, x: f32, y: f32) -> [f32; 3] {
        let mut colour = [0.0; 3];
        for (c, slot) in colour.iter_mut().enumerate() {
            let across = self.left[c] + (self.right[c] - self.left[c]) * x;
            let down = self.top[c] + (self.bottom[c] - self.top[c]) * y;
            *slot = (across + down) / 2.0;
        }
        colour
    }
}

fn median(values: &mut [u8]) -> f32 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().map_or(0.0, f32::from)
}

/// The side's colour (per-channel median) and each of its pixels' distance from it.
fn side(small: &RgbImage, pixels: &[(u32, u32)]) -> ([f32; 3], Vec<u8>) {
    let mut colour = [0.0; 3];
    for (c, slot) in colour.iter_mut().enumerate() {
        let mut channel: Vec<u8> = pixels
            .iter()
            .map(|&(x, y)| small.get_pixel(x, y).0.get(c).copied().unwrap_or(0))
            .collect();
        *slot = median(&mut channel);
    }
    let distances = pixels
        .iter()
        .map(|&(x, y)| distance(small.get_pixel(x, y).0, colour))
        .collect();
    (colour, distances)
}

fn distance(pixel: [u8; 3], colour: [f32; 3]) -> u8 {
    pixel
        .iter()
        .zip(colour)
        .map(|(&p, c)| (f32::from(p) - c).abs())
        .fold(0.0, f32::max)
        .min(255.0) as u8
}

fn ground(small: &RgbImage) -> Option<Ground> {
    let (width, height) = small.dimensions();
    let rows = |from: u32| -> Vec<(u32, u32)> {
        (from..from + BAND)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .collect()
    };
    let columns = |from: u32| -> Vec<(u32, u32)> {
        (from..from + BAND)
            .flat_map(|x| (0..height).map(move |y| (x, y)))
            .collect()
    };
    let (top, top_d) = side(small, &rows(0));
    let (bottom, bottom_d) = side(small, &rows(height - BAND));
    let (left, left_d) = side(small, &columns(0));
    let (right, right_d) = side(small, &columns(width - BAND));
    let within = |d: &[u8]| {
        d.iter().filter(|&&v| v <= GROUND_TOLERANCE).count() as f32 / d.len().max(1) as f32
    };
    let shares = [&top_d, &bottom_d, &left_d, &right_d].map(|d| within(d));
    if shares.iter().any(|&share| share < SIDE_UNIFORM) {
        return None;
    }
    let mut all: Vec<u8> = [top_d, bottom_d, left_d, right_d].concat();
    all.sort_unstable();
    let spread = all.get(all.len() * 9 / 10).copied().map_or(0.0, f32::from);
    Some(Ground {
        top,
        bottom,
        left,
        right,
        uniformity: shares.iter().sum::<f32>() / 4.0,
        spread,
    })
}

/// Pixel count and box (left, top, right, bottom inclusive) of one labelled region.
#[derive(Clone, Copy)]
struct Region {
    area: u32,
    left: u32,
    top: u32,
    right: u32,
    bottom: u32,
}

pub(super) fn find(small: &RgbImage) -> Option<Found> {
    let (width, height) = small.dimensions();
    let ground = ground(small)?;
    let threshold = LEAST_CONTRAST.max(2.0 * ground.spread + 6.0);
    let (w, h) = (width as f32, height as f32);
    let mut mask = GrayImage::from_fn(width, height, |x, y| {
        let colour = ground.at(x as f32 / w, y as f32 / h);
        let differs = f32::from(distance(small.get_pixel(x, y).0, colour)) > threshold;
        Luma([if differs { 255 } else { 0 }])
    });
    // Letters on a faint page merge into lines, so that print is one region, not specks.
    close_mut(&mut mask, Norm::LInf, 2);
    let labels = connected_components(&mask, Connectivity::Eight, Luma([0]));
    let mut regions: Vec<Region> = Vec::new();
    for (x, y, label) in labels.enumerate_pixels() {
        let index = label.0[0] as usize;
        if index == 0 {
            continue;
        }
        if regions.len() < index {
            regions.resize(
                index,
                Region {
                    area: 0,
                    left: u32::MAX,
                    top: u32::MAX,
                    right: 0,
                    bottom: 0,
                },
            );
        }
        if let Some(region) = regions.get_mut(index - 1) {
            region.area += 1;
            region.left = region.left.min(x);
            region.top = region.top.min(y);
            region.right = region.right.max(x);
            region.bottom = region.bottom.max(y);
        }
    }
    // Dust and JPEG specks on the bed are not the document.
    let least = ((width * height) / 2000).max(4);
    let kept: Vec<(usize, Region)> = regions
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, region)| region.area >= least)
        .collect();
    let (mut left, mut top, mut right, mut bottom) = (u32::MAX, u32::MAX, 0, 0);
    for (_, region) in &kept {
        left = left.min(region.left);
        top = top.min(region.top);
        right = right.max(region.right);
        bottom = bottom.max(region.bottom);
    }
    if kept.is_empty() {
        return None;
    }
    let (box_w, box_h) = ((right + 1 - left) as f32, (bottom + 1 - top) as f32);
    if box_w >= NEARLY_WHOLE * w && box_h >= NEARLY_WHOLE * h {
        return None;
    }
    let boxed: Quad = [
        [left as f32, top as f32],
        [(right + 1) as f32, top as f32],
        [(right + 1) as f32, (bottom + 1) as f32],
        [left as f32, (bottom + 1) as f32],
    ];
    let total: u32 = kept.iter().map(|(_, region)| region.area).sum();
    let margins = Found {
        quad: boxed,
        kind: LocatedKind::ScanMargins,
        confidence: ground.uniformity,
        content: total as f32,
    };
    let Some(&(largest, region)) = kept.iter().max_by_key(|(_, region)| region.area) else {
        return Some(margins);
    };
    if (region.area as f32) < 0.95 * total as f32 {
        return Some(margins);
    }
    let Some(quad) = solid_quad(&labels, largest as u32 + 1, region) else {
        return Some(margins);
    };
    // A block square to the frame is the box itself; the box crops without resampling.
    if geometry::matches_box(&quad, &boxed, (width, height)) {
        return Some(margins);
    }
    Some(Found {
        quad,
        kind: LocatedKind::Quadrilateral,
        confidence: ground.uniformity * (region.area as f32 / geometry::area(&quad)).min(1.0),
        content: region.area as f32,
    })
}

/// The quadrilateral round region `label` if the region fills it like a card or a page.
fn solid_quad(
    labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>,
    label: u32,
    region: Region,
) -> Option<Quad> {
    // Each row's first and last pixel outline the region; the hull needs nothing else.
    let mut outline = Vec::new();
    for y in region.top..=region.bottom {
        let mut first = None;
        let mut last = None;
        for x in region.left..=region.right {
            if labels.get_pixel(x, y).0[0] == label {
                first = first.or(Some(x));
                last = Some(x);
            }
        }
        if let (Some(first), Some(last)) = (first, last) {
            let (y0, y1) = (y as i32, y as i32 + 1);
            let (x0, x1) = (first as i32, last as i32 + 1);
            outline.extend([
                Point::new(x0, y0),
                Point::new(x0, y1),
                Point::new(x1, y0),
                Point::new(x1, y1),
            ]);
        }
    }
    let quad = geometry::enclosing_quad(&outline)?;
    let fill = region.area as f32 / geometry::area(&quad).max(1.0);
    (fill >= SOLID && geometry::is_rectangular(&quad) && geometry::aspect(&quad) <= 3.0)
        .then_some(quad)
}

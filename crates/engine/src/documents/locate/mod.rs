//! Finding the document in a photo or scan, so that what is measured or read next looks at
//! the document and not at the desk or the scanner's bed around it. Classical geometry on a
//! small copy of the image, no model: a plain margin (a scanner's bed, a white or dark desk)
//! is told from the document by its colour; on anything busier the document's outline is
//! found among the edges as the largest quadrilateral with a document's proportions.

mod geometry;
mod quadrilateral;
mod rectify;
mod scan_margins;
#[cfg(all(test, feature = "synthetic"))]
mod tests;
mod text;

use image::RgbImage;

pub use rectify::{rectify, unrectify};
pub use text::{detect_on_document, detect_on_document_scaled};

/// Where the document is on the image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    /// Clockwise from the corner nearest the image's top-left, in the image's pixels
    /// (continuous coordinates: the image spans 0..width and 0..height).
    pub corners: [[f32; 2]; 4],
    pub kind: LocatedKind,
    /// 0 to 1: how clearly the outline or margin stood out; 0 for the whole frame.
    pub confidence: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocatedKind {
    /// A card or page edge found as a quadrilateral.
    Quadrilateral,
    /// The non-background region of a flat scan (white or uniform margins cropped).
    ScanMargins,
    /// Nothing found: the whole frame.
    WholeFrame,
}

impl Located {
    /// The area inside the corners, in square pixels of the image.
    pub fn area(&self) -> f32 {
        geometry::area(&self.corners)
    }

    fn whole_frame(width: u32, height: u32) -> Located {
        let (w, h) = (width as f32, height as f32);
        Located {
            corners: [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]],
            kind: LocatedKind::WholeFrame,
            confidence: 0.0,
        }
    }
}

/// The working copy's longest side, at most: a card's edge is still several pixels of clean
/// gradient at this size, and canny and contour-following on it cost milliseconds.
const WORKING_SIDE: u32 = 560;
/// Below this a frame has no room for a margin worth cropping (and canny needs 3 pixels).
const SMALLEST_SIDE: u32 = 24;

/// Finds the document on `image`; the whole frame when nothing stands out.
pub fn locate(image: &RgbImage) -> Located {
    let (width, height) = image.dimensions();
    let whole = Located::whole_frame(width, height);
    if width.min(height) < SMALLEST_SIDE {
        return whole;
    }
    let factor = width.max(height).div_ceil(WORKING_SIDE).max(1);
    let small = shrink(image, factor);
    if small.width().min(small.height()) < SMALLEST_SIDE {
        return whole;
    }
    let found = match scan_margins::find(&small) {
        Some(margins) if margins.kind == LocatedKind::ScanMargins => {
            Some(outline_within(&small, &margins).unwrap_or(margins))
        }
        Some(found) => Some(found),
        None => quadrilateral::find(&small),
    };
    let Some(found) = found else {
        return whole;
    };
    // A quadrilateral's corner may lie off the frame (a card's corner cut off by the photo's
    // edge); a margin's box may not, and its far sides take in the columns and rows the
    // shrinking left over.
    let (w, h) = (width as f32, height as f32);
    let (small_w, small_h) = (small.width() as f32, small.height() as f32);
    let k = factor as f32;
    let corners = found.quad.map(|[x, y]| {
        if found.kind == LocatedKind::Quadrilateral {
            [(x * k).clamp(-w, 2.0 * w), (y * k).clamp(-h, 2.0 * h)]
        } else {
            let far = |v: f32, small_side: f32, side: f32| {
                if v >= small_side {
                    side
                } else {
                    (v * k).clamp(0.0, side)
                }
            };
            [far(x, small_w, w), far(y, small_h, h)]
        }
    });
    Located {
        corners,
        kind: found.kind,
        confidence: found.confidence.clamp(0.0, 1.0),
    }
}

/// A document outline round what differs from the margin: a pale card on a white desk is
/// found by its edge and shadow where only its print differs from the desk, and a card on a
/// plain desk whose grain or shadow joins it is still a card. The outline must hold the
/// content's middle, take a good share of its box (not the portrait of a page), and be as
/// large as most of the content (not one card of a front-and-back scan).
fn outline_within(small: &RgbImage, margins: &Found) -> Option<Found> {
    let outline = quadrilateral::find(small)?;
    let [[left, top], _, [right, bottom], _] = margins.quad;
    let middle = ((left + right) / 2.0, (top + bottom) / 2.0);
    let area = geometry::area(&outline.quad);
    let holds = geometry::contains(&outline.quad, middle.0, middle.1);
    let large = area >= 0.35 * geometry::area(&margins.quad) && area >= 0.6 * margins.content;
    // An outline square to the frame is the box itself, which crops without resampling.
    (holds && large && !geometry::matches_box(&outline.quad, &margins.quad, small.dimensions()))
        .then_some(outline)
}

/// Each `factor` x `factor` block of `image` averaged into one pixel: a whole-number factor
/// keeps it one pass over the bytes (imageops' resampling takes longer than the locating).
fn shrink(image: &RgbImage, factor: u32) -> RgbImage {
    if factor <= 1 {
        return image.clone();
    }
    let (width, height) = image.dimensions();
    let (out_w, out_h) = (width / factor, height / factor);
    let mut sums = vec![0u32; (out_w * 3) as usize];
    let mut out = RgbImage::new(out_w, out_h);
    let raw = image.as_raw();
    let row_bytes = (width * 3) as usize;
    let block = factor * factor;
    for (out_y, out_row) in out.rows_mut().enumerate() {
        sums.iter_mut().for_each(|sum| *sum = 0);
        for dy in 0..factor as usize {
            let start = (out_y * factor as usize + dy) * row_bytes;
            let Some(row) = raw.get(start..start + (out_w * factor * 3) as usize) else {
                continue;
            };
            for (x, pixel) in row.chunks_exact(3).enumerate() {
                let at = x / factor as usize * 3;
                for (c, &value) in pixel.iter().enumerate() {
                    if let Some(sum) = sums.get_mut(at + c) {
                        *sum += u32::from(value);
                    }
                }
            }
        }
        for (x, pixel) in out_row.enumerate() {
            for (c, channel) in pixel.0.iter_mut().enumerate() {
                let sum = sums.get(x * 3 + c).copied().unwrap_or(0);
                *channel = (sum / block) as u8;
            }
        }
    }
    out
}

/// What a finder found, in the working copy's pixels.
struct Found {
    quad: geometry::Quad,
    kind: LocatedKind,
    confidence: f32,
    /// Working pixels that belong to the document by colour (margins) or by outline.
    content: f32,
}

//! Text detection on the document rather than on the whole photo. The detector's cost grows
//! with the pixels it sees (PP-OCRv4's: about 0.45 µs a pixel on one core, 470 ms for a
//! 938x1198 photo, 740 ms for a 2273x2273 one shrunk to 1280), and the desk, the scanner's
//! bed or the hand around a document hold no field. So the detector sees the located
//! document's bounding box with a margin; a document small in a large photo is then seen at
//! more of its own resolution, not less.

use image::{imageops, RgbImage};

use super::{Located, LocatedKind};
use crate::ocr::{OcrError, Quad, TextBox, TextReader};

/// Room kept around the located outline, as a share of its size: an outline found a little
/// inside the card's edge must not cut off the first characters of a line.
const MARGIN: f32 = 0.04;

/// The lines of text on the document `located` on `image`, in the image's pixels.
pub fn detect_on_document(
    reader: &TextReader,
    image: &RgbImage,
    located: &Located,
) -> Result<Vec<TextBox>, OcrError> {
    detect_on_document_scaled(reader, image, located, 1.0)
}

/// As [`detect_on_document`], the detector seeing the document shrunk by `scale` (at most 1):
/// for a document whose print is known to be large (see the visual zone's reading).
pub fn detect_on_document_scaled(
    reader: &TextReader,
    image: &RgbImage,
    located: &Located,
    scale: f32,
) -> Result<Vec<TextBox>, OcrError> {
    let Some((left, top, width, height)) = bounds(image, located) else {
        return reader.detect_rgb_scaled(image, scale);
    };
    let document = imageops::crop_imm(image, left, top, width, height).to_image();
    let (dx, dy) = (left as f32, top as f32);
    Ok(reader
        .detect_rgb_scaled(&document, scale)?
        .into_iter()
        .map(|text_box| TextBox {
            quad: Quad(text_box.quad.0.map(|[x, y]| [x + dx, y + dy])),
            score: text_box.score,
        })
        .collect())
}

/// The located outline's bounding box grown by [`MARGIN`], within the image; None when
/// nothing was located or the box is (nearly) the whole image anyway.
fn bounds(image: &RgbImage, located: &Located) -> Option<(u32, u32, u32, u32)> {
    if located.kind == LocatedKind::WholeFrame {
        return None;
    }
    let (image_width, image_height) = image.dimensions();
    let xs = located.corners.map(|[x, _]| x);
    let ys = located.corners.map(|[_, y]| y);
    let (min_x, max_x) = (
        xs.iter().copied().fold(f32::INFINITY, f32::min),
        xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    );
    let (min_y, max_y) = (
        ys.iter().copied().fold(f32::INFINITY, f32::min),
        ys.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    );
    let (grow_x, grow_y) = (MARGIN * (max_x - min_x), MARGIN * (max_y - min_y));
    let left = (min_x - grow_x).floor().max(0.0) as u32;
    let top = (min_y - grow_y).floor().max(0.0) as u32;
    let right = ((max_x + grow_x).ceil().max(0.0) as u32).min(image_width);
    let bottom = ((max_y + grow_y).ceil().max(0.0) as u32).min(image_height);
    let (width, height) = (right.saturating_sub(left), bottom.saturating_sub(top));
    let whole = u64::from(image_width) * u64::from(image_height);
    let kept = u64::from(width) * u64::from(height);
    // A box of nearly the whole image saves nothing; an empty one is no document.
    (width > 0 && height > 0 && kept * 10 < whole * 9).then_some((left, top, width, height))
}

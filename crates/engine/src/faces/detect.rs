//! YuNet (OpenCV Zoo, 2023mar): faces and five landmarks from one photo. The network sees the
//! photo scaled into a 640 x 640 square (padded below and right), and answers on three grids
//! (strides 8, 16, 32) with a class score, an objectness, a box and five points per cell.

use image::RgbImage;
use ndarray::{Array4, ArrayViewD, ShapeError};

/// The side of the square the network takes.
pub const INPUT_SIDE: u32 = 640;
const STRIDES: [usize; 3] = [8, 16, 32];

/// A point on the photo, in pixels.
pub type Point = [f32; 2];

/// A face found on a photo, in the photo's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// Left, top, width, height.
    pub bounds: [f32; 4],
    /// As the photo shows them: the eye on the left of the photo (the person's right eye),
    /// the other eye, the nose tip, the mouth corner on the left, the other mouth corner.
    pub landmarks: [Point; 5],
    /// sqrt(class score x objectness), 0..1.
    pub score: f32,
}

impl Face {
    pub fn area(&self) -> f32 {
        self.bounds[2].max(0.0) * self.bounds[3].max(0.0)
    }

    /// The distance between the eyes, the face's natural scale.
    pub fn eye_distance(&self) -> f32 {
        let [left, right, ..] = self.landmarks;
        (right[0] - left[0]).hypot(right[1] - left[1])
    }

    fn intersection_over_union(&self, other: &Face) -> f32 {
        let [ax, ay, aw, ah] = self.bounds;
        let [bx, by, bw, bh] = other.bounds;
        let width = ((ax + aw).min(bx + bw) - ax.max(bx)).max(0.0);
        let height = ((ay + ah).min(by + bh) - ay.max(by)).max(0.0);
        let overlap = width * height;
        let union = self.area() + other.area() - overlap;
        if union <= 0.0 {
            0.0
        } else {
            overlap / union
        }
    }
}

/// How candidate faces are filtered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectOptions {
    /// Candidates scoring below this are no face.
    pub score_threshold: f32,
    /// A candidate overlapping a better one by more than this is the same face.
    pub nms_threshold: f32,
}

impl Default for DetectOptions {
    fn default() -> Self {
        // OpenCV's defaults for YuNet are 0.9 and 0.3; 0.9 misses the small, printed and often
        // grey portraits of ID cards, which score 0.6-0.9 (measured on the tests' documents).
        Self {
            score_threshold: 0.6,
            nms_threshold: 0.3,
        }
    }
}

pub(super) struct Prepared {
    pub input: Array4<f32>,
    /// Network pixels per photo pixel.
    pub scale: f32,
}

/// The photo scaled to fit the square, as BGR planes of 0..255 (OpenCV's layout, which the
/// network was trained on), zero beyond the photo.
pub(super) fn prepare(image: &RgbImage) -> Result<Prepared, ShapeError> {
    let (width, height) = image.dimensions();
    let scale = INPUT_SIDE as f32 / width.max(height).max(1) as f32;
    let new_width = ((width as f32 * scale).round() as u32).clamp(1, INPUT_SIDE);
    let new_height = ((height as f32 * scale).round() as u32).clamp(1, INPUT_SIDE);
    // Shrinking a phone photo to a third with a triangle filter costs more than the network
    // itself; the thumbnail's box averaging is several times faster and as good for a detector.
    let resized = crate::resample::resampled(image, new_width, new_height);
    let side = INPUT_SIDE as usize;
    let plane = side * side;
    let mut data = vec![0.0_f32; 3 * plane];
    for (x, y, pixel) in resized.enumerate_pixels() {
        let at = y as usize * side + x as usize;
        let [r, g, b] = pixel.0;
        data[at] = f32::from(b);
        data[plane + at] = f32::from(g);
        data[2 * plane + at] = f32::from(r);
    }
    Ok(Prepared {
        input: Array4::from_shape_vec((1, 3, side, side), data)?,
        scale,
    })
}

/// The network's twelve outputs, grouped by stride.
pub(super) struct Grids<'a> {
    /// Per stride: class score, objectness (one per cell), box (four), landmarks (ten).
    pub levels: [[ArrayViewD<'a, f32>; 4]; 3],
}

/// The output names, stride by stride, in the order [`Grids`] takes them.
pub(super) fn output_names() -> [[String; 4]; 3] {
    STRIDES.map(|stride| ["cls", "obj", "bbox", "kps"].map(|kind| format!("{kind}_{stride}")))
}

fn clamp_unit(value: f32) -> f32 {
    value.clamp(0.0, 1.0)
}

/// Every cell scoring at least the threshold, as a face on the photo.
fn candidates(grids: &Grids<'_>, scale: f32, threshold: f32) -> Vec<Face> {
    let mut faces = Vec::new();
    let side = INPUT_SIDE as usize;
    for (level, stride) in grids.levels.iter().zip(STRIDES) {
        let [class, objectness, boxes, points] = level;
        let (Some(class), Some(objectness), Some(boxes), Some(points)) = (
            class.as_slice(),
            objectness.as_slice(),
            boxes.as_slice(),
            points.as_slice(),
        ) else {
            continue;
        };
        let columns = side / stride;
        let cells = columns * (side / stride);
        if class.len() < cells
            || objectness.len() < cells
            || boxes.len() < 4 * cells
            || points.len() < 10 * cells
        {
            continue;
        }
        let step = stride as f32;
        for cell in 0..cells {
            let score = (clamp_unit(class[cell]) * clamp_unit(objectness[cell])).sqrt();
            if score < threshold {
                continue;
            }
            let (row, column) = ((cell / columns) as f32, (cell % columns) as f32);
            let b = &boxes[4 * cell..4 * cell + 4];
            let centre_x = (column + b[0]) * step;
            let centre_y = (row + b[1]) * step;
            let width = b[2].exp() * step;
            let height = b[3].exp() * step;
            let p = &points[10 * cell..10 * cell + 10];
            let landmark = |n: usize| {
                [
                    (p[2 * n] + column) * step / scale,
                    (p[2 * n + 1] + row) * step / scale,
                ]
            };
            faces.push(Face {
                bounds: [
                    (centre_x - width / 2.0) / scale,
                    (centre_y - height / 2.0) / scale,
                    width / scale,
                    height / scale,
                ],
                landmarks: [
                    landmark(0),
                    landmark(1),
                    landmark(2),
                    landmark(3),
                    landmark(4),
                ],
                score,
            });
        }
    }
    faces
}

/// The faces on the photo, best first, each candidate overlapping a better one dropped.
pub(super) fn decode(grids: &Grids<'_>, scale: f32, options: &DetectOptions) -> Vec<Face> {
    let mut candidates = candidates(grids, scale, options.score_threshold);
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Face> = Vec::new();
    for face in candidates {
        if kept
            .iter()
            .all(|better| better.intersection_over_union(&face) <= options.nms_threshold)
        {
            kept.push(face);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayD;

    fn grid(stride: usize, channels: usize) -> ArrayD<f32> {
        let cells = (INPUT_SIDE as usize / stride).pow(2);
        ArrayD::zeros(vec![1, cells, channels])
    }

    fn set(array: &mut ArrayD<f32>, from: usize, values: &[f32]) {
        if let Some(slice) = array.as_slice_mut() {
            slice[from..from + values.len()].copy_from_slice(values);
        }
    }

    #[test]
    fn decodes_a_cell_into_a_face_on_the_photo_and_drops_overlaps() {
        let mut levels: Vec<[ArrayD<f32>; 4]> = STRIDES
            .iter()
            .map(|&s| [grid(s, 1), grid(s, 1), grid(s, 4), grid(s, 10)])
            .collect();
        // Stride 32, row 2, column 3: a face centred at (3.5, 2.5) cells, 2 cells wide.
        let columns = INPUT_SIDE as usize / 32;
        let cell = 2 * columns + 3;
        let two = 2f32.ln();
        let [class, objectness, boxes, _] = &mut levels[2];
        set(class, cell, &[0.81, 0.64]);
        set(objectness, cell, &[1.0, 1.0]);
        // The same face again, a little weaker, from the next cell: it overlaps the first.
        set(boxes, 4 * cell, &[0.5, 0.5, two, two, -0.5, 0.5, two, two]);
        let views: Vec<[ArrayViewD<'_, f32>; 4]> = levels
            .iter()
            .map(|[a, b, c, d]| [a.view(), b.view(), c.view(), d.view()])
            .collect();
        let [l0, l1, l2]: [[ArrayViewD<'_, f32>; 4]; 3] = match views.try_into() {
            Ok(levels) => levels,
            Err(_) => return,
        };
        let grids = Grids {
            levels: [l0, l1, l2],
        };
        // A photo twice the network's size: everything doubles.
        let faces = decode(&grids, 0.5, &DetectOptions::default());
        assert_eq!(faces.len(), 1, "{faces:?}");
        let face = &faces[0];
        assert!((face.score - 0.9).abs() < 1e-6);
        let expected = [(3.5 - 1.0) * 64.0, (2.5 - 1.0) * 64.0, 128.0, 128.0];
        for (got, want) in face.bounds.iter().zip(expected) {
            assert!((got - want).abs() < 1e-3, "{:?}", face.bounds);
        }
        assert_eq!(face.landmarks[0], [3.0 * 64.0, 2.0 * 64.0]);
    }
}

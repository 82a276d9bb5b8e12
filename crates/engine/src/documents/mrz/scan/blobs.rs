//! The ink on a photo as separate marks: a local threshold (the light may fall unevenly across
//! a page) and connected components, of which the MRZ's characters are a run of equal ones.

use image::{GrayImage, Luma};
use imageproc::contrast::adaptive_threshold;
use imageproc::region_labelling::{connected_components, Connectivity};

/// A pixel is ink when it is this many grey levels darker than its neighbourhood's mean: more
/// than a guilloche's shading or a sensor's noise, less than print on paper.
const INK_CONTRAST: i32 = 20;
/// The neighbourhood, as a share of the photo's longer side: a few characters across on a
/// document filling the photo, so that the mean is the paper's.
const BLOCK_SHARE: f32 = 1.0 / 60.0;
/// Marks smaller than this many pixels on their longer side are dust or noise; an MRZ that
/// small cannot be read anyway.
pub(super) const MIN_SIZE: u32 = 7;

/// One connected mark of ink.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Blob {
    pub label: u32,
    pub left: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub pixels: u32,
    /// The centroid.
    pub centre: [f32; 2],
}

impl Blob {
    /// The longer side of the bounding box, a rotation-tolerant measure of the mark's size.
    pub fn size(&self) -> f32 {
        (self.right - self.left + 1).max(self.bottom - self.top + 1) as f32
    }
}

/// The ink of `grey` labelled, and the marks that could be characters: not too small, not a
/// large part of the photo.
pub(super) fn blobs(grey: &GrayImage) -> (image::ImageBuffer<Luma<u32>, Vec<u32>>, Vec<Blob>) {
    let (width, height) = grey.dimensions();
    let radius = ((width.max(height) as f32 * BLOCK_SHARE) as u32).max(4);
    let paper = adaptive_threshold(grey, radius, INK_CONTRAST);
    // Ink is black (0) in the threshold's output; the paper is the background.
    let labels = connected_components(&paper, Connectivity::Eight, Luma([255u8]));
    let mut found: Vec<Option<Blob>> = Vec::new();
    let mut sums: Vec<[f64; 2]> = Vec::new();
    for (x, y, label) in labels.enumerate_pixels() {
        let label = label.0[0];
        if label == 0 {
            continue;
        }
        let index = label as usize;
        if found.len() <= index {
            found.resize(index + 1, None);
            sums.resize(index + 1, [0.0; 2]);
        }
        if let (Some(slot), Some(sum)) = (found.get_mut(index), sums.get_mut(index)) {
            let blob = slot.get_or_insert(Blob {
                label,
                left: x,
                top: y,
                right: x,
                bottom: y,
                pixels: 0,
                centre: [0.0; 2],
            });
            blob.left = blob.left.min(x);
            blob.right = blob.right.max(x);
            blob.top = blob.top.min(y);
            blob.bottom = blob.bottom.max(y);
            blob.pixels += 1;
            sum[0] += f64::from(x);
            sum[1] += f64::from(y);
        }
    }
    let max_size = width.min(height) / 8;
    let marks = found
        .into_iter()
        .zip(sums)
        .filter_map(|(blob, sum)| {
            let mut blob = blob?;
            let n = f64::from(blob.pixels.max(1));
            blob.centre = [(sum[0] / n) as f32, (sum[1] / n) as f32];
            let size = blob.size() as u32;
            (size >= MIN_SIZE && size <= max_size && blob.pixels >= MIN_SIZE * 2).then_some(blob)
        })
        .collect();
    (labels, marks)
}

//! SFace (OpenCV Zoo, 2021dec): a 128-number description of an aligned face, such that two
//! photos of one person lie close together (cosine) and photos of two people do not.

use image::RgbImage;
use ndarray::{Array4, ShapeError};

use super::align::ALIGNED_SIDE;

/// The length of an embedding.
pub const EMBEDDING_LENGTH: usize = 128;

/// An L2-normalised face embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(pub Vec<f32>);

impl Embedding {
    /// `raw` scaled to unit length; None for a zero or non-finite vector.
    pub fn normalised(raw: &[f32]) -> Option<Embedding> {
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        (norm.is_finite() && norm > f32::EPSILON)
            .then(|| Embedding(raw.iter().map(|v| v / norm).collect()))
    }

    /// Cosine similarity, -1..1; 0 for embeddings of different lengths.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        if self.0.len() != other.0.len() {
            return 0.0;
        }
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }
}

/// The aligned face as RGB planes of 0..255 (OpenCV swaps its BGR to RGB for this network).
pub(super) fn prepare(aligned: &RgbImage) -> Result<Array4<f32>, ShapeError> {
    let side = ALIGNED_SIDE as usize;
    let plane = side * side;
    let mut data = vec![0.0_f32; 3 * plane];
    for (x, y, pixel) in aligned.enumerate_pixels() {
        if x as usize >= side || y as usize >= side {
            continue;
        }
        let at = y as usize * side + x as usize;
        for (channel, value) in pixel.0.iter().enumerate() {
            data[channel * plane + at] = f32::from(*value);
        }
    }
    Array4::from_shape_vec((1, 3, side, side), data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_of_normalised_vectors() {
        let a = Embedding::normalised(&[3.0, 4.0]).unwrap_or(Embedding(vec![]));
        let b = Embedding::normalised(&[4.0, 3.0]).unwrap_or(Embedding(vec![]));
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert!((a.cosine(&b) - 0.96).abs() < 1e-6);
        assert_eq!(Embedding::normalised(&[0.0, 0.0]), None);
        assert_eq!(a.cosine(&Embedding(vec![1.0])), 0.0);
    }
}

//! Are two photos of one person? The largest face of each, embedded, compared by cosine.

use image::RgbImage;

use super::detect::Face;
use super::embed::Embedding;
use super::pose::yaw;
use super::{FaceEngine, FaceError};

/// Cosine at or above which two faces are taken for one person. OpenCV publishes 0.363 for
/// SFace; the benchmark (`cargo bench -p verifyd-engine --bench faces`) measures the error
/// rates at this value on every pair of the test photos (docs/performance.md, "Face matching").
pub const MATCH_THRESHOLD: f32 = 0.363;

/// Faces whose eyes are closer than this many pixels carry too little detail to compare.
pub const MIN_EYE_DISTANCE: f32 = 12.0;
/// A face turned further than this (yaw, see [`super::yaw`]: about 40 degrees) is no
/// portrait: its alignment on five points distorts it, and profiles of two people come out
/// alike (measured: a profile against three other people's faces, cosines 0.38-0.40).
pub const MAX_YAW: f32 = 0.32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Similarity {
    Match,
    NoMatch,
    /// No usable face on one side or both.
    NotPossible,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub similarity: Similarity,
    /// The cosine of the two embeddings, when both sides had a usable face.
    pub cosine: Option<f32>,
}

/// The face taking the most room, the one a portrait or selfie is of.
pub fn largest_face(faces: &[Face]) -> Option<&Face> {
    faces.iter().max_by(|a, b| a.area().total_cmp(&b.area()))
}

/// The embedding of the largest usable face on `image`, if any.
pub fn main_embedding(
    engine: &FaceEngine,
    image: &RgbImage,
) -> Result<Option<Embedding>, FaceError> {
    let faces = engine.detect(image)?;
    match largest_face(&faces) {
        Some(face) if face.eye_distance() >= MIN_EYE_DISTANCE && yaw(face).abs() <= MAX_YAW => {
            engine.embed(image, face)
        }
        _ => Ok(None),
    }
}

/// The decision for two embeddings.
pub fn decide(a: Option<&Embedding>, b: Option<&Embedding>) -> Comparison {
    match (a, b) {
        (Some(a), Some(b)) => {
            let cosine = a.cosine(b);
            Comparison {
                similarity: if cosine >= MATCH_THRESHOLD {
                    Similarity::Match
                } else {
                    Similarity::NoMatch
                },
                cosine: Some(cosine),
            }
        }
        _ => Comparison {
            similarity: Similarity::NotPossible,
            cosine: None,
        },
    }
}

/// Compares the person on `a` with the person on `b` (an ID's portrait, a selfie, ...).
pub fn compare(engine: &FaceEngine, a: &RgbImage, b: &RgbImage) -> Result<Comparison, FaceError> {
    let first = main_embedding(engine, a)?;
    let second = main_embedding(engine, b)?;
    Ok(decide(first.as_ref(), second.as_ref()))
}

//! Faces: find them (YuNet), align and describe them (SFace), compare two photos, and judge
//! whether a selfie or a capture sequence shows a live person. Pure functions over images;
//! the models are loaded once per process and shared by every thread.

mod align;
mod compare;
mod detect;
mod embed;
mod engine;
mod error;
pub mod liveness;
pub mod parallax;
#[cfg(test)]
mod photo_tests;
mod pose;
pub mod presentation;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;

pub use align::{align, similarity, ALIGNED_SIDE};
pub use compare::{
    compare, decide, largest_face, main_embedding, Comparison, Similarity, MATCH_THRESHOLD,
    MIN_EYE_DISTANCE,
};
pub use detect::{DetectOptions, Face, Point, INPUT_SIDE};
pub use embed::{Embedding, EMBEDDING_LENGTH};
pub use engine::{FaceEngine, FaceOptions, DETECTION_MODEL, EMBEDDING_MODEL, EMBEDDING_MODEL_ID};
pub use error::FaceError;
pub use pose::{pose, yaw, Pose};

//! Image quality for the "usability" capability: is a photo of an ID document (or a selfie)
//! good enough to be read? Measures come first ([`measure`]) and are judged against thresholds
//! afterwards ([`assess`]), so that a caller can log or tune on the figures without re-measuring.
//! Everything here is a pure function of the pixels; file-level checks live in `upload`.

mod measure;
mod verdict;

#[cfg(test)]
mod test_images;

pub use measure::{measure, QualityMeasures};
pub use verdict::{assess, QualityAssessment, QualityIssue, QualityThresholds};

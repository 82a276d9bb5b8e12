//! Evidence in the pixels that a document photo is not of the document itself.

mod screen;
#[cfg(test)]
mod screen_tests;

pub use screen::{screen_evidence, ScreenEvidence, SCREEN_THRESHOLD};

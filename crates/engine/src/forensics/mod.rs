//! Evidence in the pixels that a photo is not of the thing itself but of a reproduction of it: a
//! screen showing it, or a colour print of it. Documents (usability PHOTOCOPY, imageChecks
//! DIGITAL_COPY) and faces (liveness) are judged by the same measures.

mod halftone;
#[cfg(test)]
mod halftone_tests;
mod screen;
#[cfg(test)]
mod screen_tests;
mod spectrum;

pub use halftone::{halftone_evidence, HalftoneEvidence, HALFTONE_GRIDS};
pub use screen::{screen_evidence, ScreenEvidence, SCREEN_THRESHOLD};

/// What a photo shows in place of the document itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reproduction {
    /// A screen's pixel grid (DIGITAL_COPY).
    Screen,
    /// A colour copier's halftone dots (PHOTOCOPY).
    ColourCopy,
}

/// Whether `image` is a photo of a screen or of a colour copy rather than of the document.
/// Dots come first: a copy's dots can make strong colour frequencies as a screen's stripes do,
/// but in several directions.
pub fn reproduction(image: &image::RgbImage) -> Option<Reproduction> {
    if halftone_evidence(image).is_halftone() {
        Some(Reproduction::ColourCopy)
    } else if screen_evidence(image).is_screen() {
        Some(Reproduction::Screen)
    } else {
        None
    }
}

//! A photo of a screen (DIGITAL_COPY): a screen lights each pixel as red, green and blue
//! stripes, and a camera that photographs it samples that grid at its own pitch, so the photo
//! carries moire, colour fringes of one frequency across the whole picture. Paper has no such
//! grid: ink is neutral and its colour varies smoothly.
//!
//! The evidence is the strongest single frequency of the photo's colour (R-G and B-G), in a
//! few windows over the middle of the photo where the document is, measured against the
//! typical strength of frequencies as fine (the median of its ring in the spectrum), which a
//! natural picture's smooth spectrum keeps near a few units and a grid sends to hundreds.

use image::RgbImage;

use super::spectrum::{median_over, strongest, window_peaks, Signal};

/// A peak this many times its ring's median is a screen's grid. Measured on rendered
/// documents (`screen_tests`): photos of paper, clean or degraded, 4 to 29 (the highest from
/// a tinted guilloche, a faint colour pattern of its own); photos of screens from 1.1 to 2.3
/// camera pixels per screen pixel, 324 to 2408. The threshold sits between, nearer paper's
/// side by a factor of 5 and screens' by 2.
pub const SCREEN_THRESHOLD: f32 = 150.0;

/// How strongly a photo shows a screen's grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenEvidence {
    /// The strongest colour frequency against its ring's median, the median over windows.
    pub peak_ratio: f32,
}

impl ScreenEvidence {
    pub fn is_screen(&self) -> bool {
        self.peak_ratio >= SCREEN_THRESHOLD
    }
}

/// How strongly `image` shows a screen's grid, over five windows in its middle; a photo too
/// small for a window shows none.
pub fn screen_evidence(image: &RgbImage) -> ScreenEvidence {
    ScreenEvidence {
        peak_ratio: median_over(&window_peaks(image, Signal::Colour), strongest),
    }
}

//! A face shown to the camera on a screen or on paper instead of in person: the photo then
//! carries the screen's pixel grid (moire) or the printer's halftone dots, the same evidence
//! the document checks read (see [`crate::forensics`]). It is measured on the face and what is
//! around it, not the whole photo: a genuine selfie may have a monitor behind the person, and
//! an attacker's screen or print fills at least the face.

use image::RgbImage;

use super::detect::Face;
use crate::forensics::{halftone_evidence, screen_evidence, Reproduction};

/// The face box grown by this share of its size on every side: the region judged. The
/// spectrum's windows are 256 px; a face of 130 px or more gives a region that holds one.
const SURROUNDINGS: f32 = 0.5;

/// The screen measure from which the region around a face shows a screen. Lower than a
/// document's ([`crate::forensics::SCREEN_THRESHOLD`], 150: paper's tinted guilloches reach
/// 29) because skin, hair and clothes have a smoother colour spectrum than print. Measured by
/// the `presentation_attacks` benchmark: 33 real faces (the test photos), as taken and as a
/// phone delivers them, 4 to 11; the same faces shown on a simulated LCD and photographed, where
/// the face is still found, 35 to 82 at 1.6 and 2 camera pixels per screen pixel and 186 to 486
/// at 2.4. The threshold sits between, twice the faces' highest.
pub const FACE_SCREEN_THRESHOLD: f32 = 25.0;

/// What the region around a face shows of a reproduction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PresentationEvidence {
    /// The screen measure: the strongest colour frequency against its ring's median
    /// ([`FACE_SCREEN_THRESHOLD`] and above is a screen).
    pub screen_peak_ratio: f32,
    /// The print measure: square grids of one pitch in the brightness
    /// ([`crate::forensics::HALFTONE_GRIDS`] and above is a halftone print).
    pub halftone_grids: f32,
    /// None when neither measure reaches its threshold, or the region is too small to measure.
    pub reproduction: Option<Reproduction>,
}

/// The region of `image` around `face`, clamped to the image.
fn surroundings(image: &RgbImage, face: &Face) -> RgbImage {
    let [x, y, w, h] = face.bounds;
    let (grow_x, grow_y) = (w * SURROUNDINGS, h * SURROUNDINGS);
    let clamp = |value: f32, limit: u32| (value.max(0.0) as u32).min(limit);
    let left = clamp(x - grow_x, image.width());
    let top = clamp(y - grow_y, image.height());
    let right = clamp(x + w + grow_x, image.width());
    let bottom = clamp(y + h + grow_y, image.height());
    image::imageops::crop_imm(
        image,
        left,
        top,
        right.saturating_sub(left),
        bottom.saturating_sub(top),
    )
    .to_image()
}

/// Whether the face on `image` is shown on a screen or a print. Dots come first, as for
/// documents: a print's dots can make strong colour frequencies too, but in several directions.
pub fn presentation_evidence(image: &RgbImage, face: &Face) -> PresentationEvidence {
    let region = surroundings(image, face);
    let halftone = halftone_evidence(&region);
    let screen = screen_evidence(&region);
    let reproduction = if halftone.is_halftone() {
        Some(Reproduction::ColourCopy)
    } else if screen.peak_ratio >= FACE_SCREEN_THRESHOLD {
        Some(Reproduction::Screen)
    } else {
        None
    };
    PresentationEvidence {
        screen_peak_ratio: screen.peak_ratio,
        halftone_grids: halftone.grids,
        reproduction,
    }
}

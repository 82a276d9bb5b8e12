//! Rendered documents copied on a colour copier and photographed, against photos of the
//! documents themselves and of screens.

use super::{halftone_evidence, HalftoneEvidence, HALFTONE_GRIDS};
use crate::documents::mrz::photo_tests::font;
use crate::documents::mrz::MrzFormat;
use crate::documents::synthetic::{degrade, render, Degradation};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Pixels per millimetre of the renders: a card filling a 2000-pixel-wide photo, a passport
/// page 2500. A copier's 150 lines per inch are then 3.4 pixels apart.
const PIXELS_PER_MM: f32 = 20.0;

/// Per format: the halftone evidence after `degradations`.
fn measured(
    degradations: &[Degradation],
) -> Result<Vec<HalftoneEvidence>, Box<dyn std::error::Error>> {
    let mut found = Vec::new();
    for (index, format) in MrzFormat::ALL.into_iter().enumerate() {
        let document = render(font()?, format, 400 + index as u32, 2025, PIXELS_PER_MM);
        let mut image = document.image;
        for (step, degradation) in degradations.iter().enumerate() {
            image = degrade(&image, *degradation, 37 * index as u32 + step as u32)?;
        }
        found.push(halftone_evidence(&image));
    }
    eprintln!("HALFTONE {degradations:?}: {found:?}");
    Ok(found)
}

/// A copy as a phone photographs it: a little soft, a little noise, JPEG.
fn photographed_copy(cell: f32) -> Vec<Degradation> {
    vec![
        Degradation::ColourCopy(cell),
        Degradation::Blur(0.6),
        Degradation::Noise(4.0),
        Degradation::Jpeg(85),
    ]
}

#[test]
fn colour_copies_show_their_dots() -> TestResult {
    // Measured: 2 to 4 grids (3.4 and 6.0 pixels: 3 to 4; 4.2: 2 to 3).
    for cell in [3.4, 4.2, 6.0] {
        for evidence in measured(&photographed_copy(cell))? {
            assert!(evidence.is_halftone(), "{cell}: {evidence:?}");
        }
    }
    // Held in the hand, and the phone-photo damage on top (blur 1 pixel, JPEG 65), which
    // wears the dots down: measured 4 of 5 (grids 3, 1, 2, 3, 3).
    let mut handheld = vec![Degradation::ColourCopy(4.2)];
    handheld.extend(Degradation::PHONE_PHOTO);
    let found = measured(&handheld)?;
    let told = found
        .iter()
        .filter(|evidence| evidence.is_halftone())
        .count();
    assert!(told >= 4, "{found:?}");
    Ok(())
}

#[test]
fn photos_of_documents_and_of_screens_show_no_dots() -> TestResult {
    // Measured: paper 0 grids (its strongest frequencies 6 to 32 times their rings, mostly
    // under the floor of 20, and not at right angles); screens 1 grid, their pixel grid.
    for degradations in [
        vec![],
        vec![Degradation::Jpeg(60)],
        Degradation::PHONE_PHOTO.to_vec(),
        vec![Degradation::Screen(1.1)],
        vec![Degradation::Screen(1.7)],
        vec![Degradation::Screen(2.3)],
    ] {
        for evidence in measured(&degradations)? {
            assert!(
                evidence.grids < HALFTONE_GRIDS,
                "{degradations:?}: {evidence:?}"
            );
        }
    }
    Ok(())
}

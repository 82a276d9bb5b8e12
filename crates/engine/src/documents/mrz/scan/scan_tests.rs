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
/// How many of `count` documents (formats in turn, seeds from `seed`) are read exactly.
fn exact(
    degradations: &[Degradation],
    count: u32,
    seed: u32,
) -> Result<u32, Box<dyn std::error::Error>> {
    let mut right = 0;
    for index in 0..count {
        let format = MrzFormat::ALL[index as usize % MrzFormat::ALL.len()];
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
fn reads_every_format_exactly_from_clean_renders() -> TestResult {
    // Measured 20/20.
    assert_eq!(exact(&[], 20, 1000)?, 20);
    Ok(())
}

#[test]
fn reads_photos_taken_sideways_or_upside_down() -> TestResult {
    for turns in [1, 2, 3] {
        // Measured 10/10 each.
        assert!(exact(&[Degradation::QuarterTurns(turns)], 10, 2000)? >= 9);
    }
    Ok(())
}

#[test]
fn reads_rotated_and_slanted_photos() -> TestResult {
    // Measured 10/10 each.
    assert!(exact(&[Degradation::Rotate(7.0)], 10, 3000)? >= 9);
    assert!(exact(&[Degradation::Rotate(-11.0)], 10, 3100)? >= 9);
    assert!(exact(&[Degradation::Perspective(0.08)], 10, 3200)? >= 9);
    Ok(())
}

#[test]
fn reads_blurred_noisy_and_unevenly_lit_photos() -> TestResult {
    // Measured 10/10 each.
    assert!(exact(&[Degradation::Blur(1.5)], 10, 4000)? >= 9);
    assert!(exact(&[Degradation::Noise(12.0), Degradation::Jpeg(60)], 10, 4100)? >= 9);
    assert!(exact(&[Degradation::UnevenLight(0.5)], 10, 4200)? >= 9);
    assert!(exact(&Degradation::PHONE_PHOTO, 10, 4300)? >= 9);
    Ok(())
}

#[test]
fn reads_a_small_photo() -> TestResult {
    // A 1600-pixel render shrunk to 45%: capitals about 11 pixels high.
    assert!(exact(&[Degradation::Resize(0.45)], 10, 5000)? >= 9);
    Ok(())
}

#[test]
fn a_forged_check_digit_is_read_as_printed_and_fails() -> TestResult {
    use crate::documents::synthetic::render_altered;
    let document = render_altered(
        font()?,
        MrzFormat::Td3,
        6000,
        REFERENCE_YEAR,
        10.0,
        |text| {
            // The birth date's check digit, line 2 column 20.
            let mut bytes = text.clone().into_bytes();
            if let Some(digit) = bytes.get_mut(44 + 1 + 19) {
                *digit = if *digit == b'0' { b'1' } else { b'0' };
            }
            *text = String::from_utf8(bytes).unwrap_or_default();
        },
    );
    let expected: Vec<&str> = document.mrz.split('\n').collect();
    let reading = scan_mrz(
        &DynamicImage::ImageRgb8(document.image.clone()),
        REFERENCE_YEAR,
    )
    .ok_or("no MRZ found")?;
    assert_eq!(reading.mrz.lines, expected);
    assert!(!reading.mrz.checks.birth_date);
    assert!(reading.mrz.checks.document_number);
    // Confident enough that `read_mrz` keeps it, failing check and all, over the OCR's.
    assert!(
        reading.confidence >= crate::documents::mrz::read::MIN_GLYPH_CONFIDENCE,
        "{}",
        reading.confidence
    );
    Ok(())
}

#[test]
fn finds_no_mrz_where_there_is_none() -> TestResult {
    use crate::documents::synthetic::{licence_back, LicenceHolder};
    let blank = RgbImage::from_pixel(1200, 800, image::Rgb([245, 245, 240]));
    let noise = degrade(&blank, Degradation::Noise(60.0), 5)?;
    let tiny = RgbImage::from_pixel(1, 1, image::Rgb([0, 0, 0]));
    let empty = RgbImage::new(0, 0);
    let holder = LicenceHolder::sample();
    // A barcode and its text: rows of marks, but no MRZ.
    let licence = licence_back(&holder)?;
    for image in [blank, noise, tiny, empty, licence] {
        assert!(scan_mrz(&DynamicImage::ImageRgb8(image), REFERENCE_YEAR).is_none());
    }
    Ok(())
}

//! The glyph reader alone on rendered photos, clean and damaged: every line exactly as printed
//! (O and 0 included) on the rates asserted here. No model is involved, only the font the
//! documents are rendered with (scripts/setup-test-assets).

use image::{DynamicImage, RgbImage};

use super::scan_mrz;
use crate::documents::mrz::photo_tests::font;
use crate::documents::mrz::MrzFormat;
use crate::documents::mrz::MrzReading;
use crate::documents::synthetic::{degrade, render, Degradation, Specimen};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const REFERENCE_YEAR: u16 = 2025;

/// The glyph reader's reading of `document` photographed with `degradations` (their random
/// parts drawn from `index`).
fn scanned(
    document: &Specimen,
    degradations: &[Degradation],
    index: u32,
) -> Result<Option<MrzReading>, Box<dyn std::error::Error>> {
    let mut image: RgbImage = document.image.clone();
    for (step, degradation) in degradations.iter().enumerate() {
        image = degrade(&image, *degradation, 77 * index + step as u32)?;
    }
    Ok(scan_mrz(&DynamicImage::ImageRgb8(image), REFERENCE_YEAR))
}

/// How many of `count` documents (formats in turn, seeds from `seed`) are read exactly.
fn exact(
    degradations: &[Degradation],
    count: u32,
    seed: u32,
) -> Result<u32, Box<dyn std::error::Error>> {
    exact_of(degradations, count, |index| {
        let format = MrzFormat::ALL[index as usize % MrzFormat::ALL.len()];
        Ok(render(font()?, format, seed + index, REFERENCE_YEAR, 10.0))
    })
}

/// How many of the `count` documents `document` renders are read exactly after
/// `degradations`.
fn exact_of(
    degradations: &[Degradation],
    count: u32,
    document: impl Fn(u32) -> Result<Specimen, Box<dyn std::error::Error>>,
) -> Result<u32, Box<dyn std::error::Error>> {
    let mut right = 0;
    for index in 0..count {
        let document = document(index)?;
        let reading = scanned(&document, degradations, index)?;
        let expected: Vec<&str> = document.mrz.split('\n').collect();
        let ok = reading
            .as_ref()
            .is_some_and(|r| r.mrz.all_checks_pass() && r.mrz.lines == expected);
        right += u32::from(ok);
        if !ok {
            eprintln!(
                "document {index} after {degradations:?}:\n  expected {expected:?}\n  read     {:?}",
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

/// A visa whose optional data is a run of O and 0 (no check digit covers a visa's optional
/// data), a different mix for each seed.
fn visa_with_round_optional_data(seed: u32) -> Result<Specimen, Box<dyn std::error::Error>> {
    use crate::documents::synthetic::render_altered;
    let (format, line_length, optional) = if seed.is_multiple_of(2) {
        (MrzFormat::MrvA, 44, 28..44)
    } else {
        (MrzFormat::MrvB, 36, 28..36)
    };
    let mix = seed.wrapping_mul(2_654_435_761);
    Ok(render_altered(
        font()?,
        format,
        seed,
        REFERENCE_YEAR,
        10.0,
        |text| {
            let mut bytes = text.clone().into_bytes();
            for (bit, column) in optional.enumerate() {
                if let Some(cell) = bytes.get_mut(line_length + 1 + column) {
                    *cell = if (mix >> bit) & 1 == 0 { b'O' } else { b'0' };
                }
            }
            *text = String::from_utf8(bytes).unwrap_or_default();
        },
    ))
}

#[test]
fn tells_o_from_zero_where_no_check_digit_does() -> TestResult {
    // Measured 9/10 clean (one final O read as Q) and 10/10 as phone photos; by correlation
    // alone, without the heights, 2/10 clean.
    let visa = |seed: u32| move |index| visa_with_round_optional_data(seed + index);
    assert!(exact_of(&[], 10, visa(7000))? >= 9);
    assert!(exact_of(&Degradation::PHONE_PHOTO, 10, visa(7100))? >= 9);
    Ok(())
}

/// Where passports and visas place their MRZ's two lines: 12.63 mm and 6.35 mm above the
/// page's bottom edge.
const TWO_LINE_SPACING_MM: f32 = 12.63 - 6.35;

/// Passports and visas print their two lines 6.28 mm apart (2.47 pitches), further than a
/// TD1's 4.23 mm: such zones must be found, on a photo with room to spare and on a scan as
/// small as the real specimens' (a 44-character line at a 9-pixel pitch, 8-pixel capitals,
/// the fillers nearly touching).
#[test]
fn reads_two_line_zones_spaced_as_passports_print_them() -> TestResult {
    use crate::documents::synthetic::render_spaced;
    let formats = [MrzFormat::Td3, MrzFormat::MrvA, MrzFormat::MrvB];
    for pixels_per_mm in [10.0, 3.5] {
        let right = exact_of(&[], 9, |index| {
            let format = formats[index as usize % formats.len()];
            Ok(render_spaced(
                font()?,
                format,
                8000 + index,
                REFERENCE_YEAR,
                pixels_per_mm,
                TWO_LINE_SPACING_MM,
                |_| {},
            ))
        })?;
        // Measured 9/9 at both scales.
        assert!(right >= 8, "{right}/9 at {pixels_per_mm} px/mm");
    }
    Ok(())
}

/// TD1 cards scanned at 300 dpi or less: capitals 9 pixels high, blurred, whose marks take in
/// a pixel of half-dark around each stroke, so that measured from the marks the capitals seem
/// a tenth taller than they are (the cell is then sampled too large, and a 0 looks like an O
/// or a U). The pitch, between mark centres, fixes the capital height instead.
#[test]
fn reads_small_blurred_identity_cards() -> TestResult {
    let right = exact_of(&[Degradation::Blur(1.0)], 10, |index| {
        Ok(render(
            font()?,
            MrzFormat::Td1,
            9000 + index,
            REFERENCE_YEAR,
            3.8,
        ))
    })?;
    assert!(right >= 9, "{right}/10");
    Ok(())
}

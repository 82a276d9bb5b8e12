//! The MRZ read from rendered photos of documents, clean and damaged, with the real models.
//!
//! `read_mrz` as the server calls it: the glyph reader, and the OCR models where it finds no
//! MRZ whose check digits pass. Every set below was read entirely right when the glyph reader
//! joined (commit 6ce6e1f); the floors asserted leave room for one or two misses, which the
//! benchmark's larger set shows are mostly O against 0 where no check digit tells them apart.
//! Nothing here is skipped: without the models (scripts/fetch-models) or the OCR-B font
//! (scripts/setup-test-assets) these tests fail and say which script to run.

use std::path::Path;
use std::sync::OnceLock;

use image::{DynamicImage, RgbImage};

use super::{read_mrz, MrzFormat};
use crate::documents::synthetic::{degrade, render, Degradation, OcrB, Specimen};
use crate::ocr::{models_dir, ReaderOptions, TextReader};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const REFERENCE_YEAR: u16 = 2025;
/// Pixels per millimetre of the renders: a page filling most of a 1600-pixel photo.
const RESOLUTION: f32 = 10.0;

/// One reader for the whole test binary: loading the models takes longer than a reading.
pub(crate) fn reader() -> Result<&'static TextReader, String> {
    static READER: OnceLock<Result<TextReader, String>> = OnceLock::new();
    READER
        .get_or_init(|| {
            let dir = models_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
            let options = ReaderOptions {
                sessions: 2,
                ..ReaderOptions::default()
            };
            TextReader::load_with(&dir, options).map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

pub(crate) fn font() -> Result<&'static OcrB, String> {
    static FONT: OnceLock<Result<OcrB, String>> = OnceLock::new();
    FONT.get_or_init(|| OcrB::load().map_err(|error| error.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

fn specimen(format: MrzFormat, seed: u32) -> Result<Specimen, String> {
    Ok(render(font()?, format, seed, REFERENCE_YEAR, RESOLUTION))
}

/// How well an MRZ was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// None found, or check digits failing, or wrong characters.
    Wrong,
    /// Every check digit passes and the lines are the printed ones except for O read as 0
    /// (or 0 as O) where no check digit can tell: the recogniser does not separate OCR-B's
    /// two glyphs.
    ExactButOZero,
    Exact,
}

fn outcome(image: RgbImage, specimen: &Specimen) -> Result<Outcome, Box<dyn std::error::Error>> {
    let reading = read_mrz(reader()?, &DynamicImage::ImageRgb8(image), REFERENCE_YEAR)?;
    let expected: Vec<&str> = specimen.mrz.split('\n').collect();
    let Some(reading) = reading else {
        eprintln!("{:?}: no MRZ found", specimen.format);
        return Ok(Outcome::Wrong);
    };
    let o_zero = |line: &str| line.replace('O', "0");
    let result = if !reading.mrz.all_checks_pass() {
        Outcome::Wrong
    } else if reading.mrz.lines == expected {
        Outcome::Exact
    } else if reading
        .mrz
        .lines
        .iter()
        .map(|line| o_zero(line))
        .eq(expected.iter().map(|line| o_zero(line)))
    {
        Outcome::ExactButOZero
    } else {
        Outcome::Wrong
    };
    if result != Outcome::Exact {
        eprintln!(
            "{:?} {result:?}:\n  expected {:?}\n  read     {:?}\n  raw      {:?}",
            specimen.format,
            expected,
            reading.mrz.lines,
            reading
                .lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
        );
    }
    Ok(result)
}

/// Read with every check digit passing and the printed characters, O and 0 aside.
fn reads_right(image: RgbImage, specimen: &Specimen) -> Result<bool, Box<dyn std::error::Error>> {
    Ok(outcome(image, specimen)? >= Outcome::ExactButOZero)
}

/// How many of `count` documents (formats in turn) are read right after `degradations`:
/// (exactly, right but for O and 0).
fn rates(
    degradations: &[Degradation],
    count: u32,
) -> Result<(u32, u32), Box<dyn std::error::Error>> {
    let (mut exact, mut right) = (0, 0);
    for index in 0..count {
        let format = MrzFormat::ALL[index as usize % MrzFormat::ALL.len()];
        let document = specimen(format, 1000 + index)?;
        let mut image = document.image.clone();
        for (step, degradation) in degradations.iter().enumerate() {
            image = degrade(&image, *degradation, 77 * index + step as u32)?;
        }
        let result = outcome(image, &document)?;
        exact += u32::from(result == Outcome::Exact);
        right += u32::from(result >= Outcome::ExactButOZero);
        if result == Outcome::Wrong {
            eprintln!("  after {degradations:?}, seed {}", 1000 + index);
        }
    }
    eprintln!("RATE {degradations:?}: {exact}/{count} exact, {right}/{count} exact but for O/0");
    Ok((exact, right))
}

/// Every format, on most of a few documents (measured 3/3 each).
#[test]
fn reads_every_format_from_a_clean_render() -> TestResult {
    for format in MrzFormat::ALL {
        let mut right = 0;
        for seed in 1..=3 {
            let document = specimen(format, seed)?;
            right += u32::from(reads_right(document.image.clone(), &document)?);
        }
        eprintln!("RATE clean {format:?}: {right}/3");
        assert!(right >= 2, "{format:?}: {right}/3");
    }
    Ok(())
}

#[test]
fn reads_documents_turned_by_quarter_turns() -> TestResult {
    for turns in [1_u8, 2, 3] {
        let count = 5;
        let right = rates(&[Degradation::QuarterTurns(turns)], count)?.1;
        // Measured 5/5 for each of 1, 2 and 3 turns.
        assert!(right >= 4, "{turns} turns: {right}/{count}");
    }
    Ok(())
}

#[test]
fn finds_nothing_on_a_blank_page_noise_or_a_single_pixel() -> TestResult {
    let reader = reader()?;
    let blank = RgbImage::from_pixel(1200, 800, image::Rgb([245, 245, 240]));
    let noise = degrade(&blank, Degradation::Noise(60.0), 5)?;
    let tiny = RgbImage::from_pixel(1, 1, image::Rgb([0, 0, 0]));
    let empty = RgbImage::new(0, 0);
    for image in [blank, noise, tiny, empty] {
        let found = read_mrz(reader, &DynamicImage::ImageRgb8(image), REFERENCE_YEAR)?;
        assert!(found.is_none());
    }
    Ok(())
}

#[test]
fn missing_models_name_the_script_that_fetches_them() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-models");
    let message = TextReader::load(&missing)
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default();
    assert!(message.contains("scripts/fetch-models"), "{message}");
}

#[test]
fn reads_small_rotations() -> TestResult {
    let count = 10;
    let right = rates(&[Degradation::Rotate(7.0)], count)?.1
        + rates(&[Degradation::Rotate(-4.0)], count)?.1;
    // Measured 20/20.
    assert!(right >= 17, "{right}/{}", 2 * count);
    Ok(())
}

#[test]
fn reads_through_perspective() -> TestResult {
    let count = 10;
    let right = rates(&[Degradation::Perspective(0.08)], count)?.1;
    // Measured 10/10.
    assert!(right >= 8, "{right}/{count}");
    Ok(())
}

#[test]
fn reads_through_blur() -> TestResult {
    let count = 10;
    let right = rates(&[Degradation::Blur(1.5)], count)?.1;
    // Measured 10/10.
    assert!(right >= 8, "{right}/{count}");
    Ok(())
}

#[test]
fn reads_through_noise_and_jpeg() -> TestResult {
    let count = 10;
    let right = rates(&[Degradation::Noise(12.0), Degradation::Jpeg(60)], count)?.1;
    // Measured 10/10.
    assert!(right >= 8, "{right}/{count}");
    Ok(())
}

#[test]
fn reads_under_uneven_light() -> TestResult {
    let count = 10;
    let right = rates(&[Degradation::UnevenLight(0.5)], count)?.1;
    // Measured 10/10.
    assert!(right >= 8, "{right}/{count}");
    Ok(())
}

#[test]
fn reads_a_realistic_phone_photo() -> TestResult {
    let count = 10;
    let right = rates(&Degradation::PHONE_PHOTO, count)?.1;
    // Measured 10/10.
    assert!(right >= 8, "{right}/{count}");
    Ok(())
}

#[test]
fn reads_clean_renders_of_many_documents() -> TestResult {
    let count = 20;
    let right = rates(&[], count)?.1;
    // Measured 20/20.
    assert!(right >= 18, "{right}/{count}");
    Ok(())
}

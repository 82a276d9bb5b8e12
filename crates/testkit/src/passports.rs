//! Identity documents the engine renders (OCR-B MRZ at ICAO size), bearing the face of a real
//! photo where a test compares faces: the tests, the CLI tests and the pipeline benchmark need
//! the same passports.

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use image::RgbImage;
use verifyd_engine::documents::mrz::{self, Holder, Mrz, MrzFormat};
use verifyd_engine::documents::synthetic::{render, render_for, OcrB, Specimen};
use verifyd_engine::faces::synthetic::{paste_portrait, test_photo};
use verifyd_engine::faces::{largest_face, FaceEngine};

/// The year the documents are rendered for and read in.
const YEAR: u16 = 2026;

/// The seed of [`passport_bearing`]: the face tests and the web client's journeys were written
/// against the data it renders.
const PASSPORT_SEED: u32 = 3;

/// One engine per test binary: the models load once, not per composed image.
pub fn face_engine() -> Result<&'static FaceEngine> {
    static ENGINE: OnceLock<Result<FaceEngine, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
            FaceEngine::load(&verifyd_engine::ocr::models_dir(dir)).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|error| anyhow::anyhow!("{error}"))
}

/// The real photo of a person `name` (`scripts/fetch-test-photos`).
pub fn person(name: &str) -> Result<RgbImage> {
    test_photo(name).map_err(anyhow::Error::msg)
}

/// A rendered passport whose portrait is the face on `name`.
pub fn passport_bearing(name: &str) -> Result<Specimen> {
    passport_bearing_seeded(name, PASSPORT_SEED)
}

/// As [`passport_bearing`], rendered with `seed`: another holder's data around the same face.
pub fn passport_bearing_seeded(name: &str, seed: u32) -> Result<Specimen> {
    let person = person(name)?;
    let faces = face_engine()?.detect(&person)?;
    let face = largest_face(&faces).context("no face on the photo")?;
    let mut passport = render(&OcrB::load()?, MrzFormat::Td3, seed, YEAR, 10.0);
    paste_portrait(&mut passport.image, passport.portrait, &person, face);
    Ok(passport)
}

/// A rendered passport made out to `holder` (names and date of birth in both zones), whose
/// portrait is the face on `name`: the document of a listed person for screening. The first
/// seed from `seed` that renders a passport still valid in the test year, of a real state;
/// tests give each document a seed of its own, since one document number in two accounts is
/// refused as a duplicate.
pub fn passport_for(name: &str, holder: &Holder, seed: u32) -> Result<Specimen> {
    let person = person(name)?;
    let faces = face_engine()?.detect(&person)?;
    let face = largest_face(&faces).context("no face on the photo")?;
    let font = OcrB::load()?;
    for seed in seed..seed + 200 {
        let mut passport = render_for(&font, MrzFormat::Td3, seed, YEAR, 10.0, holder);
        let read = mrz::parse(&passport.mrz, YEAR)?;
        // Of a state whose passports are accepted (a specimen state, XXX or a British
        // dependent territory is not).
        let valid = read.expiry_date.is_some_and(|date| date.year > YEAR)
            && ["D", "FRA", "NLD", "GBR", "USA"].contains(&read.issuing_state.as_str());
        if valid {
            paste_portrait(&mut passport.image, passport.portrait, &person, face);
            return Ok(passport);
        }
    }
    anyhow::bail!("no valid passport rendered from seed {seed}")
}

/// The first rendered document of `format` whose MRZ satisfies `wanted`: the generator's seeds
/// pick states and dates at random, the test picks what it needs among them.
pub fn rendered(format: MrzFormat, wanted: impl Fn(&Mrz) -> bool) -> Result<(Specimen, Mrz)> {
    let font = OcrB::load()?;
    for seed in 1..400 {
        let specimen = render(&font, format, seed, YEAR, 10.0);
        let read = mrz::parse(&specimen.mrz, YEAR)?;
        if wanted(&read) {
            return Ok((specimen, read));
        }
    }
    anyhow::bail!("no rendered {format:?} document is as wanted")
}

//! `glyphs.bin` is made from the OCR-B font here, and must stay what the font gives: run with
//! `VERIFYD_WRITE_GLYPHS=1` to write it again after changing the templates' geometry.

use super::glyphs::{ALPHABET, CAP_SPAN, HEIGHT, WIDTH};
use crate::documents::mrz::photo_tests::font;

/// Each template pixel is the mean of this many rendered pixels squared.
const SUPERSAMPLE: usize = 8;

fn templates() -> Result<Vec<u8>, String> {
    let font = font()?;
    let (width, height) = (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE);
    let cap_height = height as f32 / CAP_SPAN;
    let baseline = (height as f32 + cap_height) / 2.0;
    let mut bytes = Vec::with_capacity(ALPHABET.len() * WIDTH * HEIGHT);
    for &character in ALPHABET {
        let fine = font.coverage(
            char::from(character),
            cap_height,
            (width as u32, height as u32),
            baseline,
        );
        for row in 0..HEIGHT {
            for column in 0..WIDTH {
                let mut sum = 0.0;
                for y in row * SUPERSAMPLE..(row + 1) * SUPERSAMPLE {
                    for x in column * SUPERSAMPLE..(column + 1) * SUPERSAMPLE {
                        sum += fine.get(y * width + x).copied().unwrap_or(0.0);
                    }
                }
                let mean = sum / (SUPERSAMPLE * SUPERSAMPLE) as f32;
                bytes.push((mean * 255.0).round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    Ok(bytes)
}

#[test]
fn glyph_templates_are_the_fonts() -> Result<(), String> {
    let made = templates()?;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/documents/mrz/scan/glyphs.bin");
    if std::env::var_os("VERIFYD_WRITE_GLYPHS").is_some() {
        std::fs::write(&path, &made).map_err(|e| e.to_string())?;
    }
    let committed = std::fs::read(&path).map_err(|e| e.to_string())?;
    assert_eq!(committed.len(), made.len(), "template file size");
    let worst = committed
        .iter()
        .zip(&made)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap_or(0);
    assert!(
        worst <= 2,
        "glyphs.bin differs from the font by {worst} grey levels: VERIFYD_WRITE_GLYPHS=1"
    );
    Ok(())
}

#[test]
fn every_character_is_told_from_the_others_on_its_own_template() {
    let glyphs = super::glyphs::Glyphs::load();
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/documents/mrz/scan/glyphs.bin"),
    )
    .unwrap_or_default();
    use super::glyphs::{PATCH_HEIGHT, PATCH_WIDTH, SHIFT};
    for (index, &character) in ALPHABET.iter().enumerate() {
        let mut patch = vec![0.0f32; PATCH_WIDTH * PATCH_HEIGHT];
        for row in 0..HEIGHT {
            for column in 0..WIDTH {
                let value = bytes
                    .get(index * WIDTH * HEIGHT + row * WIDTH + column)
                    .copied()
                    .unwrap_or(0);
                if let Some(cell) = patch.get_mut((row + SHIFT) * PATCH_WIDTH + column + SHIFT) {
                    *cell = f32::from(value);
                }
            }
        }
        let found = glyphs.classify(&patch).map(|m| m.character);
        assert_eq!(
            found,
            Some(character),
            "template of {}",
            char::from(character)
        );
    }
}

//! `glyphs.bin` is made from the OCR-B font here, and must stay what the font gives: run with
//! `VERIFYD_WRITE_GLYPHS=1` to write it again after changing the templates' geometry.

use super::glyphs::{Glyphs, Resolution, ALPHABET, CAP_SPAN, COARSE};
use crate::documents::mrz::photo_tests::font;

/// Each template pixel is the mean of this many rendered pixels squared.
const SUPERSAMPLE: usize = 8;

fn templates(resolution: Resolution) -> Result<Vec<u8>, String> {
    let font = font()?;
    let (template_width, template_height) = (resolution.width, resolution.height);
    let (width, height) = (template_width * SUPERSAMPLE, template_height * SUPERSAMPLE);
    let cap_height = height as f32 / CAP_SPAN;
    let baseline = (height as f32 + cap_height) / 2.0;
    let mut bytes = Vec::with_capacity(ALPHABET.len() * template_width * template_height);
    for &character in ALPHABET {
        let fine = font.coverage(
            char::from(character),
            cap_height,
            (width as u32, height as u32),
            baseline,
        );
        for row in 0..template_height {
            for column in 0..template_width {
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

fn committed(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/documents/mrz/scan")
        .join(file)
}

const FILE: &str = "glyphs.bin";

#[test]
fn glyph_templates_are_the_fonts() -> Result<(), String> {
    let made = templates(COARSE)?;
    let path = committed(FILE);
    if std::env::var_os("VERIFYD_WRITE_GLYPHS").is_some() {
        std::fs::write(&path, &made).map_err(|e| e.to_string())?;
    }
    let committed = std::fs::read(&path).map_err(|e| e.to_string())?;
    assert_eq!(committed.len(), made.len(), "{FILE} size");
    let worst = committed
        .iter()
        .zip(&made)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap_or(0);
    assert!(
        worst <= 2,
        "{FILE} differs from the font by {worst} grey levels: VERIFYD_WRITE_GLYPHS=1"
    );
    Ok(())
}

#[test]
fn every_character_is_told_from_the_others_on_its_own_template() -> Result<(), String> {
    let glyphs = Glyphs::coarse();
    let r = glyphs.resolution();
    let bytes = std::fs::read(committed(FILE)).map_err(|e| e.to_string())?;
    for (index, &character) in ALPHABET.iter().enumerate() {
        let mut patch = vec![0.0f32; r.patch_width() * r.patch_height()];
        for row in 0..r.height {
            for column in 0..r.width {
                let value = bytes
                    .get(index * r.width * r.height + row * r.width + column)
                    .copied()
                    .unwrap_or(0);
                if let Some(cell) =
                    patch.get_mut((row + r.shift) * r.patch_width() + column + r.shift)
                {
                    *cell = f32::from(value);
                }
            }
        }
        let found = glyphs.classify(&patch).map(|m| m.character);
        assert_eq!(found, Some(character), "{}", char::from(character));
    }
    Ok(())
}

//! OCR-B, the MRZ's typeface (ICAO 9303 part 3), sized by the millimetre.

use ab_glyph::{Font, FontVec, PxScale};

use super::SyntheticError;

/// Where Debian's fonts-ocr-b installs it.
pub const OCR_B_PATH: &str = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

/// The font, with what it takes to print characters at a given height.
pub struct OcrB {
    pub(super) font: FontVec,
    /// The height of a capital, in pixels, per pixel of `PxScale`.
    cap_height_per_scale: f32,
}

/// The scale at which capitals are measured; any large value will do.
const MEASURE_SCALE: f32 = 100.0;

impl OcrB {
    pub fn load() -> Result<OcrB, SyntheticError> {
        let error = |message: String| SyntheticError::Font {
            path: OCR_B_PATH.to_owned(),
            message,
        };
        let bytes = std::fs::read(OCR_B_PATH).map_err(|e| error(e.to_string()))?;
        let font = FontVec::try_from_vec(bytes).map_err(|e| error(e.to_string()))?;
        let glyph = font.glyph_id('H').with_scale(MEASURE_SCALE);
        let cap_height = font
            .outline_glyph(glyph)
            .map(|outlined| outlined.px_bounds().height())
            .filter(|height| *height > 0.0)
            .ok_or_else(|| error("the font has no outline for 'H'".to_owned()))?;
        Ok(OcrB {
            font,
            cap_height_per_scale: cap_height / MEASURE_SCALE,
        })
    }

    /// The scale that prints capitals `cap_height` pixels high.
    pub fn scale_for_cap_height(&self, cap_height: f32) -> PxScale {
        PxScale::from(cap_height / self.cap_height_per_scale)
    }
}

impl OcrB {
    /// `character`'s ink coverage (0 to 1) on a `width` x `height` cell, row by row: capitals
    /// `cap_height` high on a baseline `baseline` from the top, the glyph centred on its advance
    /// as ICAO centres each character in its pitch. The MRZ reader's glyph templates are these
    /// (see `mrz::scan`).
    pub fn coverage(
        &self,
        character: char,
        cap_height: f32,
        (width, height): (u32, u32),
        baseline: f32,
    ) -> Vec<f32> {
        use ab_glyph::ScaleFont;
        let scale = self.scale_for_cap_height(cap_height);
        let scaled = self.font.as_scaled(scale);
        let id = self.font.glyph_id(character);
        let left = (width as f32 - scaled.h_advance(id)) / 2.0;
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(left, baseline));
        let mut canvas = vec![0.0; (width * height) as usize];
        if let Some(outlined) = self.font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|x, y, coverage| {
                let px = bounds.min.x as i64 + i64::from(x);
                let py = bounds.min.y as i64 + i64::from(y);
                if (0..i64::from(width)).contains(&px) && (0..i64::from(height)).contains(&py) {
                    if let Some(cell) = canvas.get_mut((py * i64::from(width) + px) as usize) {
                        *cell = coverage.min(1.0);
                    }
                }
            });
        }
        canvas
    }
}

//! The 37 characters of the MRZ as OCR-B prints them, and which of them a patch of the photo
//! shows.
//!
//! OCR-B was drawn so that machines tell its characters apart by their shapes, and ICAO
//! fixes its size and pitch; a patch cut out of the photo at a character's cell, scaled to
//! the templates' size, is compared with each template by normalised cross-correlation, which
//! ignores the ink's darkness and the light. The templates are the font's own glyphs
//! (`glyphs.bin`, made from Debian's fonts-ocr-b by `template_tests`, which also checks that
//! the file still matches the font).

/// The characters, in the order of the templates in `glyphs.bin`.
pub(super) const ALPHABET: &[u8; 37] = b"0123456789<ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// A template's size: one character pitch across, [`CAP_SPAN`] capital heights down.
pub(super) const WIDTH: usize = 16;
pub(super) const HEIGHT: usize = 22;
/// How many capital heights a template spans, centred on the capitals' middle: room for the
/// few glyphs that reach beyond a capital (the filler sits low, Q's tail) and for misplacement.
pub(super) const CAP_SPAN: f32 = 1.45;
/// How far, in template pixels, a patch is moved to find where the glyph sits best.
pub(super) const SHIFT: usize = 2;
/// A patch is sampled with this margin around the template's size, for the shifts.
pub(super) const PATCH_WIDTH: usize = WIDTH + 2 * SHIFT;
pub(super) const PATCH_HEIGHT: usize = HEIGHT + 2 * SHIFT;

const TEMPLATE_BYTES: &[u8] = include_bytes!("glyphs.bin");

/// One template as a zero-mean vector of unit length, so that a dot product with a normalised
/// window is its correlation.
struct Template {
    character: u8,
    weights: Vec<f32>,
}

/// The templates, ready to compare.
pub(super) struct Glyphs {
    templates: Vec<Template>,
}

/// What a cell shows: the best character, how well it matches (correlation, -1 to 1) and the
/// runner-up, whose closeness says how sure the reading is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Match {
    pub character: u8,
    pub score: f32,
    pub second: u8,
    pub second_score: f32,
}

/// `values` made zero-mean and of unit length; `None` for a flat patch, which shows nothing.
fn normalised(values: &mut [f32]) -> Option<()> {
    let mean = values.iter().sum::<f32>() / values.len().max(1) as f32;
    let mut energy = 0.0;
    for value in values.iter_mut() {
        *value -= mean;
        energy += *value * *value;
    }
    if energy <= f32::EPSILON {
        return None;
    }
    let norm = energy.sqrt();
    values.iter_mut().for_each(|value| *value /= norm);
    Some(())
}

impl Glyphs {
    pub(super) fn load() -> Glyphs {
        let size = WIDTH * HEIGHT;
        let templates = ALPHABET
            .iter()
            .zip(TEMPLATE_BYTES.chunks_exact(size))
            .filter_map(|(&character, bytes)| {
                let mut weights: Vec<f32> = bytes.iter().map(|&b| f32::from(b)).collect();
                normalised(&mut weights).map(|()| Template { character, weights })
            })
            .collect();
        Glyphs { templates }
    }

    /// The character `patch` shows: `patch` is [`PATCH_WIDTH`] x [`PATCH_HEIGHT`] ink values
    /// (dark is high), row by row, centred on the cell. `None` for a patch with no contrast.
    pub(super) fn classify(&self, patch: &[f32]) -> Option<Match> {
        let mut best: Option<Match> = None;
        let mut window = vec![0.0f32; WIDTH * HEIGHT];
        for dy in 0..=2 * SHIFT {
            for dx in 0..=2 * SHIFT {
                for (row, chunk) in window.chunks_exact_mut(WIDTH).enumerate() {
                    let start = (row + dy) * PATCH_WIDTH + dx;
                    let source = patch.get(start..start + WIDTH)?;
                    chunk.copy_from_slice(source);
                }
                if normalised(&mut window).is_none() {
                    continue;
                }
                for template in &self.templates {
                    let score: f32 = template
                        .weights
                        .iter()
                        .zip(&window)
                        .map(|(t, w)| t * w)
                        .sum();
                    best = Some(rank(best, template.character, score));
                }
            }
        }
        best
    }
}

/// `best` with `character` at `score` taken into account: the runner-up is always another
/// character than the best.
fn rank(best: Option<Match>, character: u8, score: f32) -> Match {
    let Some(mut m) = best else {
        return Match {
            character,
            score,
            second: b'<',
            second_score: -1.0,
        };
    };
    if character == m.character {
        m.score = m.score.max(score);
    } else if score > m.score {
        m.second = m.character;
        m.second_score = m.score;
        m.character = character;
        m.score = score;
    } else if character == m.second {
        m.second_score = m.second_score.max(score);
    } else if score > m.second_score {
        m.second = character;
        m.second_score = score;
    }
    m
}

//! The 37 characters of the MRZ as OCR-B prints them, and which of them a patch of the photo
//! shows.
//!
//! OCR-B was drawn so that machines tell its characters apart by their shapes, and ICAO
//! fixes its size and pitch; a patch cut out of the photo at a character's cell, scaled to
//! the templates' size, is compared with each template by normalised cross-correlation, which
//! ignores the ink's darkness and the light. The templates are the font's own glyphs
//! (`glyphs.bin`, made from Debian's fonts-ocr-b by `template_tests`, which also checks that
//! the file still matches the font).

/// The characters, in the order of the templates in the files.
pub(super) const ALPHABET: &[u8; 37] = b"0123456789<ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// How many capital heights a template spans, centred on the capitals' middle: room for the
/// few glyphs that reach beyond a capital (the filler sits low, Q's tail) and for misplacement.
pub(super) const CAP_SPAN: f32 = 1.45;

/// A template's size, one character pitch across and [`CAP_SPAN`] capital heights down, and how
/// far (in its pixels) a patch is moved to find where the glyph sits best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Resolution {
    pub width: usize,
    pub height: usize,
    pub shift: usize,
}

impl Resolution {
    /// A patch is sampled with a margin of `shift` around the template's size.
    pub fn patch_width(self) -> usize {
        self.width + 2 * self.shift
    }
    pub fn patch_height(self) -> usize {
        self.height + 2 * self.shift
    }
}

/// The size every cell is read at.
pub(super) const COARSE: Resolution = Resolution {
    width: 16,
    height: 22,
    shift: 2,
};
const COARSE_BYTES: &[u8] = include_bytes!("glyphs.bin");

/// One template as a zero-mean vector of unit length, so that a dot product with a normalised
/// window is its correlation.
struct Template {
    character: u8,
    weights: Vec<f32>,
}

/// The templates of one resolution, ready to compare.
pub(super) struct Glyphs {
    resolution: Resolution,
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
    pub(super) fn coarse() -> Glyphs {
        Glyphs::load(COARSE, COARSE_BYTES)
    }

    pub(super) fn resolution(&self) -> Resolution {
        self.resolution
    }

    fn load(resolution: Resolution, bytes: &[u8]) -> Glyphs {
        let size = resolution.width * resolution.height;
        let templates = ALPHABET
            .iter()
            .zip(bytes.chunks_exact(size.max(1)))
            .filter_map(|(&character, bytes)| {
                let mut weights: Vec<f32> = bytes.iter().map(|&b| f32::from(b)).collect();
                normalised(&mut weights).map(|()| Template { character, weights })
            })
            .collect();
        Glyphs {
            resolution,
            templates,
        }
    }

    /// The character `patch` shows: `patch` is the resolution's patch size in ink values
    /// (dark is high), row by row, centred on the cell. `None` for a patch with no contrast.
    ///
    /// Coarse to fine: every template at every other shift, then the few best templates at
    /// every shift around their best one: a third of the correlations of trying every shift
    /// of every template, and the glyph reader's tests read the same with either.
    pub(super) fn classify(&self, patch: &[f32]) -> Option<Match> {
        let r = self.resolution;
        let side = 2 * r.shift + 1;
        let mut windows: Vec<Option<Option<Vec<f32>>>> = vec![None; side * side];
        let mut window_at = |dx: usize, dy: usize| -> Option<Vec<f32>> {
            let slot = windows.get_mut(dy * side + dx)?;
            slot.get_or_insert_with(|| window(patch, r, dx, dy)).clone()
        };
        let mut coarse: Vec<(f32, usize, (usize, usize))> =
            vec![(f32::MIN, 0, (r.shift, r.shift)); self.templates.len()];
        for dy in (0..side).step_by(2) {
            for dx in (0..side).step_by(2) {
                let Some(window) = window_at(dx, dy) else {
                    continue;
                };
                for (index, template) in self.templates.iter().enumerate() {
                    let score = correlation(&template.weights, &window);
                    if let Some(entry) = coarse.get_mut(index) {
                        if score > entry.0 {
                            *entry = (score, index, (dx, dy));
                        }
                    }
                }
            }
        }
        coarse.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut best: Option<Match> = None;
        for (rank_index, &(coarse_score, index, (cx, cy))) in coarse.iter().enumerate() {
            let Some(template) = self.templates.get(index) else {
                continue;
            };
            if coarse_score == f32::MIN {
                continue;
            }
            let mut score = coarse_score;
            if rank_index < REFINED {
                for dy in cy.saturating_sub(1)..=(cy + 1).min(side - 1) {
                    for dx in cx.saturating_sub(1)..=(cx + 1).min(side - 1) {
                        if let Some(window) = window_at(dx, dy) {
                            score = score.max(correlation(&template.weights, &window));
                        }
                    }
                }
            }
            best = Some(rank(best, template.character, score));
        }
        best
    }
}

/// How many of the best templates at the coarse shifts are tried at every shift.
const REFINED: usize = 4;

fn correlation(template: &[f32], window: &[f32]) -> f32 {
    template.iter().zip(window).map(|(t, w)| t * w).sum()
}

/// The template-sized window of `patch` at shift (`dx`, `dy`), normalised; `None` when flat.
fn window(patch: &[f32], r: Resolution, dx: usize, dy: usize) -> Option<Vec<f32>> {
    let mut window = vec![0.0f32; r.width * r.height];
    for (row, chunk) in window.chunks_exact_mut(r.width.max(1)).enumerate() {
        let start = (row + dy) * r.patch_width() + dx;
        chunk.copy_from_slice(patch.get(start..start + r.width)?);
    }
    normalised(&mut window).map(|()| window)
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

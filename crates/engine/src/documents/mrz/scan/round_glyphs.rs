//! O or 0: OCR-B draws them alike (the same width, the same ring), and at the size a photo
//! leaves them their shapes correlate almost equally with both templates. What does tell them
//! apart is height: OCR-B's digits stand taller than its capitals (in the font's units the
//! zero is 159 high, the O 147). The MRZ itself shows how tall each is on this photo, at this
//! blur: an O or 0 in a date or a check digit is a zero, one in a name or a country code an O.
//! A cell whose field allows both (document numbers, optional data) is compared with those
//! exemplars, after the line's drift in height along it is taken out.
//!
//! This matters where no check digit and no field type can settle it: the optional data of
//! visas, and alphanumeric document numbers with several readings that pass.

use super::super::layout::{Cell, Class, Layout, MrzFormat};
use super::super::report::Field;
use super::glyphs::Resolution;

/// The font's heights (units of OCR-B at 200 px) of the zero and the O: where a zone shows
/// exemplars of only one, the other is expected at this ratio.
const ZERO: f32 = 159.0;
const LETTER_O: f32 = 147.0;
/// Heights this share of the gap between the zero's and the O's, either side of halfway,
/// leave the cell as the templates read it.
const UNDECIDED: f32 = 0.15;
/// A cell counts as a reference for the line's drift only when it matched its template at
/// least this well.
const MIN_REFERENCE_SCORE: f32 = 0.7;

/// The height of the ink in `patch` (a cell as [`super::sample::patch`] cuts it, ink high),
/// in patch rows: between the first and last rows whose darkest pixel reaches half the way
/// from the faintest row's to the darkest row's (a row's darkest pixel, not its sum: a bar
/// across the glyph would otherwise outweigh its stems), interpolated between rows. `None`
/// for a flat patch.
pub(super) fn ink_height(patch: &[f32], resolution: Resolution) -> Option<f32> {
    let width = resolution.patch_width();
    let (from, to) = (resolution.shift, resolution.shift + resolution.width);
    let profile: Vec<f32> = patch
        .chunks_exact(width.max(1))
        .map(|row| {
            row.get(from..to).map_or(0.0, |cells| {
                cells.iter().copied().fold(f32::NEG_INFINITY, f32::max)
            })
        })
        .collect();
    let low = profile.iter().copied().fold(f32::INFINITY, f32::min);
    let high = profile.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !high.is_finite() || high - low <= f32::EPSILON {
        return None;
    }
    let half = (low + high) / 2.0;
    let first = profile.iter().position(|&value| value >= half)?;
    let last = profile.iter().rposition(|&value| value >= half)?;
    // Where the profile crosses `half` between row `outside` and row `inside`.
    let crossing = |outside: usize, inside: usize| -> f32 {
        let (a, b) = (
            profile.get(outside).copied().unwrap_or(low),
            profile.get(inside).copied().unwrap_or(high),
        );
        let t = if b - a > f32::EPSILON {
            (b - half) / (b - a)
        } else {
            0.0
        };
        inside as f32 + t * (outside as f32 - inside as f32)
    };
    let top = if first == 0 {
        0.0
    } else {
        crossing(first - 1, first)
    };
    let bottom = crossing(last + 1, last);
    Some(bottom - top)
}

/// What an O or 0 cell's field tells of it: a zero where digits are due, an O where letters
/// are, nothing where either may stand.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holds {
    Digits,
    Letters,
    Either,
}

/// What the field at `cell` holds, from `fixed` ([`Layout::fixed_cells`]).
fn holds(fixed: &[(Cell, Class, Field)], cell: Cell) -> Holds {
    match fixed.iter().find(|(c, _, _)| *c == cell) {
        Some((_, Class::Digits | Class::CheckDigit, _)) => Holds::Digits,
        Some((_, Class::Letters | Class::Sex, _)) => Holds::Letters,
        None => Holds::Either,
    }
}

/// The kinds of reference cell, whose heights differ by a constant along a line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Digit,
    Capital,
    Filler,
}

fn kind(c: u8) -> Option<Kind> {
    match c {
        b'1'..=b'9' => Some(Kind::Digit),
        b'O' | b'Q' => None,
        b'A'..=b'Z' => Some(Kind::Capital),
        b'<' => Some(Kind::Filler),
        _ => None,
    }
}

/// How much the height grows per cell along a line (its fitted capital height drifts a little
/// along it): one slope shared by every kind, fitted by least squares within each kind.
fn drift(cells: &[(usize, Kind, f32)]) -> f32 {
    let (mut covariance, mut variance) = (0.0, 0.0);
    for kind in [Kind::Digit, Kind::Capital, Kind::Filler] {
        let of: Vec<(f32, f32)> = cells
            .iter()
            .filter(|(_, k, _)| *k == kind)
            .map(|&(i, _, h)| (i as f32, h))
            .collect();
        if of.len() < 2 {
            continue;
        }
        let n = of.len() as f32;
        let mean_i = of.iter().map(|p| p.0).sum::<f32>() / n;
        let mean_h = of.iter().map(|p| p.1).sum::<f32>() / n;
        for (i, h) in of {
            covariance += (i - mean_i) * (h - mean_h);
            variance += (i - mean_i) * (i - mean_i);
        }
    }
    if variance > f32::EPSILON {
        covariance / variance
    } else {
        0.0
    }
}

fn median(mut values: Vec<f32>) -> Option<f32> {
    values.sort_by(f32::total_cmp);
    values.get(values.len() / 2).copied()
}

/// One line as read: its characters, and per cell the match score and the ink's height.
pub(super) struct LineCells<'a> {
    pub text: &'a mut Vec<u8>,
    pub scores: &'a [f32],
    pub heights: &'a [Option<f32>],
}

/// A line's heights made comparable: along the line, with its drift taken out (to its start);
/// across lines, as a share of the line's fillers, all one glyph.
struct Levelled {
    /// Per cell: what it shows, what its field holds, and its height at the line's start.
    cells: Vec<(u8, Holds, Option<f32>)>,
    /// The fillers' height at the line's start, when it has two or more.
    filler: Option<f32>,
}

fn level(fixed: &[(Cell, Class, Field)], line: usize, cells: &LineCells<'_>) -> Levelled {
    let references: Vec<(usize, Kind, f32)> = cells
        .text
        .iter()
        .zip(cells.heights.iter().zip(cells.scores))
        .enumerate()
        .filter(|(_, (_, (_, &score)))| score >= MIN_REFERENCE_SCORE)
        .filter_map(|(i, (&c, (height, _)))| Some((i, kind(c)?, (*height)?)))
        .collect();
    let slope = drift(&references);
    let fillers: Vec<f32> = references
        .iter()
        .filter(|(_, kind, _)| *kind == Kind::Filler)
        .map(|&(i, _, h)| h - slope * i as f32)
        .collect();
    let filler = (fillers.len() >= 2).then(|| fillers.iter().sum::<f32>() / fillers.len() as f32);
    let cells = cells
        .text
        .iter()
        .zip(cells.heights)
        .enumerate()
        .map(|(column, (&c, height))| {
            (
                c,
                holds(fixed, Cell { line, column }),
                height.map(|h| h - slope * column as f32),
            )
        })
        .collect();
    Levelled { cells, filler }
}

/// The median height of the O and 0 among `cells` whose field `holds` one class.
fn exemplar(cells: impl Iterator<Item = (u8, Holds, f32)>, holds: Holds) -> Option<f32> {
    median(
        cells
            .filter(|&(c, h, _)| matches!(c, b'O' | b'0') && h == holds)
            .map(|(_, _, height)| height)
            .collect(),
    )
}

/// Every O and 0 in a field of `format` that allows both, decided again by its height against
/// the zone's O and 0 whose fields tell what they are: those on its own line, else those of
/// the other lines as a share of each line's fillers. Left as read without exemplars.
pub(super) fn settle(format: MrzFormat, lines: &mut [LineCells<'_>]) {
    let fixed = Layout::of(format).fixed_cells();
    let levelled: Vec<Levelled> = lines
        .iter()
        .enumerate()
        .map(|(line, cells)| level(&fixed, line, cells))
        .collect();
    let expected = |zero: Option<f32>, letter_o: Option<f32>| match (zero, letter_o) {
        (Some(zero), Some(letter_o)) => Some((zero, letter_o)),
        (Some(zero), None) => Some((zero, zero * LETTER_O / ZERO)),
        (None, Some(letter_o)) => Some((letter_o * ZERO / LETTER_O, letter_o)),
        (None, None) => None,
    };
    let known = |l: &Levelled| {
        l.cells
            .iter()
            .filter_map(|&(c, holds, height)| Some((c, holds, height?)))
            .collect::<Vec<_>>()
    };
    // Across lines, in fillers.
    let shares: Vec<(u8, Holds, f32)> = levelled
        .iter()
        .filter_map(|l| Some((l, l.filler?)))
        .flat_map(|(l, filler)| {
            known(l)
                .into_iter()
                .map(move |(c, holds, height)| (c, holds, height / filler))
        })
        .collect();
    let across = expected(
        exemplar(shares.iter().copied(), Holds::Digits),
        exemplar(shares.iter().copied(), Holds::Letters),
    );
    for (cells, line) in lines.iter_mut().zip(&levelled) {
        let own = known(line);
        let same_line = expected(
            exemplar(own.iter().copied(), Holds::Digits),
            exemplar(own.iter().copied(), Holds::Letters),
        );
        for (c, &(_, holds, height)) in cells.text.iter_mut().zip(&line.cells) {
            let (true, Holds::Either, Some(height)) = (matches!(*c, b'O' | b'0'), holds, height)
            else {
                continue;
            };
            let judged = match (same_line, across, line.filler) {
                (Some((zero, letter_o)), _, _) => Some((height, zero, letter_o)),
                (None, Some((zero, letter_o)), Some(filler)) => {
                    Some((height / filler, zero, letter_o))
                }
                _ => None,
            };
            if let Some((height, zero, letter_o)) = judged {
                // Near halfway the height says little: the correlation's choice stands.
                let middle = (zero + letter_o) / 2.0;
                if (height - middle).abs() >= UNDECIDED * (zero - letter_o).abs() {
                    *c = if (height - zero).abs() < (height - letter_o).abs() {
                        b'0'
                    } else {
                        b'O'
                    };
                }
            }
        }
    }
}

//! The MRZ read straight off the photo, the way dedicated MRZ readers do it, without a general
//! text detector: the ink's marks, the rows of equal marks at a constant pitch, the two or
//! three rows that make an MRZ, and each character cell compared with OCR-B's 37 glyphs.
//!
//! This needs no model and takes a few tens of milliseconds; it relies on what ICAO fixes
//! (the font, its size, the pitch, the line spacing) and on the characters being separate
//! marks, which they are on a readable photo. Where it finds no MRZ whose check digits pass,
//! [`super::read_mrz`] falls back to the general OCR.

mod blobs;
mod geometry;
mod glyphs;
mod lines;
mod round_glyphs;
mod sample;
#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod template_tests;
mod zone;

use std::collections::HashMap;
use std::sync::OnceLock;

use image::{DynamicImage, GrayImage};

use super::find::score;
use super::layout::detect;
use super::parse::parse_doubting;
use super::resolve::Doubts;
use super::MrzReading;
use crate::ocr::{Quad, TextLine};
use geometry::LineGeometry;
use glyphs::Glyphs;

/// Larger photos are shrunk to this longer side first: an MRZ filling a tenth of it still has
/// capitals 20 pixels high, and the marks of a 12-megapixel photo would take long to label.
const WORKING_SIDE: u32 = 1600;
/// The marks are looked for first on a copy of at most this longer side.
const LOCATE_SIDE: u32 = 1000;
/// A combination of line starts per zone is parsed; at most this many.
const MAX_COMBINATIONS: usize = 27;
/// Zones read at most per scale, the most OCR-B-like first: an MRZ ranks first or second (its
/// other way up next), while a page of regular marks (a table, a pattern) can make hundreds of
/// zone-like rows, each read in up to [`MAX_COMBINATIONS`] ways.
const MAX_ZONES: usize = 4;
/// Cells read to tell which way up a zone is.
const PROBED_CELLS: usize = 8;
/// A runner-up template that matched within this much correlation of the best leaves the cell
/// in doubt between the two, for the check digits to settle (see [`super::resolve`]). On scans
/// of real documents, glyphs 8 to 12 pixels high, the misread cells' true character came
/// second by 0.003 to 0.03, while correctly read cells mostly lead their runner-up by more.
const DOUBT: f32 = 0.03;

fn coarse() -> &'static Glyphs {
    static GLYPHS: OnceLock<Glyphs> = OnceLock::new();
    GLYPHS.get_or_init(Glyphs::coarse)
}

/// One line of cells read: the characters and how well each matched.
#[derive(Debug, Clone)]
struct ReadLine {
    text: Vec<u8>,
    scores: Vec<f32>,
    /// The best template per cell, before [`round_glyphs::settle`] may change O and 0.
    best: Vec<u8>,
    /// The runner-up per cell and its score.
    seconds: Vec<(u8, f32)>,
    /// The ink's height per cell (see [`round_glyphs`]).
    heights: Vec<Option<f32>>,
}

impl ReadLine {
    /// Per cell, the other characters it may be: the runner-up within [`DOUBT`] of the best,
    /// and the best itself where [`round_glyphs::settle`] changed it by the ink's height.
    fn doubts(&self) -> Vec<Vec<u8>> {
        self.text
            .iter()
            .zip(self.best.iter().zip(&self.scores))
            .zip(&self.seconds)
            .map(|((&now, (&best, &score)), &(second, second_score))| {
                let mut doubts = Vec::new();
                if best != now {
                    doubts.push(best);
                }
                if score - second_score <= DOUBT && second != now && second != best {
                    doubts.push(second);
                }
                doubts
            })
            .collect()
    }
}

/// Reads `length` cells of `line` from `start`; the line was measured on a copy of `grey`
/// shrunk by `k`.
fn read_line(grey: &GrayImage, k: f32, line: &LineGeometry, start: i32, length: usize) -> ReadLine {
    let mut text = Vec::with_capacity(length);
    let mut scores = Vec::with_capacity(length);
    let mut heights = Vec::with_capacity(length);
    let mut seconds = Vec::with_capacity(length);
    let resolution = coarse().resolution();
    for column in 0..length {
        let i = (start + column as i32) as f32;
        let (centre, cap) = line.cell(i);
        let centre = [centre[0] / k, centre[1] / k];
        let (pitch, cap) = (line.pitch(i) / k, cap / k);
        let patch = sample::patch(grey, centre, line.direction, pitch, cap, resolution);
        match coarse().classify(&patch) {
            Some(found) => {
                text.push(found.character);
                scores.push(found.score);
                seconds.push((found.second, found.second_score));
                heights.push(round_glyphs::ink_height(&patch, resolution));
            }
            None => {
                text.push(b'<');
                scores.push(0.0);
                seconds.push((b'<', -1.0));
                heights.push(None);
            }
        }
    }
    ReadLine {
        best: text.clone(),
        text,
        scores,
        seconds,
        heights,
    }
}

/// The corners of `length` cells from `start`, in reading order, at `scale` back to the photo.
fn line_quad(line: &LineGeometry, start: i32, length: usize, scale: f32) -> Quad {
    let corner = |i: f32, side: f32, down: f32| {
        let (centre, cap) = line.cell(i);
        let half = line.pitch(i) / 2.0 * side;
        let v = cap * 0.6 * down;
        [
            (centre[0] + half * line.direction[0] + v * line.normal[0]) / scale,
            (centre[1] + half * line.direction[1] + v * line.normal[1]) / scale,
        ]
    };
    let (a, b) = (start as f32, (start + length as i32 - 1) as f32);
    Quad([
        corner(a, -1.0, -1.0),
        corner(b, 1.0, -1.0),
        corner(b, 1.0, 1.0),
        corner(a, -1.0, 1.0),
    ])
}

/// Every combination of one start per line, at most [`MAX_COMBINATIONS`].
fn combinations(per_line: &[Vec<i32>]) -> Vec<Vec<i32>> {
    let mut result: Vec<Vec<i32>> = vec![Vec::new()];
    for options in per_line {
        let mut next = Vec::new();
        for prefix in &result {
            for option in options {
                if next.len() < MAX_COMBINATIONS {
                    let mut combination = prefix.clone();
                    combination.push(*option);
                    next.push(combination);
                }
            }
        }
        result = next;
    }
    result
}

type Scored = (MrzReading, ((bool, usize, isize), f32));

/// Finds and parses the MRZ on `image` by its glyphs; `None` when no rows of marks look like
/// one. The reading may fail check digits: the caller weighs it against other readings.
pub fn scan_mrz(image: &DynamicImage, reference_year: u16) -> Option<MrzReading> {
    let mut grey = image.to_luma8();
    let (width, height) = grey.dimensions();
    let longer = width.max(height);
    let mut scale = 1.0;
    if longer > WORKING_SIDE {
        scale = WORKING_SIDE as f32 / longer as f32;
        let new = |side: u32| ((side as f32 * scale).round() as u32).max(1);
        grey = crate::resample::triangle(&grey, new(width), new(height));
    }
    // Marks are found on a smaller copy, which is faster to label; an MRZ too small to leave
    // marks there, or whose reading from them fails a check digit, is looked for again at
    // full size.
    let working_longer = grey.width().max(grey.height());
    let mut best: Option<Scored> = None;
    if working_longer > LOCATE_SIDE {
        let k = LOCATE_SIDE as f32 / working_longer as f32;
        let new = |side: u32| ((side as f32 * k).round() as u32).max(1);
        let small = crate::resample::triangle(&grey, new(grey.width()), new(grey.height()));
        scan_located(&grey, &small, k, scale, reference_year, &mut best);
    }
    if !passes(&best) {
        scan_located(&grey, &grey, 1.0, scale, reference_year, &mut best);
    }
    best.map(|(reading, _)| reading)
}

/// How much the first few cells of `zone`'s first line look like OCR-B.
fn probe(grey: &GrayImage, k: f32, zone: &zone::Zone<'_>) -> f32 {
    let (Some(line), Some(start)) = (
        zone.lines.first(),
        zone::starts(zone).first().and_then(|s| s.first().copied()),
    ) else {
        return f32::MIN;
    };
    let read = read_line(grey, k, line, start, PROBED_CELLS.min(zone.length));
    read.scores.iter().sum::<f32>() / read.scores.len().max(1) as f32
}

/// Every combination of line starts of `zone` read and parsed; `best` keeps the best reading
/// so far. `zone` was measured on `grey` shrunk by `k`, which is `located_per_photo` times the
/// photo's size (for the quads, given in the photo's pixels).
fn read_zone(
    grey: &GrayImage,
    k: f32,
    zone: &zone::Zone<'_>,
    reference_year: u16,
    located_per_photo: f32,
    best: &mut Option<Scored>,
) {
    let mut cache: HashMap<(usize, i32), ReadLine> = HashMap::new();
    let starts = zone::starts(zone);
    for combination in combinations(&starts) {
        let mut read = Vec::new();
        for (index, (&line, &start)) in zone.lines.iter().zip(&combination).enumerate() {
            let entry = cache
                .entry((index, start))
                .or_insert_with(|| read_line(grey, k, line, start, zone.length));
            read.push(entry.clone());
        }
        let lengths: Vec<usize> = read.iter().map(|r| r.text.len()).collect();
        let first = read.first().and_then(|r| r.text.first()).copied();
        if let Some(format) = detect(&lengths, first) {
            let mut lines: Vec<round_glyphs::LineCells<'_>> = read
                .iter_mut()
                .map(|r| round_glyphs::LineCells {
                    text: &mut r.text,
                    scores: &r.scores,
                    heights: &r.heights,
                })
                .collect();
            round_glyphs::settle(format, &mut lines);
        }
        let text: Vec<String> = read
            .iter()
            .map(|r| String::from_utf8_lossy(&r.text).into_owned())
            .collect();
        let doubts = Doubts::new(read.iter().map(ReadLine::doubts).collect());
        let Ok(mrz) = parse_doubting(&text.join("\n"), reference_year, &doubts) else {
            continue;
        };
        let all: Vec<f32> = read.iter().flat_map(|r| r.scores.clone()).collect();
        let mean = all.iter().sum::<f32>() / all.len().max(1) as f32;
        let rank = (score(&mrz, 0), mean);
        if best
            .as_ref()
            .is_some_and(|(_, best_rank)| rank.partial_cmp(best_rank).is_none_or(|o| o.is_le()))
        {
            continue;
        }
        let text_lines: Vec<TextLine> = read
            .iter()
            .zip(zone.lines.iter().zip(&combination))
            .map(|(r, (&line, &start))| TextLine {
                text: String::from_utf8_lossy(&r.text).into_owned(),
                confidence: r.scores.iter().sum::<f32>() / r.scores.len().max(1) as f32,
                quad: line_quad(line, start, zone.length, located_per_photo),
            })
            .collect();
        let (Some(first), Some(last)) = (text_lines.first(), text_lines.last()) else {
            continue;
        };
        let zone_quad = Quad([
            first.quad.0[0],
            first.quad.0[1],
            last.quad.0[2],
            last.quad.0[3],
        ]);
        *best = Some((
            MrzReading {
                mrz,
                lines: text_lines,
                zone: zone_quad,
                confidence: mean,
            },
            rank,
        ));
    }
}

fn passes(best: &Option<Scored>) -> bool {
    best.as_ref()
        .is_some_and(|(reading, _)| reading.mrz.all_checks_pass())
}

/// Finds the marks on `locate` (`grey` shrunk by `k`), and reads the zones they make from
/// `grey`, `scale` times the photo's size; `best` keeps the best reading.
fn scan_located(
    grey: &GrayImage,
    locate: &GrayImage,
    k: f32,
    scale: f32,
    reference_year: u16,
    best: &mut Option<Scored>,
) {
    let (labels, marks) = blobs::blobs(locate);
    let Some(direction) = lines::text_direction(&marks) else {
        return;
    };
    let chains = lines::chains(&marks, direction);
    // Both ways up: the marks do not tell which way the text runs.
    let oriented: Vec<Vec<LineGeometry>> = [1.0f32, -1.0]
        .iter()
        .map(|&sign| {
            let d = [direction[0] * sign, direction[1] * sign];
            chains
                .iter()
                .filter_map(|chain| {
                    let mut members = chain.clone();
                    if sign < 0.0 {
                        members.reverse();
                    }
                    LineGeometry::measure(&labels, &marks, &members, d)
                })
                .collect()
        })
        .collect();
    // The zones most like OCR-B first (the right way up matches far better than upside
    // down), so that the first whose check digits pass ends the search.
    let mut zones: Vec<(f32, zone::Zone<'_>)> = oriented
        .iter()
        .flat_map(|measured| zone::zones(measured))
        .map(|zone| (probe(grey, k, &zone), zone))
        .collect();
    zones.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, zone) in zones.iter().take(MAX_ZONES) {
        read_zone(grey, k, zone, reference_year, scale * k, best);
        if passes(best) {
            break;
        }
    }
}

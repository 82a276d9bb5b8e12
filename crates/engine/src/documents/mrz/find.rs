//! Which of the lines read on a photo are the MRZ: lines of MRZ length, 2 or 3 of them one
//! under the other, parallel, of one size; among such groups, and among the ways to fit each
//! line to its format's length, the reading whose check digits pass.

use super::fit::{normalise, variants, MAX_LENGTH_ERROR};
use super::{parse, Mrz};
use crate::ocr::TextLine;

/// The line lengths of the formats: TD1, TD2 and MRV-B, TD3 and MRV-A.
const LENGTHS: [usize; 3] = [30, 36, 44];
/// Parallel enough to be lines of one zone: under about 8 degrees apart.
const MIN_DIRECTION_COSINE: f32 = 0.99;
/// The next MRZ line's centre is 1.76 character heights below (ICAO's 4.23 mm for 2.42 mm
/// capitals); boxes are taller than the capitals, so this is in box heights.
const LINE_SPACING_IN_HEIGHTS: (f32, f32) = (0.6, 2.5);
/// A bound on the parses for one group: a few variants per line, multiplied.
const MAX_COMBINATIONS: usize = 512;

/// A line read on the photo that may belong to an MRZ.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub line: TextLine,
    /// The text in the MRZ alphabet (see [`normalise`]).
    pub text: String,
}

/// Whether `text`, normalised, has exactly an MRZ line's length.
pub(super) fn has_mrz_length(text: &str) -> bool {
    LENGTHS.contains(&normalise(text).len())
}

pub(super) fn candidate(line: &TextLine) -> Option<Candidate> {
    let text = normalise(&line.text);
    let near_a_length = LENGTHS
        .iter()
        .any(|&length| text.len().abs_diff(length) <= MAX_LENGTH_ERROR);
    near_a_length.then(|| Candidate {
        line: line.clone(),
        text,
    })
}

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

/// Whether `next` is the line printed right under `line`.
fn follows(line: &TextLine, next: &TextLine) -> bool {
    let direction = line.quad.direction();
    if dot(direction, next.quad.direction()) < MIN_DIRECTION_COSINE {
        return false;
    }
    let down = [-direction[1], direction[0]];
    let (a, b) = (line.quad.centre(), next.quad.centre());
    let offset = [b[0] - a[0], b[1] - a[1]];
    let height = line.quad.height().max(1.0);
    let below = dot(offset, down) / height;
    let along = dot(offset, direction).abs();
    below >= LINE_SPACING_IN_HEIGHTS.0
        && below <= LINE_SPACING_IN_HEIGHTS.1
        && along < 0.25 * line.quad.width().max(next.quad.width())
        && (next.quad.height() / height - 1.0).abs() < 0.5
}

/// Runs of 2 and 3 candidates, each printed under the one before.
pub(super) fn groups(candidates: &[Candidate]) -> Vec<Vec<&Candidate>> {
    let mut found = Vec::new();
    for first in candidates {
        for second in candidates.iter().filter(|c| follows(&first.line, &c.line)) {
            found.push(vec![first, second]);
            for third in candidates.iter().filter(|c| follows(&second.line, &c.line)) {
                found.push(vec![first, second, third]);
            }
        }
    }
    found
}

/// How good a reading is: every check passing first, then how many pass, then how little had
/// to be changed to get there.
pub(super) fn score(mrz: &Mrz, length_changes: usize) -> (bool, usize, isize) {
    let checks = mrz.checks;
    let passing = [
        checks.document_number,
        checks.birth_date,
        checks.expiry_date,
        checks.personal_number.unwrap_or(true),
        checks.composite.unwrap_or(true),
    ]
    .iter()
    .filter(|pass| **pass)
    .count();
    let changes = length_changes + mrz.corrections.len() + mrz.problems.len();
    (mrz.all_checks_pass(), passing, -(changes as isize))
}

/// Every combination of one variant per line, in order, at most [`MAX_COMBINATIONS`].
fn combinations(per_line: &[Vec<String>]) -> Vec<Vec<&str>> {
    let mut result: Vec<Vec<&str>> = vec![Vec::new()];
    for options in per_line {
        let mut next = Vec::new();
        for prefix in &result {
            for option in options {
                if next.len() >= MAX_COMBINATIONS {
                    break;
                }
                let mut combination = prefix.clone();
                combination.push(option.as_str());
                next.push(combination);
            }
        }
        result = next;
    }
    result
}

/// The best reading of `group`, with its score.
pub(super) fn read_group(
    group: &[&Candidate],
    reference_year: u16,
) -> Option<(Mrz, (bool, usize, isize))> {
    let lengths: &[usize] = match group.len() {
        2 => &[44, 36],
        3 => &[30],
        _ => &[],
    };
    let mut best: Option<(Mrz, (bool, usize, isize))> = None;
    for &length in lengths {
        let per_line: Vec<Vec<String>> = group
            .iter()
            .map(|candidate| variants(&candidate.text, length))
            .collect();
        if per_line.iter().any(Vec::is_empty) {
            continue;
        }
        let length_changes: usize = group
            .iter()
            .map(|candidate| candidate.text.len().abs_diff(length))
            .sum();
        for lines in combinations(&per_line) {
            let Ok(mrz) = parse(&lines.join("\n"), reference_year) else {
                continue;
            };
            let scored = score(&mrz, length_changes);
            if best
                .as_ref()
                .is_none_or(|(_, best_score)| scored > *best_score)
            {
                best = Some((mrz, scored));
            }
        }
    }
    best
}

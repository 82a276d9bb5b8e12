//! Which measured lines make an MRZ: two or three, parallel, of one pitch, one under the other
//! at the MRZ's line spacing, each 30, 36 or 44 cells long; and which cell of each line is the
//! MRZ's first column, when a line's first or last character left no mark.

use super::geometry::LineGeometry;

/// How far apart, in pitches, an MRZ's lines may be. The formats differ: a TD1's three lines
/// stand 4.23 mm apart (1.67 pitches), while the two lines of a passport (TD3) or a visa
/// (MRV-A, MRV-B) are placed 6.28 mm apart (12.63 mm and 6.35 mm above the page's bottom
/// edge: 2.47 pitches). Scans of real documents measure 1.6 to 1.9 pitches for TD1 (one
/// specimen 2.15) and 2.4 to 2.6 for the two-line formats. The range covers both, with room
/// for a photo at an angle, which shortens or stretches the distance across the text; it
/// stays under the three pitches and more between a TD1's first and third lines.
const LINE_SPACING_IN_PITCHES: (f32, f32) = (1.3, 2.9);
const MIN_DIRECTION_COSINE: f32 = 0.995;
const MAX_PITCH_RATIO: f32 = 1.15;
/// A line whose marks span this many cells more or less than its format's length may still be
/// one (a character left no mark, or a mark beside the zone joined the line).
const MAX_SPAN_ERROR: i32 = 3;

/// Lines that may be an MRZ of lines `length` long, top first.
#[derive(Debug, Clone)]
pub(super) struct Zone<'a> {
    pub lines: Vec<&'a LineGeometry>,
    pub length: usize,
}

fn near_length(line: &LineGeometry, length: usize) -> bool {
    (line.span() - length as i32).abs() <= MAX_SPAN_ERROR
}

fn middle(line: &LineGeometry) -> f32 {
    (line.first as f32 + line.last as f32) / 2.0
}

/// Whether `next` is the MRZ line printed under `line`.
fn follows(line: &LineGeometry, next: &LineGeometry) -> bool {
    let d = line.direction;
    let cosine = d[0] * next.direction[0] + d[1] * next.direction[1];
    if cosine < MIN_DIRECTION_COSINE {
        return false;
    }
    let (p, q) = (line.pitch(middle(line)), next.pitch(middle(next)));
    if p.max(q) > MAX_PITCH_RATIO * p.min(q) || p <= 0.0 {
        return false;
    }
    let below = (next.across(middle(next), d) - line.across(middle(line), d)) / p;
    let shift = (next.along(next.first as f32, d) - line.along(line.first as f32, d)).abs() / p;
    below >= LINE_SPACING_IN_PITCHES.0 && below <= LINE_SPACING_IN_PITCHES.1 && shift <= 10.0
}

/// Every group of lines that could be an MRZ, with its line length.
pub(super) fn zones(lines: &[LineGeometry]) -> Vec<Zone<'_>> {
    let mut found = Vec::new();
    for first in lines {
        for second in lines.iter().filter(|next| follows(first, next)) {
            for &length in &[36usize, 44] {
                if near_length(first, length) && near_length(second, length) {
                    found.push(Zone {
                        lines: vec![first, second],
                        length,
                    });
                }
            }
            for third in lines.iter().filter(|next| follows(second, next)) {
                if [first, second, third].iter().all(|l| near_length(l, 30)) {
                    found.push(Zone {
                        lines: vec![first, second, third],
                        length: 30,
                    });
                }
            }
        }
    }
    found
}

/// For each line of `zone`, the indices of its marks that may be the MRZ's first column: its
/// first mark, or the cell that lines up with a complete line's first, or the one that makes
/// its last mark the last column.
pub(super) fn starts(zone: &Zone<'_>) -> Vec<Vec<i32>> {
    let length = zone.length as i32;
    let reference = zone
        .lines
        .iter()
        .find(|line| line.span() == length)
        .map(|line| {
            let d = line.direction;
            (d, line.along(line.first as f32, d))
        });
    zone.lines
        .iter()
        .map(|line| {
            if line.span() == length {
                return vec![line.first];
            }
            let mut options = vec![line.first, line.last - (length - 1)];
            if let Some((d, start)) = reference {
                let pitch = line.pitch(line.first as f32).max(f32::EPSILON);
                let k = ((line.along(line.first as f32, d) - start) / pitch).round() as i32;
                options.insert(0, line.first - k);
            }
            let mut unique = Vec::new();
            for option in options {
                if !unique.contains(&option) {
                    unique.push(option);
                }
            }
            unique
        })
        .collect()
}

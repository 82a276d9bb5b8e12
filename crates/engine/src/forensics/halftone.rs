//! A colour photocopy (PHOTOCOPY): a copier or printer makes every colour of cyan, magenta,
//! yellow and black dots on white paper, each ink's dots on a grid of its own, the grids
//! turned apart (15, 75, 0 and 45 degrees) so that they do not beat. A photo sharp enough to
//! resolve the dots shows, in its brightness's spectrum, strong frequencies of one fineness
//! (the dot pitch) in several directions at once. A screen's grid runs two ways (its columns
//! of stripes and its rows), and a document's own security print is line work and solid
//! tints, not dots.
//!
//! The evidence is how many square grids (strong frequencies at right angles to each other)
//! share the strongest frequency's fineness, in a few windows over the middle of the photo.
//! Brightness, not colour: JPEG halves the colour's resolution, which wipes out dots finer
//! than four pixels there. Copies whose dots the camera cannot resolve (under about 2.5 pixels
//! per dot) show none.

use image::RgbImage;

use super::spectrum::{median_over, strongest, window_peaks, Peak, Signal};

/// A window whose strongest frequency is under this many times its ring's median shows no grid
/// (photos of paper reach 32 there, from their layout and guilloches, but not at right angles;
/// copies measure 26 to 257).
const MIN_PEAK_RATIO: f32 = 20.0;
/// Frequencies this share of the strongest, as fine within [`SAME_PITCH`], are counted.
const STRONG_SHARE: f32 = 0.15;
/// As fine as the strongest within this share: every ink is screened at the same pitch.
const SAME_PITCH: f32 = 0.05;
/// Directions closer than this, in degrees, are one.
const SAME_DIRECTION: f32 = 6.0;
/// Two directions this close to a right angle are one grid's rows and columns.
const RIGHT_ANGLE_TOLERANCE: f32 = 5.0;
/// A photo whose windows show this many square grids of one pitch or more (the median over
/// windows) is of a halftone print: a screen's grid is one, a copy's inks are three or four
/// turned apart. Measured in `halftone_tests`.
pub const HALFTONE_GRIDS: f32 = 2.0;

/// How a photo shows a halftone print.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HalftoneEvidence {
    /// How many square grids (strong frequencies at right angles) share the strongest
    /// frequency's fineness; the median over windows.
    pub grids: f32,
    /// The strongest frequency against its ring's median, the median over windows.
    pub peak_ratio: f32,
}

impl HalftoneEvidence {
    pub fn is_halftone(&self) -> bool {
        self.grids >= HALFTONE_GRIDS
    }
}

/// The directions (degrees, 0 to 180) in which `angles`, sorted, cluster.
fn directions(angles: &[f32]) -> Vec<f32> {
    let mut clusters: Vec<Vec<f32>> = Vec::new();
    for &angle in angles {
        match clusters.last_mut() {
            Some(cluster) if cluster.last().is_some_and(|&l| angle - l <= SAME_DIRECTION) => {
                cluster.push(angle);
            }
            _ => clusters.push(vec![angle]),
        }
    }
    // Directions wrap at 180 degrees: the last cluster may continue the first.
    if clusters.len() > 1 {
        let first = clusters.first().and_then(|c| c.first()).copied();
        let last = clusters.last().and_then(|c| c.last()).copied();
        if let (Some(first), Some(last)) = (first, last) {
            if first + 180.0 - last <= SAME_DIRECTION {
                let wrapped: Vec<f32> = clusters
                    .pop()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| a - 180.0)
                    .collect();
                if let Some(head) = clusters.first_mut() {
                    head.extend(wrapped);
                }
            }
        }
    }
    clusters
        .iter()
        .map(|c| (c.iter().sum::<f32>() / c.len().max(1) as f32).rem_euclid(180.0))
        .collect()
}

/// How many pairs of directions at right angles the strong `peaks` as fine as the strongest
/// make.
fn grids(peaks: &[Peak]) -> f32 {
    let Some(top) = peaks.iter().max_by(|a, b| a.ratio.total_cmp(&b.ratio)) else {
        return 0.0;
    };
    if top.ratio < MIN_PEAK_RATIO {
        return 0.0;
    }
    let pitch = top.radius();
    let mut angles: Vec<f32> = peaks
        .iter()
        .filter(|peak| {
            peak.ratio >= STRONG_SHARE * top.ratio
                && (peak.radius() - pitch).abs() <= SAME_PITCH * pitch
        })
        .map(Peak::angle)
        .collect();
    angles.sort_by(f32::total_cmp);
    let found = directions(&angles);
    let mut pairs = 0;
    for (i, a) in found.iter().enumerate() {
        for b in found.iter().skip(i + 1) {
            if ((a - b).abs() - 90.0).abs() <= RIGHT_ANGLE_TOLERANCE {
                pairs += 1;
            }
        }
    }
    pairs as f32
}

/// How `image` shows a halftone print, over five windows in its middle; a photo too small for
/// a window shows none.
pub fn halftone_evidence(image: &RgbImage) -> HalftoneEvidence {
    let windows = window_peaks(image, Signal::Luma);
    HalftoneEvidence {
        grids: median_over(&windows, grids),
        peak_ratio: median_over(&windows, strongest),
    }
}

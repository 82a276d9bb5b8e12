//! Presentation attacks on liveness: how many are refused (APCER, the share of attacks taken
//! for a person, ISO/IEC 30107-3) and how many genuine captures are wrongly refused (BPCER),
//! per attack class, through the engine's own verdicts (`judge_selfie`, `judge_sequence`).
//!
//! Genuine material is real: the test photos (`scripts/fetch-test-photos`: three photos of one
//! person, one of another, every face of seven group photos cut out with room around it, enlarged
//! to 1000 px, the face about 400 px wide, as a phone's selfie frames it), as taken and as a phone
//! delivers them (sensor noise, JPEG 70); genuine sequences are those photos with the head
//! turned through a challenge (`turn_head`: a warp with depth, not a recorded turn).
//! Attacks are made here from the same photos:
//! - **photo on a screen**: each shown on an LCD (RGB stripes, a dark row) and photographed at
//!   1.2 to 2.4 camera pixels per screen pixel, a little turned (moire), through a lens
//!   that spreads each point a little (blur 0.6 px), brightened as a phone's exposure does;
//! - **printed photo**: each reprinted as CMYK halftone dots (cells of 3 to 5.5 photo pixels)
//!   and photographed, slightly out of focus, JPEG;
//! - the same two through a whole challenge: every frame of a genuine sequence shown on a
//!   screen or printed (a print or a phone moved before the camera);
//! - **a photo turned before the camera**: the frontal photo itself, turned up to 45 degrees
//!   about an upright axis and seen from close by (`turn_photo`), for each turn asked: a flat
//!   picture whose perspective moves the eyes against the nose as a turn does.
//!
//! Genuine sequences are every real face above (33), so that the turns read on most of them.
//!
//! Selfies are never PASSED (one photo cannot prove presence); an attack on a selfie counts as
//! taken for a person unless REJECTED. Prints its table and the measures on both sides of the
//! thresholds. `cargo bench -p verifyd-engine --features synthetic --bench presentation_attacks`

use std::time::Instant;

use image::{DynamicImage, RgbImage};
use verifyd_engine::documents::synthetic::{degrade, Degradation};
use verifyd_engine::faces::liveness::{self, Decision, Frame, Label, Turn};
use verifyd_engine::faces::parallax::relief;
use verifyd_engine::faces::presentation::presentation_evidence;
use verifyd_engine::faces::synthetic::{
    faces_cut_out, test_photo, turn_head, turn_photo, GROUP_PHOTOS,
};
use verifyd_engine::faces::{largest_face, FaceEngine};
use verifyd_engine::ocr::models_dir;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The screens' camera pixels per screen pixel, and the prints' halftone cells in photo pixels.
const PITCHES: [f32; 4] = [1.2, 1.6, 2.0, 2.4];
const CELLS: [f32; 3] = [3.0, 4.2, 5.5];

/// Every real face: the portraits as taken, and the group photos' faces cut out.
fn selfies(engine: &FaceEngine) -> BenchResult<Vec<(String, RgbImage)>> {
    let mut selfies = Vec::new();
    for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"] {
        selfies.push((name.to_owned(), test_photo(name)?));
    }
    for group in GROUP_PHOTOS {
        let photo = test_photo(group)?;
        let faces = engine.detect(&photo)?;
        for (index, crop) in faces_cut_out(&photo, &faces, 2.4, 1000)
            .into_iter()
            .enumerate()
        {
            selfies.push((format!("{group}#{index}"), crop));
        }
    }
    Ok(selfies)
}

fn apply(image: &RgbImage, chain: &[Degradation], seed: u32) -> BenchResult<RgbImage> {
    let mut out = image.clone();
    for degradation in chain {
        out = degrade(&out, *degradation, seed)?;
    }
    Ok(out)
}

/// The conditions a selfie is judged under: genuine ones first.
fn conditions() -> Vec<(String, bool, Vec<Degradation>)> {
    let mut all = vec![
        ("genuine, as taken".to_owned(), false, Vec::new()),
        (
            "genuine, phone (noise, JPEG 70)".to_owned(),
            false,
            vec![Degradation::Noise(5.0), Degradation::Jpeg(70)],
        ),
    ];
    for pitch in PITCHES {
        all.push((
            format!("photo on a screen, {pitch} px per screen px"),
            true,
            vec![
                Degradation::Screen(pitch),
                Degradation::Blur(0.6),
                Degradation::Exposure(118),
            ],
        ));
    }
    for cell in CELLS {
        all.push((
            format!("printed photo, dots of {cell} px"),
            true,
            vec![
                Degradation::ColourCopy(cell),
                Degradation::Blur(0.8),
                Degradation::Jpeg(85),
            ],
        ));
    }
    all
}

struct Tally {
    judged: usize,
    refused: usize,
    /// Refused as DIGITAL_COPY or PHOTOCOPY, or as a plane (a turn without relief).
    copies: usize,
    labels: std::collections::BTreeMap<&'static str, usize>,
    screen: Vec<f32>,
    grids: Vec<f32>,
    /// Each sequence's least relief of a turned frame.
    relief: Vec<f32>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            judged: 0,
            refused: 0,
            copies: 0,
            labels: Default::default(),
            screen: Vec::new(),
            grids: Vec::new(),
            relief: Vec::new(),
        }
    }

    fn count(&mut self, decision: Decision, label: Label, plane: bool) {
        self.judged += 1;
        if decision == Decision::Rejected {
            self.refused += 1;
        }
        if matches!(label, Label::DigitalCopy | Label::Photocopy) || plane {
            self.copies += 1;
        }
        *self.labels.entry(label.as_str()).or_default() += 1;
    }

    fn row(&self, class: &str, attack: bool) {
        let share = |count: usize| 100.0 * count as f64 / self.judged.max(1) as f64;
        // An attack gets through unless refused; a person is wrongly refused when taken for a
        // copy (a group photo's crop refused as MULTIPLE_PEOPLE is no attack classification).
        let (apcer, bpcer) = if attack {
            (
                format!("{:.1}%", 100.0 - share(self.refused)),
                "-".to_owned(),
            )
        } else {
            ("-".to_owned(), format!("{:.1}%", share(self.copies)))
        };
        let range = |values: &[f32], decimals: usize| {
            let low = values.iter().copied().fold(f32::INFINITY, f32::min);
            let high = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            if values.is_empty() {
                "-".to_owned()
            } else {
                format!("{low:.decimals$}-{high:.decimals$}")
            }
        };
        let labels: Vec<String> = self
            .labels
            .iter()
            .map(|(label, count)| format!("{count} {label}"))
            .collect();
        println!(
            "| {class} | {} | {} | {} | {apcer} | {bpcer} | {} | {} | {} | {} |",
            self.judged,
            self.refused,
            self.copies,
            labels.join(", "),
            range(&self.screen, 0),
            range(&self.grids, 0),
            range(&self.relief, 2),
        );
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> BenchResult<()> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let engine = FaceEngine::load(&models_dir(repo.join("models")))?;
    let selfies = selfies(&engine)?;
    // `-- --keep DIR` saves every selfie judged, for a look.
    let keep = std::env::args()
        .skip_while(|arg| arg != "--keep")
        .nth(1)
        .map(std::path::PathBuf::from);
    println!("| class | judged | refused | as a copy or a plane | APCER | BPCER | labels | screen peak ratio | halftone grids | least relief of a turn |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut evidence_ms = Vec::new();
    for (class, attack, chain) in conditions() {
        let mut tally = Tally::new();
        for (seed, (name, selfie)) in (1..).zip(&selfies) {
            let image = apply(selfie, &chain, seed)?;
            if let Some(dir) = &keep {
                image.save(dir.join(format!("{}-{seed}.jpg", class.replace(' ', "_"))))?;
            }
            let faces = engine.detect(&image)?;
            let picture = DynamicImage::ImageRgb8(image.clone());
            let found = liveness::judge_selfie(&picture, &faces, Some(0));
            if let Some(face) = largest_face(&faces) {
                let started = Instant::now();
                let evidence = presentation_evidence(&image, face);
                evidence_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                tally.screen.push(evidence.screen_peak_ratio);
                tally.grids.push(evidence.halftone_grids);
                eprintln!(
                    "{class:<42} {name:<16} {:?}/{} screen {:.0} grids {:.1}",
                    found.decision,
                    found.label.as_str(),
                    evidence.screen_peak_ratio,
                    evidence.halftone_grids
                );
            }
            tally.count(found.decision, found.label, false);
        }
        tally.row(&format!("selfie: {class}"), attack);
    }
    // Sequences: each portrait turned through a challenge, then as it is, on a screen, printed.
    let challenge = [Turn::Left, Turn::Right, Turn::Left];
    // (class, attack, what the camera adds, the picture turned instead of the head)
    let sequences = [
        ("genuine", false, Vec::new(), false),
        (
            "genuine, phone (noise, JPEG 70)",
            false,
            vec![Degradation::Noise(5.0), Degradation::Jpeg(70)],
            false,
        ),
        (
            "on a screen, 1.6 px per screen px",
            true,
            vec![
                Degradation::Screen(1.6),
                Degradation::Blur(0.6),
                Degradation::Exposure(118),
            ],
            false,
        ),
        (
            "printed, dots of 4.2 px",
            true,
            vec![
                Degradation::ColourCopy(4.2),
                Degradation::Blur(0.8),
                Degradation::Jpeg(85),
            ],
            false,
        ),
        (
            "photo turned 45 degrees before the camera, close up",
            true,
            vec![Degradation::Noise(3.0), Degradation::Jpeg(85)],
            true,
        ),
    ];
    let mut sequence_ms = Vec::new();
    let mut relief_ms = Vec::new();
    for (class, attack, chain, picture_turned) in sequences {
        let mut tally = Tally::new();
        for (seed, (name, photo)) in (1..).zip(&selfies) {
            let faces = engine.detect(photo)?;
            let Some(face) = largest_face(&faces).cloned() else {
                continue;
            };
            let strengths = [0.0, 1.6, 0.0, -1.6, 0.0, 1.6, 0.0];
            let mut images = Vec::new();
            for strength in strengths {
                let moved = if strength == 0.0 {
                    photo.clone()
                } else if picture_turned {
                    turn_photo(photo, &face, strength / 1.6)
                } else {
                    turn_head(photo, &face, strength)
                };
                images.push(apply(&moved, &chain, seed * 10 + images.len() as u32)?);
            }
            let started = Instant::now();
            let mut frames = Vec::new();
            for (index, image) in images.iter().enumerate() {
                // As processing does: the first and last frames are measured.
                let measured = index == 0 || index + 1 == images.len();
                frames.push(Frame::describe(&engine, image, measured)?);
            }
            for frame in &frames {
                if let Some(evidence) = frame.presentation {
                    tally.screen.push(evidence.screen_peak_ratio);
                    tally.grids.push(evidence.halftone_grids);
                }
            }
            let judged = liveness::judge_sequence(&challenge, &frames);
            sequence_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            // The least relief among the turned frames, for the table.
            let first = frames.first().and_then(|frame| frame.surface.as_ref());
            let least = strengths
                .iter()
                .zip(&frames)
                .filter(|(strength, _)| **strength != 0.0)
                .filter_map(|(_, frame)| first.zip(frame.surface.as_ref()))
                .filter_map(|(first, turned)| {
                    let started = Instant::now();
                    let measured = relief(first, turned);
                    relief_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                    measured
                })
                .fold(f32::INFINITY, f32::min);
            if least.is_finite() {
                tally.relief.push(least);
            }
            eprintln!(
                "sequence {class:<33} {name:<16} {:?}/{} {}",
                judged.finding.decision,
                judged.finding.label.as_str(),
                judged.finding.reason
            );
            let plane = judged.finding.reason.contains("one plane");
            tally.count(judged.finding.decision, judged.finding.label, plane);
        }
        tally.row(&format!("7-frame sequence: {class}"), attack);
    }
    println!(
        "screen and print measures around a face, median ms: {:.1} over {} faces; a 7-frame \
         sequence described and judged (two frames measured, every turned frame's relief), \
         median ms: {:.1} over {}; one turned frame's relief, median ms: {:.1} over {}",
        median(&mut evidence_ms),
        evidence_ms.len(),
        median(&mut sequence_ms),
        sequence_ms.len(),
        median(&mut relief_ms),
        relief_ms.len()
    );
    Ok(())
}

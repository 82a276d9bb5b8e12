//! The real-document benchmark: the development set of real specimen scans
//! (`../shared/real-documents/`, read in place) and photos made from them, through the same
//! analysers and rules as processing, with PassportEye on the same MRZ images.
//!
//! Per capture kind and format it reports: read with every field right (the reading itself, and
//! the decision: extraction PASSED with those fields), refused (by label and reason), misread
//! (the MRZ's check digits pass, a field is wrong), and the time per image (median, one image
//! at a time on one thread, models loaded once). The photo conditions are made from the scans
//! here (no real photo of an MRZ document is in the set): a phone photo (tilt, turn, uneven
//! light, focus, sensor noise, JPEG), and the scan printed on a colour copier and
//! photographed.
//!
//! Beside them, so that neither is traded for the other, the same figures on documents the
//! engine renders itself (`synthetic::render`, OCR-B at ICAO size, every format), clean and
//! photographed: renders, not real documents.
//!
//! `cargo bench -p verifyd-server --bench real_documents` (add `-- --no-peer` to skip
//! PassportEye, `scripts/setup-bench-peers` installs it; `-- --keep` to keep the images made,
//! named `{capture}-{index}.jpg`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{anyhow, Result};
use bytes::Bytes;
use cpu_time::ProcessTime;
use image::{DynamicImage, ImageFormat, RgbImage};
use serde_json::Value;
use verifyd_domain::analysers::PartImage;
use verifyd_domain::clock::{Clock, SystemClock};
use verifyd_domain::model::{outcome_document, Classifier, OverallDecision};
use verifyd_domain::service::{inspect_id, Inspection};
use verifyd_engine::documents::synthetic::{degrade, Degradation};
use verifyd_server::serve::analyser_settings;
use verifyd_server::Settings;
use verifyd_testkit::real_documents::{self as manifest, Entry};

/// What is made of each scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Capture {
    Scan,
    Photo,
    PrintedAndPhotographed,
}

impl Capture {
    const ALL: [Capture; 3] = [
        Capture::Scan,
        Capture::Photo,
        Capture::PrintedAndPhotographed,
    ];

    fn name(self) -> &'static str {
        match self {
            Capture::Scan => "scan (as published)",
            Capture::Photo => "phone photo of the scan",
            Capture::PrintedAndPhotographed => "colour copy, photographed",
        }
    }

    /// The scans are small (300-600 px); a phone frames a document at 1000-2000 px, so the
    /// photos are made from the scan enlarged 2.5 times first.
    fn degradations(self) -> Vec<Degradation> {
        match self {
            Capture::Scan => Vec::new(),
            Capture::Photo => {
                let mut chain = vec![Degradation::Resize(2.5)];
                chain.extend(Degradation::PHONE_PHOTO);
                chain
            }
            Capture::PrintedAndPhotographed => vec![
                Degradation::Resize(2.5),
                Degradation::ColourCopy(4.2),
                Degradation::Perspective(0.04),
                Degradation::Blur(0.8),
                Degradation::Jpeg(85),
            ],
        }
    }
}

/// An image's outcome, the file it was read from (for the peer), and its manifest entry.
type Measured = (Outcome, PathBuf, usize);

struct Outcome {
    /// The reading's check digits passed.
    identified: bool,
    /// The reading's fields that differ from the manifest.
    wrong: Vec<String>,
    /// usability, imageChecks, extraction labels.
    usability: String,
    reasons: Vec<String>,
    image_checks: String,
    extraction_passed: bool,
    seconds: f64,
    /// CPU time of the whole process over the inspection: the engine runs on one core (ONNX
    /// Runtime with one thread), so this is what the image costs, whatever else the machine does.
    cpu_seconds: f64,
}

fn photo_of(entry: &Entry, capture: Capture, seed: u32) -> Result<Vec<u8>> {
    let original = std::fs::read(&entry.path)?;
    if capture == Capture::Scan {
        return Ok(original);
    }
    let mut image: RgbImage = image::load_from_memory(&original)?.to_rgb8();
    for degradation in capture.degradations() {
        // Renders are made at a photo's resolution already (10 px/mm).
        if entry.capture == "generated" && matches!(degradation, Degradation::Resize(_)) {
            continue;
        }
        image = degrade(&image, degradation, seed)?;
    }
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image).write_to(&mut out, ImageFormat::Jpeg)?;
    Ok(out.into_inner())
}

fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

async fn run(
    analysers: &verifyd_domain::analysers::Analysers,
    entry: &Entry,
    bytes: Vec<u8>,
) -> Result<Outcome> {
    let now = SystemClock.now();
    let today = now.date_naive();
    let image = PartImage {
        classifier: Classifier::Front,
        bytes: Bytes::from(bytes),
    };
    let documents = analysers
        .documents
        .clone()
        .ok_or_else(|| anyhow!("no document analyser"))?;
    let reading = documents.read(vec![image.clone()], today).await?;
    let start = Instant::now();
    let cpu_start = ProcessTime::now();
    let results = inspect_id(
        analysers,
        Inspection {
            id: vec![image],
            selfie: None,
            country: None,
            id_type: None,
            now,
        },
    )
    .await?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu_seconds = cpu_start.elapsed().as_secs_f64();
    let overall = OverallDecision::from_results(&results);
    let document = outcome_document(&results, &overall);
    let reasons = document
        .pointer("/capabilities/usability/0/data/reasons")
        .and_then(Value::as_array)
        .map(|reasons| {
            reasons
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(Outcome {
        identified: reading.check_digits_pass == Some(true),
        wrong: manifest::wrong_fields(entry, &reading),
        usability: text(
            &document,
            "/capabilities/usability/0/decision/details/label",
        ),
        reasons,
        image_checks: text(
            &document,
            "/capabilities/imageChecks/0/decision/details/label",
        ),
        extraction_passed: text(&document, "/capabilities/extraction/0/decision/type") == "PASSED",
        seconds,
        cpu_seconds,
    })
}

/// PassportEye's reading of each path: whether its number, birth date and surname match the
/// manifest (its other fields are cut differently), and its seconds.
fn passporteye(paths: &[(PathBuf, &Entry)]) -> Result<Vec<(bool, f64)>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/benches/passporteye_run.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .env("OMP_THREAD_LIMIT", "1")
        .env("OMP_NUM_THREADS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let list: String = paths
        .iter()
        .map(|(path, _)| format!("{}\n", path.display()))
        .collect();
    let mut stdin = child.stdin.take().ok_or_else(|| anyhow!("no stdin"))?;
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
    let mut by_path: BTreeMap<String, (Value, f64)> = BTreeMap::new();
    for (index, line) in BufReader::new(stdout).lines().enumerate() {
        let value: Value = serde_json::from_str(&line?)?;
        if index == 0 {
            if let Some(error) = value.get("error").and_then(Value::as_str) {
                return Err(anyhow!("PassportEye cannot run: {error}"));
            }
            continue;
        }
        let seconds = value.get("seconds").and_then(Value::as_f64).unwrap_or(0.0);
        by_path.insert(text(&value, "/path"), (value, seconds));
    }
    child.wait()?;
    writer
        .join()
        .map_err(|_| anyhow!("writer failed"))?
        .map_err(|error| anyhow!("writing to python3: {error}"))?;
    Ok(paths
        .iter()
        .map(|(path, entry)| {
            let Some((value, seconds)) = by_path.get(&path.display().to_string()) else {
                return (false, 0.0);
            };
            let field = |key: &str| text(value, &format!("/mrz/{key}")).replace('<', " ");
            let want = |key: &str| {
                entry
                    .fields
                    .iter()
                    .find(|(name, _)| name == key)
                    .map(|(_, value)| value.clone())
                    .unwrap_or_default()
            };
            let dob: String = want("dateOfBirth")
                .chars()
                .filter(char::is_ascii_digit)
                .skip(2)
                .collect();
            let right = field("number").trim() == want("documentNumber")
                && field("date_of_birth") == dob
                && field("surname").trim() == want("lastName");
            (right, *seconds)
        })
        .collect())
}

/// Renders per format of the generated set.
const GENERATED_PER_FORMAT: u32 = 4;

/// Documents rendered by the engine, each as an entry whose fields come from its true MRZ
/// (parsed by the engine's parser, as the manifest's come from the printed one), saved in
/// `dir` as PNG so that PassportEye reads the same files.
fn generated(dir: &Path) -> Result<Vec<Entry>> {
    use verifyd_engine::documents::mrz::{parse, MrzDate, MrzFormat, Sex};
    use verifyd_engine::documents::synthetic::{render, OcrB};
    let font = OcrB::load()?;
    let year = 2026;
    let mut entries = Vec::new();
    for (format, name) in [
        (MrzFormat::Td1, "TD1"),
        (MrzFormat::Td2, "TD2"),
        (MrzFormat::Td3, "TD3"),
        (MrzFormat::MrvA, "MRVA"),
        (MrzFormat::MrvB, "MRVB"),
    ] {
        for seed in 1..=GENERATED_PER_FORMAT {
            let specimen = render(&font, format, seed, year, 10.0);
            let truth = parse(&specimen.mrz, year)?;
            let path = dir.join(format!("generated-{name}-{seed}.png"));
            specimen.image.save(&path)?;
            let date = |date: Option<MrzDate>| {
                date.and_then(MrzDate::naive)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            };
            let fields = [
                ("documentNumber", truth.document_number.clone()),
                ("dateOfBirth", date(truth.birth_date)),
                ("expiryDate", date(truth.expiry_date)),
                ("issuingCountry", truth.issuing_state_alpha3().to_owned()),
                ("nationality", truth.nationality_alpha3().to_owned()),
                ("lastName", truth.surname.clone()),
                ("firstName", truth.given_names.clone()),
                (
                    "gender",
                    match truth.sex {
                        Some(Sex::Male) => "M",
                        Some(Sex::Female) => "F",
                        _ => "X",
                    }
                    .to_owned(),
                ),
            ];
            entries.push(Entry {
                file: format!("generated-{name}-{seed}.png"),
                path,
                kind: "mrz".to_owned(),
                format: Some(name.to_owned()),
                capture: "generated".to_owned(),
                fields: fields
                    .into_iter()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect(),
            });
        }
    }
    Ok(entries)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn main() -> Result<()> {
    let skip_peer = std::env::args().any(|arg| arg == "--no-peer");
    let workdir = tempfile::tempdir()?;
    if std::env::args().any(|arg| arg == "--keep") {
        // The photos made from the scans, for `verifyd inspect --explain` afterwards.
        eprintln!("the images are kept in {}", workdir.path().display());
    }
    let mut entries = manifest::entries()?;
    entries.extend(generated(workdir.path())?);
    let settings = Settings::default();
    let analysers = verifyd_analysers::available(&analyser_settings(&settings))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut groups: BTreeMap<(Capture, String), Vec<Measured>> = BTreeMap::new();
    for capture in Capture::ALL {
        for (index, entry) in entries.iter().enumerate() {
            let bytes = photo_of(entry, capture, index as u32 + 1)?;
            let path = workdir.path().join(format!("{capture:?}-{index}.jpg"));
            std::fs::write(&path, &bytes)?;
            let outcome = runtime.block_on(run(&analysers, entry, bytes))?;
            let format = match (&entry.format, entry.kind.as_str()) {
                (Some(format), "mrz") if entry.capture == "render" => format!("{format} (render)"),
                (Some(format), "mrz") if entry.capture == "generated" => {
                    format!("{format} (generated by verifyd)")
                }
                (Some(format), "mrz") => format.clone(),
                _ => "negative".to_owned(),
            };
            eprintln!(
                "{:<22} {:<40} read={} wrong={:?} usability={}{:?} imageChecks={} {:.2}s CPU ({:.2}s wall)",
                format!("{capture:?}"),
                entry.file,
                outcome.identified,
                outcome.wrong,
                outcome.usability,
                outcome.reasons,
                outcome.image_checks,
                outcome.cpu_seconds,
                outcome.seconds
            );
            groups
                .entry((capture, format))
                .or_default()
                .push((outcome, path, index));
        }
    }
    println!("| capture | format | images | read right | passed right | refused (label: reasons) | misread | median CPU s | max CPU s | PassportEye right | PassportEye median s |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    // The bound: every image made from a real scan within a second of CPU.
    let mut over_a_second: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((capture, format), outcomes) in &groups {
        let images = outcomes.len();
        let read_right = outcomes
            .iter()
            .filter(|(o, _, _)| o.identified && o.wrong.is_empty())
            .count();
        let passed_right = outcomes
            .iter()
            .filter(|(o, _, _)| o.extraction_passed && o.wrong.is_empty())
            .count();
        let misread = outcomes
            .iter()
            .filter(|(o, _, _)| o.identified && !o.wrong.is_empty())
            .count();
        let mut refused: BTreeMap<String, usize> = BTreeMap::new();
        for (outcome, _, _) in outcomes {
            let label = if outcome.usability != "OK" {
                format!("{}: {}", outcome.usability, outcome.reasons.join("+"))
            } else if outcome.image_checks != "OK" {
                outcome.image_checks.clone()
            } else {
                continue;
            };
            *refused.entry(label).or_default() += 1;
        }
        let refused: Vec<String> = refused
            .iter()
            .map(|(label, count)| format!("{count} {label}"))
            .collect();
        let mut seconds: Vec<f64> = outcomes.iter().map(|(o, _, _)| o.cpu_seconds).collect();
        let slowest = seconds.iter().copied().fold(0.0, f64::max);
        if !format.contains("(render)") && !format.contains("(generated") {
            let counts = over_a_second.entry(capture.name()).or_default();
            counts.0 += seconds.iter().filter(|s| **s > 1.0).count();
            counts.1 += seconds.len();
        }
        let (peer_right, peer_seconds) = if skip_peer || format == "negative" {
            ("-".to_owned(), "-".to_owned())
        } else {
            let paths: Vec<(PathBuf, &Entry)> = outcomes
                .iter()
                .filter_map(|(_, path, index)| Some((path.clone(), entries.get(*index)?)))
                .collect();
            match passporteye(&paths) {
                Ok(peer) => {
                    let right = peer.iter().filter(|(right, _)| *right).count();
                    let mut times: Vec<f64> = peer.iter().map(|(_, s)| *s).collect();
                    (format!("{right}"), format!("{:.2}", median(&mut times)))
                }
                Err(error) => (format!("({error})"), "-".to_owned()),
            }
        };
        println!(
            "| {} | {format} | {images} | {read_right} | {passed_right} | {} | {misread} | {:.2} | {slowest:.2} | {peer_right} | {peer_seconds} |",
            capture.name(),
            refused.join(", "),
            median(&mut seconds),
        );
    }
    for (capture, (over, images)) in &over_a_second {
        println!("over a second of CPU, made from the real set: {capture}: {over} of {images}");
    }
    if std::env::args().any(|arg| arg == "--keep") {
        let _kept = workdir.keep();
    }
    Ok(())
}

//! The real-document benchmark: the development set of real specimen scans
//! (`../shared/real-documents/`, read in place) and photos made from them, through the same
//! analysers and rules as processing, with PassportEye on the same MRZ images.
//!
//! Per capture kind and format it reports: read with every field right (the reading itself, and
//! the decision: extraction PASSED with those fields), refused (by label and reason), misread
//! (the MRZ's check digits pass, a field is wrong), and the time per image (median, one image
//! at a time on one thread, models loaded once). The photo conditions are made from the scans
//! here (no real photo of an MRZ document is in the set): a phone photo (tilt, turn, uneven
//! light, focus, sensor noise, JPEG), the same photo with a lamp's reflection on the laminate,
//! and the scan printed on a colour copier and photographed. Where the reflection covers what
//! must be read, the right outcome is a refusal whose reason is `GLARE`.
//!
//! The real set has no licence back, so licence backs are rendered here (an AAMVA PDF417 of
//! six jurisdictions, 12 px/mm, modules of 3 px), each laid on a white
//! scanner page with margins from 40 to 340 px, front and back read together, under the same
//! four captures: renders, not real documents.
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
use verifyd_domain::analysers::{PartImage, ReadingSource};
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
    PhotoWithGlare,
    PrintedAndPhotographed,
}

impl Capture {
    const ALL: [Capture; 4] = [
        Capture::Scan,
        Capture::Photo,
        Capture::PhotoWithGlare,
        Capture::PrintedAndPhotographed,
    ];

    fn name(self) -> &'static str {
        match self {
            Capture::Scan => "scan (as published)",
            Capture::Photo => "phone photo of the scan",
            Capture::PhotoWithGlare => "phone photo, lamp reflected",
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
            // The reflection lands before the lens blurs and the phone compresses it; an
            // ellipse of 6% of the frame, placed at random, as a desk lamp on a laminate.
            Capture::PhotoWithGlare => {
                let mut chain = vec![Degradation::Resize(2.5)];
                let (light, camera) = Degradation::PHONE_PHOTO.split_at(3);
                chain.extend(light);
                chain.push(Degradation::Glare(0.06));
                chain.extend(camera);
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

/// The licence back's image beside each licence entry (its `path` is the front).
type Backs = BTreeMap<String, PathBuf>;

/// The image at `path` as `capture` makes it, JPEG-encoded (a scan as published is its file).
fn photo_of(path: &Path, rendered: bool, capture: Capture, seed: u32) -> Result<Vec<u8>> {
    let original = std::fs::read(path)?;
    if capture == Capture::Scan {
        return Ok(original);
    }
    let mut image: RgbImage = image::load_from_memory(&original)?.to_rgb8();
    for degradation in capture.degradations() {
        if rendered && matches!(degradation, Degradation::Resize(_)) {
            continue;
        }
        image = degrade(&image, degradation, seed)?;
    }
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image).write_to(&mut out, ImageFormat::Jpeg)?;
    Ok(out.into_inner())
}

/// `entry`'s sides as `capture` makes them: the front, and a licence's back.
fn sides_of(entry: &Entry, backs: &Backs, capture: Capture, seed: u32) -> Result<Vec<PartImage>> {
    // Renders are made at a photo's resolution already (the MRZ renders at 10 px/mm, the
    // licences at 12), where the real scans (300-600 px) are enlarged first.
    let rendered = entry.capture == "generated" || entry.kind == "licence";
    let mut sides = vec![PartImage {
        classifier: Classifier::Front,
        bytes: Bytes::from(photo_of(&entry.path, rendered, capture, seed)?),
    }];
    if let Some(back) = backs.get(&entry.file) {
        sides.push(PartImage {
            classifier: Classifier::Back,
            bytes: Bytes::from(photo_of(back, rendered, capture, seed)?),
        });
    }
    Ok(sides)
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
    sides: Vec<PartImage>,
) -> Result<Outcome> {
    let now = SystemClock.now();
    let today = now.date_naive();
    let documents = analysers
        .documents
        .clone()
        .ok_or_else(|| anyhow!("no document analyser"))?;
    let reading = documents.read(sides.clone(), today).await?;
    let start = Instant::now();
    let cpu_start = ProcessTime::now();
    let results = inspect_id(
        analysers,
        Inspection {
            id: sides,
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
        // A licence's barcode has no check digit: its AAMVA structure and issuer identify it.
        identified: reading.check_digits_pass == Some(true)
            || reading.source == Some(ReadingSource::Barcode),
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

/// Licence holders of six jurisdictions: the front rendered, the back's PDF417 laid on a white
/// scanner page, margins growing from 40 to 340 px; both saved in `dir`. Each entry's path is
/// the front, `backs` names its back.
fn licences(dir: &Path, backs: &mut Backs) -> Result<Vec<Entry>> {
    use verifyd_engine::documents::synthetic::{licence_back, licence_front, LicenceHolder, OcrB};
    use verifyd_testkit::on_white;
    let font = OcrB::load()?;
    let jurisdictions = [
        ("CA", "636014", "FRESNO", "ROSALIND", "OKAFOR"),
        ("TX", "636015", "AUSTIN", "MATEO", "GUTIERREZ"),
        ("NY", "636001", "ALBANY", "PRIYA", "RAMANATHAN"),
        ("FL", "636010", "TAMPA", "DWAYNE", "LEFEBVRE"),
        ("IL", "636035", "PEORIA", "KATARZYNA", "NOWAK"),
        ("WA", "636045", "SPOKANE", "HIROSHI", "TANAKA"),
    ];
    let mut entries = Vec::new();
    for (index, (state, iin, city, first, last)) in jurisdictions.into_iter().enumerate() {
        let step = index as i32;
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let holder = LicenceHolder {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            date_of_birth: date(1958 + 7 * step, 1 + 2 * step as u32, 3 + 4 * step as u32),
            issue_date: date(2021 + step % 3, 6, 15),
            expiry_date: date(2029 + step % 4, 1 + 2 * step as u32, 3 + 4 * step as u32),
            number: format!(
                "{}{:07}",
                (b'A' + 3 * index as u8) as char,
                2_604_117 + 7_919 * index
            ),
            state: state.to_owned(),
            iin: iin.to_owned(),
            street: format!("{} OAK AVE", 100 + 37 * index),
            city: city.to_owned(),
            postal_code: format!("{:05}", 10_101 + 13_331 * index),
        };
        let file = format!("licence-{state}.png");
        let front = dir.join(&file);
        licence_front(&font, &holder, 12.0).save(&front)?;
        let back = dir.join(format!("licence-{state}-back.png"));
        on_white(&licence_back(&holder)?, 40 + 60 * index as u32).save(&back)?;
        backs.insert(file.clone(), back);
        let day = |date: chrono::NaiveDate| date.format("%Y-%m-%d").to_string();
        entries.push(Entry {
            file,
            path: front,
            kind: "licence".to_owned(),
            format: Some("PDF417 licence, back on white".to_owned()),
            capture: "render".to_owned(),
            fields: vec![
                ("documentNumber".to_owned(), holder.number.clone()),
                ("dateOfBirth".to_owned(), day(holder.date_of_birth)),
                ("expiryDate".to_owned(), day(holder.expiry_date)),
                ("issuingCountry".to_owned(), "USA".to_owned()),
                ("lastName".to_owned(), holder.last_name.clone()),
                ("firstName".to_owned(), holder.first_name.clone()),
            ],
        });
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
    let mut backs = Backs::new();
    entries.extend(licences(workdir.path(), &mut backs)?);
    let settings = Settings::default();
    let analysers = verifyd_analysers::available(&analyser_settings(&settings))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut groups: BTreeMap<(Capture, String), Vec<Measured>> = BTreeMap::new();
    for capture in Capture::ALL {
        for (index, entry) in entries.iter().enumerate() {
            let sides = sides_of(entry, &backs, capture, index as u32 + 1)?;
            let path = workdir.path().join(format!("{capture:?}-{index}.jpg"));
            for side in &sides {
                let path = match side.classifier {
                    Classifier::Back => {
                        workdir.path().join(format!("{capture:?}-{index}-back.jpg"))
                    }
                    _ => path.clone(),
                };
                std::fs::write(&path, &side.bytes)?;
            }
            let outcome = runtime.block_on(run(&analysers, entry, sides))?;
            let format = match (&entry.format, entry.kind.as_str()) {
                (Some(format), "licence") => format!("{format} (render)"),
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
    // The issue's bound: every image made from a real scan within a second of CPU.
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
        let mrz = outcomes
            .iter()
            .all(|(_, _, index)| entries.get(*index).is_some_and(|e| e.kind == "mrz"));
        let (peer_right, peer_seconds) = if skip_peer || !mrz {
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

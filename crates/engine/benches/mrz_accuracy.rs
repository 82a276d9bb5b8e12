//! How exactly, and how fast, the MRZ is read from photographed documents, side by side with
//! PassportEye (PyPI `passporteye`, on tesseract) on the same photos.
//!
//! For each format (TD1, TD2, TD3, MRV-A, MRV-B) it renders `MRZ_ACCURACY_DOCS` documents
//! (default 60, so 300 documents) and photographs each twice, written as JPEG files into a
//! temporary directory: clean (the render, JPEG quality 95) and degraded as a phone photo is
//! (rotated 1-8 degrees either way, a mild perspective, uneven light, blur of sigma 0.7-1.2,
//! noise of 6-10 grey levels, JPEG quality 60-80; every parameter drawn from the document's
//! seed, so runs are identical). verifyd reads every photo from its file with one ONNX Runtime
//! thread; then one `python3` process runs `passporteye.read_mrz` on the same files
//! (`benches/passporteye_run.py`, tesseract limited to one thread by `OMP_THREAD_LIMIT=1`).
//! Both are timed per photo, file decoding included, and every MRZ field is compared with the
//! rendered MRZ, which is right by construction.
//!
//! Fields: verifyd's are its parsed [`Mrz`] fields against those of the true MRZ parsed by the
//! same parser. PassportEye returns the MRZ's own representation (dates as YYMMDD, numbers and
//! codes with their fillers, a long TD1/TD2 document number not joined to its continuation),
//! so its fields are compared with the true MRZ cut up exactly as PassportEye cuts it: it is
//! not marked wrong for what it does not claim to do.
//!
//! It prints, per format and per clean/degraded, the share of photos with every field exact,
//! each field's accuracy and the median time per photo for both readers, the speed ratio and
//! every verifyd misread; the same is written as markdown to `target/mrz_accuracy.md`.
//!
//! Needs the models (`scripts/fetch-models`), the OCR-B font (`scripts/setup-test-assets`) and,
//! for the comparison, tesseract and PassportEye (`scripts/setup-bench-peers`); without
//! PassportEye it says so and reports verifyd alone. Run:
//!
//! ```text
//! scripts/fetch-models && scripts/setup-test-assets && scripts/setup-bench-peers
//! cargo bench -p verifyd-engine --features synthetic --bench mrz_accuracy
//! ```
//!
//! `MRZ_ACCURACY_DOCS=n` renders n documents per format; `MRZ_ACCURACY_SKIP_PASSPORTEYE=1`
//! runs verifyd alone.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use verifyd_engine::documents::mrz::{parse, read_mrz, Mrz, MrzFormat};
use verifyd_engine::documents::synthetic::{render, OcrB};

mod photo;
use photo::{median, one_thread_reader, percent, publish, share, write_jpeg, BenchResult, Damage};

const REFERENCE_YEAR: u16 = 2026;
const PIXELS_PER_MM: f32 = 10.0;
const DEFAULT_DOCUMENTS: u32 = 60;
const CLEAN_JPEG_QUALITY: u8 = 95;
const FIELD_NAMES: [&str; 11] = [
    "code", "state", "surname", "given", "number", "nation", "birth", "sex", "expiry", "opt1",
    "opt2",
];
/// Goals of the document-engine issue.
const CLEAN_GOAL: f64 = 0.99;
const DEGRADED_GOAL: f64 = 0.95;
const SPEED_GOAL: f64 = 6.0;
const MILLISECONDS_GOAL: f64 = 100.0;

/// The eleven MRZ fields, as text, in the order of [`FIELD_NAMES`].
type Fields = [String; 11];

fn format_name(format: MrzFormat) -> &'static str {
    match format {
        MrzFormat::Td1 => "TD1",
        MrzFormat::Td2 => "TD2",
        MrzFormat::Td3 => "TD3",
        MrzFormat::MrvA => "MRV-A",
        MrzFormat::MrvB => "MRV-B",
    }
}

/// Whether the format has the field at `index` (the second optional data is TD1's alone).
fn has_field(format: MrzFormat, index: usize) -> bool {
    index != 10 || format == MrzFormat::Td1
}

/// One photo on disk and what it shows.
struct Photo {
    path: PathBuf,
    format: MrzFormat,
    /// `None` for the clean photo.
    damage: Option<Damage>,
    /// The MRZ as printed, lines separated by '\n'.
    truth: String,
}

fn photos(font: &OcrB, per_format: u32, dir: &Path) -> BenchResult<Vec<Photo>> {
    let mut photos = Vec::new();
    for (format_index, format) in MrzFormat::ALL.into_iter().enumerate() {
        for index in 0..per_format {
            let seed = 10_000 * (format_index as u32 + 1) + index;
            let specimen = render(font, format, seed, REFERENCE_YEAR, PIXELS_PER_MM);
            let name = format!("{}-{index:03}", format_name(format).to_lowercase());
            let clean = dir.join(format!("{name}-clean.jpg"));
            write_jpeg(&specimen.image, &clean, CLEAN_JPEG_QUALITY)?;
            photos.push(Photo {
                path: clean,
                format,
                damage: None,
                truth: specimen.mrz.clone(),
            });
            let damage = Damage::drawn(seed);
            let degraded = dir.join(format!("{name}-degraded.jpg"));
            write_jpeg(
                &damage.apply(&specimen.image, seed)?,
                &degraded,
                damage.jpeg,
            )?;
            photos.push(Photo {
                path: degraded,
                format,
                damage: Some(damage),
                truth: specimen.mrz,
            });
        }
    }
    Ok(photos)
}

fn verifyd_fields(mrz: &Mrz) -> Fields {
    let date = |date: Option<_>| date.map_or_else(|| "?".to_owned(), |d| format!("{d}"));
    [
        mrz.document_code.clone(),
        mrz.issuing_state.clone(),
        mrz.surname.clone(),
        mrz.given_names.clone(),
        mrz.document_number.clone(),
        mrz.nationality.clone(),
        date(mrz.birth_date),
        mrz.sex
            .map_or_else(|| "?".to_owned(), |sex| format!("{sex:?}")),
        date(mrz.expiry_date),
        mrz.optional_data_1.clone(),
        mrz.optional_data_2.clone(),
    ]
}

/// `text[range]`, padded with fillers as PassportEye pads a short line.
fn cut(line: &str, start: usize, end: usize) -> String {
    let padded = format!("{line:<<width$}", width = end);
    padded.get(start..end).unwrap_or_default().to_owned()
}

/// PassportEye's names: surname and given names split at the first "<<", fillers as spaces.
fn passporteye_names(zone: &str) -> (String, String) {
    let (surname, names) = zone.split_once("<<").unwrap_or((zone, ""));
    let clean = |part: &str| part.replace('<', " ").trim().to_owned();
    (clean(surname), clean(names))
}

/// The true MRZ cut up as PassportEye's `MRZ` class cuts it (passporteye/mrz/text.py).
fn passporteye_truth(format: MrzFormat, truth: &str) -> Fields {
    let lines: Vec<&str> = truth.split('\n').collect();
    let line = |index: usize| lines.get(index).copied().unwrap_or_default();
    let (a, b) = (line(0), line(1));
    match format {
        MrzFormat::Td1 => {
            let c = line(2);
            let (surname, names) = passporteye_names(c);
            [
                cut(a, 0, 2),
                cut(a, 2, 5),
                surname,
                names,
                cut(a, 5, 14),
                cut(b, 15, 18),
                cut(b, 0, 6),
                cut(b, 7, 8),
                cut(b, 8, 14),
                cut(a, 15, 30),
                cut(b, 18, 29),
            ]
        }
        MrzFormat::Td2 | MrzFormat::Td3 | MrzFormat::MrvA | MrzFormat::MrvB => {
            let length = format.line_length();
            let (surname, names) = passporteye_names(&cut(a, 5, length));
            let optional_end = match format {
                MrzFormat::Td2 => 35,
                MrzFormat::Td3 => 42,
                _ => length,
            };
            [
                cut(a, 0, 2),
                cut(a, 2, 5),
                surname,
                names,
                cut(b, 0, 9),
                cut(b, 10, 13),
                cut(b, 13, 19),
                cut(b, 20, 21),
                cut(b, 21, 27),
                cut(b, 28, optional_end),
                String::new(),
            ]
        }
    }
}

/// PassportEye's reading of one photo, in [`FIELD_NAMES`] order.
fn passporteye_fields(mrz: &serde_json::Value) -> Fields {
    let get = |key: &str| {
        mrz.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let optional1 = if mrz.get("personal_number").is_some() {
        get("personal_number")
    } else {
        get("optional1")
    };
    [
        get("type"),
        get("country"),
        get("surname"),
        get("names"),
        get("number"),
        get("nationality"),
        get("date_of_birth"),
        get("sex"),
        get("expiration_date"),
        optional1,
        get("optional2"),
    ]
}

/// One reader's result on one photo: the fields read (`None` when no MRZ was found) and the
/// seconds it took.
#[derive(Clone)]
struct Outcome {
    fields: Option<Fields>,
    seconds: f64,
}

fn wrong_fields(format: MrzFormat, truth: &Fields, outcome: &Outcome) -> Vec<usize> {
    (0..FIELD_NAMES.len())
        .filter(|&index| has_field(format, index))
        .filter(|&index| {
            outcome
                .fields
                .as_ref()
                .is_none_or(|fields| fields.get(index) != truth.get(index))
        })
        .collect()
}

fn run_verifyd(photos: &[Photo]) -> BenchResult<Vec<Outcome>> {
    let reader = one_thread_reader()?;
    let mut outcomes = Vec::with_capacity(photos.len());
    for (done, photo) in photos.iter().enumerate() {
        let start = Instant::now();
        let image = image::open(&photo.path)?;
        let reading = read_mrz(&reader, &image, REFERENCE_YEAR)?;
        let seconds = start.elapsed().as_secs_f64();
        outcomes.push(Outcome {
            fields: reading.map(|reading| verifyd_fields(&reading.mrz)),
            seconds,
        });
        if (done + 1).checked_rem(100) == Some(0) {
            eprintln!("verifyd: {} of {} photos", done + 1, photos.len());
        }
    }
    Ok(outcomes)
}

/// PassportEye's outcomes, or why it could not run.
fn run_passporteye(photos: &[Photo]) -> Result<Vec<Outcome>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/passporteye_run.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .env("OMP_THREAD_LIMIT", "1")
        .env("OMP_NUM_THREADS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start python3: {error}"))?;
    let paths: String = photos
        .iter()
        .map(|photo| format!("{}\n", photo.path.display()))
        .collect();
    let mut stdin = child.stdin.take().ok_or("python3 has no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(paths.as_bytes()));
    let stdout = child.stdout.take().ok_or("python3 has no stdout")?;
    let mut by_path: HashMap<String, Outcome> = HashMap::new();
    let mut header = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|error| format!("reading PassportEye's output: {error}"))?;
        let value: serde_json::Value = serde_json::from_str(&line)
            .map_err(|error| format!("PassportEye printed {line:?}: {error}"))?;
        if header.is_none() {
            if let Some(error) = value.get("error").and_then(serde_json::Value::as_str) {
                let _ = child.wait();
                return Err(error.to_owned());
            }
            header = Some(value);
            continue;
        }
        let path = value
            .get("path")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let seconds = value
            .get("seconds")
            .and_then(serde_json::Value::as_f64)
            .unwrap_or_default();
        let fields = value
            .get("mrz")
            .filter(|mrz| !mrz.is_null())
            .map(passporteye_fields);
        by_path.insert(path, Outcome { fields, seconds });
        if by_path.len().checked_rem(100) == Some(0) {
            eprintln!("PassportEye: {} of {} photos", by_path.len(), photos.len());
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("waiting for python3: {error}"))?;
    match writer.join() {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return Err(format!("writing to python3: {error}")),
        Err(_) => return Err("the thread writing to python3 failed".to_owned()),
    }
    if !status.success() {
        return Err(format!("python3 {} exited with {status}", script.display()));
    }
    if let Some(header) = header {
        eprintln!("PassportEye: {header}");
    }
    photos
        .iter()
        .map(|photo| {
            by_path
                .get(&photo.path.display().to_string())
                .cloned()
                .ok_or_else(|| format!("PassportEye gave no result for {}", photo.path.display()))
        })
        .collect()
}

/// The figures of one reader on one group of photos.
struct Figures {
    photos: usize,
    found: usize,
    all_exact: usize,
    /// Per field: right, and out of how many.
    fields: [(usize, usize); 11],
    median_ms: f64,
}

fn figures<'a>(
    rows: impl Iterator<Item = (&'a Photo, &'a Fields, &'a Outcome)>,
) -> Option<Figures> {
    let mut figures = Figures {
        photos: 0,
        found: 0,
        all_exact: 0,
        fields: [(0, 0); 11],
        median_ms: 0.0,
    };
    let mut times = Vec::new();
    for (photo, truth, outcome) in rows {
        figures.photos += 1;
        figures.found += usize::from(outcome.fields.is_some());
        let wrong = wrong_fields(photo.format, truth, outcome);
        figures.all_exact += usize::from(wrong.is_empty());
        for (index, (right, of)) in figures.fields.iter_mut().enumerate() {
            if has_field(photo.format, index) {
                *of += 1;
                *right += usize::from(!wrong.contains(&index));
            }
        }
        times.push(outcome.seconds * 1000.0);
    }
    figures.median_ms = median(times);
    (figures.photos > 0).then_some(figures)
}

/// The figures of one reader on the photos at `indices`.
fn pick(
    photos: &[Photo],
    indices: &[usize],
    truths: &[Fields],
    outcomes: &[Outcome],
) -> Option<Figures> {
    figures(
        indices
            .iter()
            .filter_map(|&i| Some((photos.get(i)?, truths.get(i)?, outcomes.get(i)?))),
    )
}

struct Group {
    label: String,
    clean: bool,
    verifyd: Figures,
    passporteye: Option<Figures>,
}

fn markdown(groups: &[Group], peer_note: &str) -> BenchResult<String> {
    let mut out = String::new();
    writeln!(
        out,
        "Fields in %: every field exact (\"all\") and each field; median milliseconds per photo \
         (file decoding included), one core each. {peer_note}\n"
    )?;
    write!(out, "| format | photos | reader | found | all |")?;
    for name in FIELD_NAMES {
        write!(out, " {name} |")?;
    }
    writeln!(out, " median ms | speed-up |")?;
    writeln!(out, "|{}", "---|".repeat(6 + FIELD_NAMES.len() + 2))?;
    for group in groups {
        let mut row = |reader: &str, figures: &Figures, ratio: &str| -> std::fmt::Result {
            write!(
                out,
                "| {} | {} | {reader} | {} | {} |",
                group.label,
                figures.photos,
                figures.found,
                percent(figures.all_exact, figures.photos)
            )?;
            for (right, of) in figures.fields {
                write!(out, " {} |", percent(right, of))?;
            }
            writeln!(out, " {:.0} | {ratio} |", figures.median_ms)
        };
        let ratio = group.passporteye.as_ref().map_or_else(
            || "–".to_owned(),
            |peer| format!("{:.1}x", peer.median_ms / group.verifyd.median_ms),
        );
        row("verifyd", &group.verifyd, &ratio)?;
        if let Some(peer) = &group.passporteye {
            row("PassportEye", peer, "")?;
        }
    }
    Ok(out)
}

fn main() -> BenchResult<()> {
    let per_format = std::env::var("MRZ_ACCURACY_DOCS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_DOCUMENTS);
    let skip_peer = std::env::var_os("MRZ_ACCURACY_SKIP_PASSPORTEYE").is_some();
    let dir = std::env::temp_dir().join("verifyd-mrz-accuracy");
    fs::create_dir_all(&dir)?;

    let start = Instant::now();
    let photos = photos(&OcrB::load()?, per_format, &dir)?;
    eprintln!(
        "rendered {} photos ({per_format} documents per format, clean and degraded) into {} in {:.0} s",
        photos.len(),
        dir.display(),
        start.elapsed().as_secs_f64()
    );
    let truths: Vec<Fields> = photos
        .iter()
        .map(|photo| parse(&photo.truth, REFERENCE_YEAR).map(|mrz| verifyd_fields(&mrz)))
        .collect::<Result<_, _>>()?;
    let peer_truths: Vec<Fields> = photos
        .iter()
        .map(|photo| passporteye_truth(photo.format, &photo.truth))
        .collect();

    let verifyd = run_verifyd(&photos)?;
    let (passporteye, peer_note) = if skip_peer {
        (
            None,
            "PassportEye not run (MRZ_ACCURACY_SKIP_PASSPORTEYE).".to_owned(),
        )
    } else {
        match run_passporteye(&photos) {
            Ok(outcomes) => (
                Some(outcomes),
                "PassportEye: tesseract with OMP_THREAD_LIMIT=1; fields compared on the MRZ's \
                 own representation."
                    .to_owned(),
            ),
            Err(reason) => (
                None,
                format!(
                    "PassportEye could not run ({reason}); install it with \
                     scripts/setup-bench-peers. verifyd's figures only."
                ),
            ),
        }
    };
    if passporteye.is_none() {
        eprintln!("{peer_note}");
    }

    let mut groups = Vec::new();
    let labels: Vec<(String, Option<MrzFormat>)> = MrzFormat::ALL
        .iter()
        .map(|&format| (format_name(format).to_owned(), Some(format)))
        .chain([("all".to_owned(), None)])
        .collect();
    for clean in [true, false] {
        for (name, format) in &labels {
            let selected = |index: &usize| {
                photos.get(*index).is_some_and(|photo| {
                    photo.damage.is_none() == clean && format.is_none_or(|f| f == photo.format)
                })
            };
            let indices: Vec<usize> = (0..photos.len()).filter(selected).collect();
            let Some(verifyd_figures) = pick(&photos, &indices, &truths, &verifyd) else {
                continue;
            };
            let peer_figures = passporteye
                .as_ref()
                .and_then(|outcomes| pick(&photos, &indices, &peer_truths, outcomes));
            groups.push(Group {
                label: format!("{name} {}", if clean { "clean" } else { "degraded" }),
                clean,
                verifyd: verifyd_figures,
                passporteye: peer_figures,
            });
        }
    }

    let mut report = String::from("# MRZ accuracy: verifyd and PassportEye\n\n");
    report.push_str(&markdown(&groups, &peer_note)?);

    // Goals, on the totals.
    writeln!(report, "\n## Goals\n")?;
    for group in groups.iter().filter(|group| group.label.starts_with("all")) {
        let goal = if group.clean {
            CLEAN_GOAL
        } else {
            DEGRADED_GOAL
        };
        let exact = share(group.verifyd.all_exact, group.verifyd.photos);
        writeln!(
            report,
            "- {}: every field exact on {:.1}% (goal {:.0}%): {}; median {:.0} ms (goal < {MILLISECONDS_GOAL:.0}): {}{}",
            group.label,
            100.0 * exact,
            100.0 * goal,
            if exact >= goal { "met" } else { "NOT met" },
            group.verifyd.median_ms,
            if group.verifyd.median_ms < MILLISECONDS_GOAL { "met" } else { "NOT met" },
            group.passporteye.as_ref().map_or_else(String::new, |peer| {
                let ratio = peer.median_ms / group.verifyd.median_ms;
                format!(
                    "; {ratio:.1}x PassportEye's speed (goal {SPEED_GOAL:.0}x): {}",
                    if ratio >= SPEED_GOAL { "met" } else { "NOT met" }
                )
            })
        )?;
    }

    // Every verifyd misread, with what was done to the photo.
    writeln!(report, "\n## verifyd's misreads\n")?;
    let mut misreads = 0;
    for ((photo, truth), outcome) in photos.iter().zip(&truths).zip(&verifyd) {
        let wrong = wrong_fields(photo.format, truth, outcome);
        if wrong.is_empty() {
            continue;
        }
        misreads += 1;
        let file = photo
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let what = match &outcome.fields {
            None => "no MRZ found".to_owned(),
            Some(fields) => wrong
                .iter()
                .map(|&index| {
                    format!(
                        "{} {:?} read {:?}",
                        FIELD_NAMES.get(index).copied().unwrap_or_default(),
                        truth.get(index).map_or("", String::as_str),
                        fields.get(index).map_or("", String::as_str)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        let damage = photo
            .damage
            .map_or_else(|| "clean".to_owned(), |damage| damage.to_string());
        writeln!(report, "- `{file}` ({damage}): {what}")?;
    }
    if misreads == 0 {
        writeln!(report, "None.")?;
    }

    publish(&report, "mrz_accuracy.md")
}

//! Face matching and liveness, measured on every pair that the real test photos give
//! (scripts/fetch-test-photos), side by side with OpenCV's own YuNet + SFace pipeline
//! (cv2.FaceDetectorYN / cv2.FaceRecognizerSF, scripts/opencv_faces.py) on the same images.
//!
//! Identities: the three photos of one person (obama*), the photo of another (biden), and every
//! face of the group photos (face-api's sample1-6, insightface's t1), each cut out with room
//! around it, as a person of its own. Genuine pairs: the three photos of one person with each
//! other, and each of them pasted as the portrait of a rendered passport against the two others
//! (an ID against a selfie). Impostor pairs: every pair of different identities, except faces
//! of two different face-api samples: those six photos show one group of friends, and people
//! recur among them (both verifyd and OpenCV find at least two such pairs at cosine 0.45-0.67,
//! and they look alike), so such pairs have no known truth and are counted apart.
//!
//! Reports the false match and false non-match rates at the engine's threshold, the cosines
//! closest to it, and the median time of one similarity check (detect, align and embed both
//! images, compare) and one liveness check (a selfie's passive verdict; a 7-frame capture
//! sequence), all on one thread. Run with:
//!     scripts/setup-bench-peers && cargo bench -p verifyd-engine --features synthetic --bench faces

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use image::RgbImage;
use verifyd_engine::documents::mrz::MrzFormat;
use verifyd_engine::documents::synthetic::{render, OcrB};
use verifyd_engine::faces::liveness::{self, Frame, Turn};
use verifyd_engine::faces::synthetic::{
    faces_cut_out, paste_portrait, test_photo, turn_head, GROUP_PHOTOS,
};
use verifyd_engine::faces::{compare, largest_face, FaceEngine, MATCH_THRESHOLD};
use verifyd_engine::ocr::models_dir;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

struct Sample {
    name: String,
    person: String,
    image: RgbImage,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Every identity's images, written where OpenCV can read them too.
fn samples(engine: &FaceEngine, out: &Path) -> BenchResult<Vec<Sample>> {
    let mut samples = Vec::new();
    for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"] {
        let person = if name.starts_with("obama") {
            "obama"
        } else {
            "biden"
        };
        samples.push(Sample {
            name: name.to_owned(),
            person: person.to_owned(),
            image: test_photo(name)?,
        });
    }
    let font = OcrB::load()?;
    for (seed, name) in (1..).zip(["obama.jpg", "obama2.jpg", "obama3.jpg"]) {
        let photo = test_photo(name)?;
        let faces = engine.detect(&photo)?;
        let face = largest_face(&faces).ok_or("no face")?;
        let mut passport = render(&font, MrzFormat::Td3, seed, 2026, 10.0);
        paste_portrait(&mut passport.image, passport.portrait, &photo, face);
        samples.push(Sample {
            name: format!("passport-of-{name}"),
            person: "obama".to_owned(),
            image: passport.image,
        });
    }
    for group in GROUP_PHOTOS {
        let photo = test_photo(group)?;
        let faces = engine.detect(&photo)?;
        // Small faces are scaled up as a phone would have taken them closer.
        for (index, crop) in faces_cut_out(&photo, &faces, 2.0, 400)
            .into_iter()
            .enumerate()
        {
            samples.push(Sample {
                name: format!("{group}#{index}"),
                person: format!("{group}#{index}"),
                image: crop,
            });
        }
    }
    for (index, sample) in samples.iter().enumerate() {
        sample.image.save(out.join(format!("{index}.png")))?;
    }
    Ok(samples)
}

struct PairResult {
    genuine: bool,
    /// Two faces of different face-api samples: whether they are one person is unknown.
    unknown: bool,
    ours: Option<f32>,
    ours_ms: f64,
    opencv: Option<f64>,
    opencv_ms: f64,
    label: String,
}

fn opencv(pairs: &[(usize, usize)], dir: &Path) -> BenchResult<Vec<(Option<f64>, f64)>> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let venv = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .ok_or("no HOME")?
        .join("verifyd/venv/bin/python");
    let mut child = Command::new(&venv)
        .arg(repo.join("scripts/opencv_faces.py"))
        .env("VERIFYD_MODELS_DIR", models_dir(repo.join("models")))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot start {} (run scripts/setup-bench-peers): {e}",
                venv.display()
            )
        })?;
    let mut input = String::new();
    for (a, b) in pairs {
        let line = serde_json::json!({
            "a": dir.join(format!("{a}.png")),
            "b": dir.join(format!("{b}.png")),
        });
        input.push_str(&format!("{line}\n"));
    }
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut answers = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        answers.push((
            value["cosine"].as_f64(),
            value["ms"].as_f64().unwrap_or(f64::NAN),
        ));
    }
    let _ = writer.join();
    child.wait()?;
    Ok(answers)
}

fn main() -> BenchResult<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let engine = FaceEngine::load(&models_dir(repo.join("models")))?;
    let dir = tempfile_dir()?;
    let samples = samples(&engine, &dir)?;
    let mut pairs = Vec::new();
    for a in 0..samples.len() {
        for b in a + 1..samples.len() {
            // Two passports are no ID-against-selfie pair; a passport against the photo it was
            // made from is the same picture.
            let (first, second) = (&samples[a], &samples[b]);
            let passports = first.name.starts_with("passport") as u8
                + second.name.starts_with("passport") as u8;
            let same_source =
                first.name.ends_with(&second.name) || second.name.ends_with(&first.name);
            if passports == 2 || same_source {
                continue;
            }
            pairs.push((a, b));
        }
    }
    let peer = opencv(&pairs, &dir)?;
    let mut results = Vec::new();
    for (index, (a, b)) in pairs.iter().enumerate() {
        let started = Instant::now();
        let found = compare(&engine, &samples[*a].image, &samples[*b].image)?;
        let ours_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (opencv, opencv_ms) = peer.get(index).copied().unwrap_or((None, f64::NAN));
        let face_api = |sample: &Sample| sample.name.starts_with("sample");
        let photo = |sample: &Sample| sample.name.split('#').next().map(str::to_owned);
        results.push(PairResult {
            genuine: samples[*a].person == samples[*b].person,
            unknown: face_api(&samples[*a])
                && face_api(&samples[*b])
                && photo(&samples[*a]) != photo(&samples[*b]),
            ours: found.cosine,
            ours_ms,
            opencv,
            opencv_ms,
            label: format!("{} ~ {}", samples[*a].name, samples[*b].name),
        });
    }
    report(&results);
    liveness_timing(&engine)?;
    // FACES_BENCH_KEEP=1 keeps the images, to look at the pairs it reports.
    if std::env::var_os("FACES_BENCH_KEEP").is_some() {
        println!("images kept in {}:", dir.display());
        for (index, sample) in samples.iter().enumerate() {
            println!("  {index}.png  {}", sample.name);
        }
    } else {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

fn tempfile_dir() -> BenchResult<PathBuf> {
    let dir = std::env::temp_dir().join(format!("verifyd-faces-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn report(results: &[PairResult]) {
    let threshold = f64::from(MATCH_THRESHOLD);
    let unknown: Vec<&PairResult> = results.iter().filter(|r| r.unknown).collect();
    let results: Vec<&PairResult> = results.iter().filter(|r| !r.unknown).collect();
    let genuine: Vec<&PairResult> = results.iter().copied().filter(|r| r.genuine).collect();
    let impostor: Vec<&PairResult> = results.iter().copied().filter(|r| !r.genuine).collect();
    let rate = |list: &[&PairResult], wrong: &dyn Fn(&PairResult) -> bool| {
        let count = list.iter().filter(|r| wrong(r)).count();
        format!(
            "{count}/{} ({:.1}%)",
            list.len(),
            100.0 * count as f64 / list.len().max(1) as f64
        )
    };
    println!(
        "pairs: {} genuine, {} impostor; threshold {threshold:.3}",
        genuine.len(),
        impostor.len()
    );
    println!(
        "verifyd: false non-match {}, false match {}, not possible {}",
        rate(&genuine, &|r| r
            .ours
            .is_none_or(|c| f64::from(c) < threshold)),
        rate(&impostor, &|r| r
            .ours
            .is_some_and(|c| f64::from(c) >= threshold)),
        rate(&results, &|r| r.ours.is_none()),
    );
    println!(
        "opencv:  false non-match {}, false match {}, not possible {}",
        rate(&genuine, &|r| r.opencv.is_none_or(|c| c < threshold)),
        rate(&impostor, &|r| r.opencv.is_some_and(|c| c >= threshold)),
        rate(&results, &|r| r.opencv.is_none()),
    );
    println!(
        "pairs across face-api samples (truth unknown): {}, at or above the threshold: verifyd {}, opencv {}",
        unknown.len(),
        unknown.iter().filter(|r| r.ours.is_some_and(|c| f64::from(c) >= threshold)).count(),
        unknown.iter().filter(|r| r.opencv.is_some_and(|c| c >= threshold)).count(),
    );
    let lowest_genuine = genuine
        .iter()
        .filter_map(|r| r.ours)
        .fold(f32::INFINITY, f32::min);
    let highest_impostor = impostor
        .iter()
        .filter_map(|r| r.ours)
        .fold(f32::NEG_INFINITY, f32::max);
    println!("verifyd: lowest genuine cosine {lowest_genuine:.3}, highest impostor cosine {highest_impostor:.3}");
    // An impostor pair without a face on one side is no error: nothing matched.
    for r in results
        .iter()
        .chain(&unknown)
        .filter(|r| match (r.genuine, r.ours) {
            (true, Some(c)) => f64::from(c) < threshold,
            (false, Some(c)) => f64::from(c) >= threshold,
            (genuine, None) => genuine,
        })
    {
        println!(
            "  {}: {} verifyd={:?} opencv={:?}",
            if r.unknown {
                "unknown"
            } else if r.genuine {
                "false non-match"
            } else {
                "false match"
            },
            r.label,
            r.ours,
            r.opencv
        );
    }
    let mut ours: Vec<f64> = results.iter().map(|r| r.ours_ms).collect();
    let mut theirs: Vec<f64> = results
        .iter()
        .map(|r| r.opencv_ms)
        .filter(|v| v.is_finite())
        .collect();
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    println!(
        "similarity check, median ms: verifyd {ours:.1}, opencv {theirs:.1} (verifyd {:.2}x faster)",
        theirs / ours
    );
}

fn liveness_timing(engine: &FaceEngine) -> BenchResult<()> {
    let mut selfie_ms = Vec::new();
    for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"] {
        let photo = test_photo(name)?;
        let picture = image::DynamicImage::ImageRgb8(photo.clone());
        let started = Instant::now();
        let faces = engine.detect(&photo)?;
        let _ = liveness::judge_selfie(&picture, &faces, Some(0));
        selfie_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let photo = test_photo("obama.jpg")?;
    let faces = engine.detect(&photo)?;
    let face = largest_face(&faces).ok_or("no face")?.clone();
    let mut images = vec![photo.clone()];
    for strength in [1.6, 0.0, -1.6, 0.0, 1.6, 0.0] {
        images.push(if strength == 0.0 {
            photo.clone()
        } else {
            turn_head(&photo, &face, strength)
        });
    }
    let mut sequence_ms = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let mut frames = Vec::new();
        for image in &images {
            let measured = frames.is_empty() || frames.len() + 1 == images.len();
            frames.push(Frame::describe(engine, image, measured)?);
        }
        let judged = liveness::judge_sequence(&[Turn::Left, Turn::Right, Turn::Left], &frames);
        sequence_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(judged.finding.label, liveness::Label::Ok, "{judged:?}");
    }
    println!(
        "liveness check, median ms: one selfie (passive, without the OCR text count) {:.1}; a 7-frame capture sequence {:.1}",
        median(&mut selfie_ms),
        median(&mut sequence_ms)
    );
    Ok(())
}

//! The locator on the real scans in the shared development set (read in place, never
//! copied): mostly tight crops, some with white margins. Skipped, with a note, where the set
//! is not on the machine.

use std::path::{Path, PathBuf};

use image::RgbImage;

use super::{corner_error, padded, TestResult, TOLERANCE};
use crate::documents::locate::{locate, Located, LocatedKind};
use crate::documents::synthetic::on_desk;

const SCANS: &str = "/work/shared/real-documents/images";

fn scans() -> Option<Vec<(PathBuf, RgbImage)>> {
    let dir = Path::new(SCANS);
    let Ok(entries) = std::fs::read_dir(dir) else {
        println!("skipped: no real scans at {SCANS}");
        return None;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "png" || ext == "jpg")
        })
        .collect();
    paths.sort();
    let images = paths
        .into_iter()
        .filter_map(|path| {
            let image = image::open(&path).ok()?.to_rgb8();
            Some((path, image))
        })
        .collect();
    Some(images)
}

fn bounds(found: &Located) -> [f32; 4] {
    let xs = found.corners.map(|p| p[0]);
    let ys = found.corners.map(|p| p[1]);
    let low = |v: [f32; 4]| v.iter().copied().fold(f32::INFINITY, f32::min);
    let high = |v: [f32; 4]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    [low(xs), low(ys), high(xs), high(ys)]
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn real_scans_keep_most_of_the_scan() -> TestResult {
    let Some(scans) = scans() else {
        return Ok(());
    };
    let mut cut = Vec::new();
    // The renders and the photo are not scans: a card on a background is rightly cropped.
    for (path, scan) in scans
        .iter()
        .filter(|(path, _)| name(path).contains("_scan"))
    {
        let found = locate(scan);
        let [left, top, right, bottom] = bounds(&found);
        let kept = (right - left) * (bottom - top) / (scan.width() * scan.height()) as f32;
        println!("{}: {:?} keeps {kept:.2}", name(path), found.kind);
        if kept < 0.8 {
            cut.push(name(path));
        }
    }
    assert!(cut.is_empty(), "cut too far: {cut:?}");
    Ok(())
}

#[test]
fn real_scans_on_a_white_bed_are_found_back() -> TestResult {
    let Some(scans) = scans() else {
        return Ok(());
    };
    const PAD: f32 = 200.0;
    let mut missed = Vec::new();
    for (path, scan) in &scans {
        let alone = locate(scan);
        // Where the document is on the padded bed: where it was found before, or the whole
        // scan.
        let expected = if alone.kind != LocatedKind::WholeFrame {
            bounds(&alone).map(|v| v + PAD)
        } else {
            [
                PAD,
                PAD,
                PAD + scan.width() as f32,
                PAD + scan.height() as f32,
            ]
        };
        let found = locate(&padded(scan, PAD as u32, 255));
        let got = bounds(&found);
        let off = got
            .iter()
            .zip(&expected)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        println!("{}: {:?} off by {off:.1} px", name(path), found.kind);
        if off > 6.0 {
            missed.push(format!("{} {off:.0}", name(path)));
        }
    }
    println!("off by more than 6 px: {missed:?}");
    assert!(missed.len() <= scans.len() / 5, "{missed:?}");
    Ok(())
}

#[test]
fn real_scans_on_a_desk_are_found() -> TestResult {
    let Some(scans) = scans() else {
        return Ok(());
    };
    let mut within = 0;
    for (index, (path, scan)) in scans.iter().enumerate() {
        let background = (index % 4) as u8;
        let (photo, truth) = on_desk(scan, background, 0.6, index as u32 + 1)?;
        let found = locate(&photo);
        let error = corner_error(&found, &truth, photo.width(), photo.height());
        if error <= TOLERANCE {
            within += 1;
        } else {
            println!(
                "{} on background {background}: {:?} error {error:.3}",
                name(path),
                found.kind
            );
        }
    }
    println!("real scans on a desk: {within}/{}", scans.len());
    // Misses: the two side-by-side scans are wider than any document (3.2 and 3.4 to 1) and
    // the three Iowa licences 2.7 to 1; some stacked front-and-back scans lose their outline
    // to their own white gaps on wood or cloth.
    assert!(within * 3 >= scans.len() * 2, "{within}/{}", scans.len());
    Ok(())
}

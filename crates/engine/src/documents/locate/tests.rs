//! The locator on rendered documents put where the test knows their corners: on desks of
//! every kind, on a scanner's white bed, and cropped tight; and on the real scans when they
//! are on this machine.

mod real_scans;

use std::sync::OnceLock;

use image::{imageops, Rgb, RgbImage};
use imageproc::drawing::{draw_filled_ellipse_mut, draw_hollow_rect_mut};
use imageproc::rect::Rect;

use super::{locate, rectify, Located, LocatedKind};
use crate::documents::mrz::MrzFormat;
use crate::documents::synthetic::{degrade, on_desk, render, Degradation, OcrB, Page};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Located corners may be this share of the photo's diagonal off the true ones.
const TOLERANCE: f32 = 0.02;

fn font() -> Result<&'static OcrB, String> {
    static FONT: OnceLock<Result<OcrB, String>> = OnceLock::new();
    FONT.get_or_init(|| OcrB::load().map_err(|error| error.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

/// A rendered document without the table the renderer lays it on.
fn document(format: MrzFormat, seed: u32, pixels_per_mm: f32) -> Result<RgbImage, String> {
    let specimen = render(font()?, format, seed, 2025, pixels_per_mm);
    let (width, height) = specimen.image.dimensions();
    // The renderer's margin is 12% of the card's longer side on every side.
    let margin = (0.12 * width.max(height) as f32 / 1.24).round() as u32 + 1;
    Ok(imageops::crop_imm(
        &specimen.image,
        margin,
        margin,
        width - 2 * margin,
        height - 2 * margin,
    )
    .to_image())
}

/// The largest distance of a located corner from the true one, over the diagonal; corners
/// matched in their cyclic order, since a turned document's top-left is the locator's guess.
fn corner_error(found: &Located, truth: &[[f32; 2]; 4], width: u32, height: u32) -> f32 {
    let diagonal = (width as f32).hypot(height as f32);
    (0..4)
        .map(|shift| {
            (0..4)
                .map(|i| {
                    let (a, b) = (found.corners[i], truth[(i + shift) % 4]);
                    (a[0] - b[0]).hypot(a[1] - b[1])
                })
                .fold(0.0, f32::max)
        })
        .fold(f32::INFINITY, f32::min)
        / diagonal
}

/// A phone's finishing of a photo: a little soft, a little noisy, a middling JPEG.
fn phone(photo: &RgbImage, seed: u32) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let mut out = degrade(photo, Degradation::Blur(0.8), seed)?;
    out = degrade(&out, Degradation::Noise(4.0), seed)?;
    Ok(degrade(&out, Degradation::Jpeg(80), seed)?)
}

/// One document on a desk of `background`, located; the error over the diagonal.
fn desk_case(background: u8, seed: u32) -> Result<(f32, Located), Box<dyn std::error::Error>> {
    let format = if seed.is_multiple_of(2) {
        MrzFormat::Td1
    } else {
        MrzFormat::Td3
    };
    let doc = document(format, seed, 7.0)?;
    let scale = 0.45 + 0.06 * (seed % 5) as f32;
    let (photo, truth) = on_desk(&doc, background, scale, seed)?;
    let photo = phone(&photo, seed)?;
    let found = locate(&photo);
    Ok((
        corner_error(&found, &truth, photo.width(), photo.height()),
        found,
    ))
}

const CASES_PER_BACKGROUND: u32 = 8;

#[test]
fn documents_on_every_desk_are_found_within_two_percent() -> TestResult {
    let names = ["wood", "dark", "cluttered", "white"];
    let mut failures = Vec::new();
    for (background, name) in (0u8..4).zip(names) {
        let mut within = 0;
        for seed in 1..=CASES_PER_BACKGROUND {
            let (error, found) = desk_case(background, seed * 7 + u32::from(background))?;
            if error <= TOLERANCE && found.kind == LocatedKind::Quadrilateral {
                within += 1;
            } else {
                println!("{name} seed {seed}: {:?} error {error:.3}", found.kind);
            }
        }
        println!("{name}: {within}/{CASES_PER_BACKGROUND} within {TOLERANCE}");
        // White is the hard one: a pale card on a pale desk shows little but its shadow.
        let floor = if background == 3 { 6 } else { 7 };
        if within < floor {
            failures.push(format!("{name} {within}/{CASES_PER_BACKGROUND}"));
        }
    }
    assert!(failures.is_empty(), "too few found: {failures:?}");
    Ok(())
}

#[test]
fn glare_and_a_finger_over_an_edge_do_not_lose_the_card() -> TestResult {
    let mut within = 0;
    for seed in 1..=6u32 {
        let doc = document(MrzFormat::Td1, seed, 7.0)?;
        let glared = degrade(&doc, Degradation::Glare(0.15), seed)?;
        let (mut photo, truth) = on_desk(&glared, (seed % 3) as u8, 0.6, seed)?;
        // A thumb reaching from the photo's bottom edge over the card's lower edge.
        let bottom = truth.iter().map(|p| p[1]).fold(0.0, f32::max);
        let x = (truth[2][0] + truth[3][0]) / 2.0;
        let (w, h) = photo.dimensions();
        let thumb_h = (h as f32 - bottom + 0.06 * h as f32) as i32;
        draw_filled_ellipse_mut(
            &mut photo,
            (x as i32, h as i32),
            (0.05 * w as f32) as i32,
            thumb_h,
            Rgb([205, 150, 125]),
        );
        let photo = phone(&photo, seed)?;
        let found = locate(&photo);
        let error = corner_error(&found, &truth, w, h);
        if error <= TOLERANCE {
            within += 1;
        } else {
            println!(
                "glare+finger seed {seed}: {:?} error {error:.3}",
                found.kind
            );
        }
    }
    println!("glare and finger: {within}/6");
    assert!(within >= 5, "{within}/6 found");
    Ok(())
}

#[test]
fn a_capture_apps_frame_does_not_replace_the_card() -> TestResult {
    let mut within = 0;
    for seed in 1..=4u32 {
        let doc = document(MrzFormat::Td1, seed, 7.0)?;
        let (mut photo, truth) = on_desk(&doc, (seed % 2) as u8 * 2, 0.55, seed)?;
        // The app's guide: a thin white frame of a card's proportions in the middle.
        let (w, h) = photo.dimensions();
        let guide_w = (0.7 * w as f32) as u32;
        let guide_h = (guide_w as f32 / 1.586) as u32;
        for inset in 0..3 {
            draw_hollow_rect_mut(
                &mut photo,
                Rect::at(
                    ((w - guide_w) / 2 + inset) as i32,
                    ((h - guide_h) / 2 + inset) as i32,
                )
                .of_size(guide_w - 2 * inset, guide_h - 2 * inset),
                Rgb([255, 255, 255]),
            );
        }
        let photo = phone(&photo, seed)?;
        let found = locate(&photo);
        let error = corner_error(&found, &truth, w, h);
        if error <= TOLERANCE {
            within += 1;
        } else {
            println!("guide seed {seed}: {:?} error {error:.3}", found.kind);
        }
    }
    println!("capture frame: {within}/4");
    assert!(within >= 3, "{within}/4 found");
    Ok(())
}

#[test]
fn a_tight_crop_keeps_all_its_print() -> TestResult {
    const PIXELS_PER_MM: f32 = 7.0;
    for (seed, format) in [
        (1, MrzFormat::Td1),
        (2, MrzFormat::Td3),
        (3, MrzFormat::Td1),
    ] {
        let doc = phone(&document(format, seed, PIXELS_PER_MM)?, seed)?;
        let found = locate(&doc);
        let (w, h) = (doc.width() as f32, doc.height() as f32);
        let xs = found.corners.map(|p| p[0]);
        let ys = found.corners.map(|p| p[1]);
        let low = |v: [f32; 4]| v.iter().copied().fold(f32::INFINITY, f32::min);
        let high = |v: [f32; 4]| v.iter().copied().fold(0.0, f32::max);
        // A plain paper border may be taken for a margin and cropped; the print may not. The
        // MRZ's last baseline is 3.5 mm above the bottom edge and its lines are centred, one
        // character every 2.54 mm.
        let mrz_bottom = h - 3.5 * PIXELS_PER_MM;
        let mrz_mm = format.line_length() as f32 * 2.54;
        // (A pixel of slack: the render's crop in `document` is a pixel off the card's edge.)
        let side = ((Page::of(format).width_mm - mrz_mm) / 2.0) * PIXELS_PER_MM + 1.5;
        assert!(
            high(ys) >= mrz_bottom && low(xs) <= side && high(xs) >= w - side && low(ys) <= 0.1 * h,
            "{format:?} cut to {:?} ({:?})",
            found.corners,
            found.kind
        );
        let out = rectify(&doc, &found, 4000);
        assert!(out.height() as f32 >= high(ys) - low(ys) - 2.0);
    }
    Ok(())
}

/// `image` on a scanner's white bed, `pad` pixels of it on every side.
fn padded(image: &RgbImage, pad: u32, white: u8) -> RgbImage {
    let mut bed = RgbImage::from_pixel(
        image.width() + 2 * pad,
        image.height() + 2 * pad,
        Rgb([white, white, white]),
    );
    imageops::replace(&mut bed, image, i64::from(pad), i64::from(pad));
    bed
}

#[test]
fn a_scan_with_white_margins_is_cropped_to_the_document() -> TestResult {
    for (seed, format) in [(4, MrzFormat::Td1), (5, MrzFormat::Td3)] {
        let doc = document(format, seed, 6.0)?;
        let scan = degrade(&padded(&doc, 150, 250), Degradation::Noise(2.0), seed)?;
        let found = locate(&scan);
        assert_eq!(found.kind, LocatedKind::ScanMargins, "{found:?}");
        let truth = [
            [150.0, 150.0],
            [150.0 + doc.width() as f32, 150.0],
            [150.0 + doc.width() as f32, 150.0 + doc.height() as f32],
            [150.0, 150.0 + doc.height() as f32],
        ];
        for (a, b) in found.corners.iter().zip(&truth) {
            assert!(
                (a[0] - b[0]).abs() <= 4.0 && (a[1] - b[1]).abs() <= 4.0,
                "{:?} against {truth:?}",
                found.corners
            );
        }
        let out = rectify(&scan, &found, 4000);
        assert!(out.width().abs_diff(doc.width()) <= 8);
    }
    Ok(())
}

#[test]
fn a_card_turned_on_a_scanner_is_a_quadrilateral() -> TestResult {
    let doc = document(MrzFormat::Td1, 6, 6.0)?;
    let bed = padded(&doc, 200, 252);
    let degrees: f32 = 4.0;
    let turned = degrade(&bed, Degradation::Rotate(degrees), 6)?;
    // Rotate fills the corners it uncovers with a table colour; a scanner's lid is white.
    let (w, h) = turned.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let truth = [
        [200.0, 200.0],
        [200.0 + doc.width() as f32, 200.0],
        [200.0 + doc.width() as f32, 200.0 + doc.height() as f32],
        [200.0, 200.0 + doc.height() as f32],
    ]
    .map(|[x, y]| {
        let (dx, dy) = (x - cx, y - cy);
        [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos]
    });
    let white = padded(
        &imageops::crop_imm(&turned, 60, 60, w - 120, h - 120).to_image(),
        60,
        252,
    );
    let found = locate(&white);
    assert_eq!(found.kind, LocatedKind::Quadrilateral, "{found:?}");
    let error = corner_error(&found, &truth, w, h);
    assert!(error <= 0.01, "error {error}");
    Ok(())
}

#[test]
fn rectify_keeps_the_cards_proportions() -> TestResult {
    let (error, found) = desk_case(1, 11)?;
    assert!(error <= TOLERANCE);
    let doc = document(MrzFormat::Td3, 11, 7.0)?;
    let (photo, _) = on_desk(&doc, 1, 0.51, 11)?;
    let out = rectify(&photo, &found, 600);
    let aspect = out.width().max(out.height()) as f32 / out.width().min(out.height()) as f32;
    let truth = doc.width() as f32 / doc.height() as f32;
    assert!((aspect - truth).abs() < 0.06, "{aspect} against {truth}");
    assert!(out.width().max(out.height()) <= 600);
    Ok(())
}

#[test]
fn odd_images_give_the_whole_frame_without_panicking() {
    for (w, h) in [(0, 0), (1, 1), (5, 300), (300, 5), (23, 23), (40, 30)] {
        let image = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
        let found = locate(&image);
        assert_eq!(found.kind, LocatedKind::WholeFrame);
        let _ = rectify(&image, &found, 0);
    }
    let blank = RgbImage::from_pixel(800, 600, Rgb([250, 250, 250]));
    assert_eq!(locate(&blank).kind, LocatedKind::WholeFrame);
    let noise = degrade(&blank, Degradation::Noise(60.0), 3).unwrap_or(blank);
    let _ = rectify(&noise, &locate(&noise), 100);
}

/// Medians over photos of 1600 pixels across, for the report; run with `--ignored`.
#[test]
#[ignore = "timing, not a check"]
fn time_per_photo() -> TestResult {
    let mut times = Vec::new();
    for background in 0u8..4 {
        for seed in 1..=5u32 {
            let doc = document(MrzFormat::Td1, seed, 7.0)?;
            let (photo, _) = on_desk(&doc, background, 0.6, seed)?;
            let factor = 1600.0 / photo.width() as f32;
            let photo = imageops::resize(
                &photo,
                1600,
                (photo.height() as f32 * factor) as u32,
                imageops::FilterType::Triangle,
            );
            let start = std::time::Instant::now();
            let found = locate(&photo);
            times.push((
                start.elapsed().as_secs_f64() * 1000.0,
                background,
                found.kind,
            ));
        }
    }
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    for background in 0u8..4 {
        let mine: Vec<f64> = times
            .iter()
            .filter(|t| t.1 == background)
            .map(|t| t.0)
            .collect();
        println!(
            "background {background}: median {:.1} ms",
            mine.get(mine.len() / 2).copied().unwrap_or(0.0)
        );
    }
    println!(
        "all: median {:.1} ms, max {:.1} ms",
        times.get(times.len() / 2).map_or(0.0, |t| t.0),
        times.last().map_or(0.0, |t| t.0)
    );
    Ok(())
}

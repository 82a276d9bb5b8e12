//! Real specimen scans (`../shared/real-documents/`, read in place) through the library's
//! inspection, as `verifyd inspect` runs it: what a customer's first test with a real ID sees.
//! The images are modified in memory only (margins, rotation, degradations), never written
//! into the repository.

use std::sync::OnceLock;

use anyhow::{anyhow, ensure, Context, Result};
use bytes::Bytes;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::Value;
use verifyd_domain::analysers::{DocumentReading, PartImage};
use verifyd_domain::clock::{Clock, SystemClock};
use verifyd_domain::model::Classifier;
use verifyd_engine::documents::synthetic::{degrade, Degradation};
use verifyd_server::inspect::{inspect, InspectRequest};
use verifyd_server::serve::analyser_settings;
use verifyd_server::Settings;
use verifyd_testkit::real_documents::{self as manifest, Entry};
use verifyd_testkit::{encode, on_white};

fn settings() -> Settings {
    Settings::default()
}

fn entry(file: &str) -> Result<Entry> {
    manifest::entries()?
        .into_iter()
        .find(|entry| entry.file.ends_with(file))
        .ok_or_else(|| anyhow!("{file} is not in the manifest"))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// What the document engine reads on `front`, as processing calls it.
fn reading(front: Vec<u8>) -> Result<DocumentReading> {
    static ANALYSERS: OnceLock<verifyd_domain::analysers::Analysers> = OnceLock::new();
    let analysers = match ANALYSERS.get() {
        Some(loaded) => loaded,
        None => {
            let loaded = verifyd_analysers::available(&analyser_settings(&settings()))?;
            ANALYSERS.get_or_init(|| loaded)
        }
    };
    let documents = analysers
        .documents
        .clone()
        .ok_or_else(|| anyhow!("no document analyser"))?;
    let today = SystemClock.now().date_naive();
    let image = PartImage {
        classifier: Classifier::Front,
        bytes: Bytes::from(front),
    };
    Ok(runtime()?.block_on(documents.read(vec![image], today))?)
}

/// The capabilities `verifyd inspect` reports for an ID of these sides.
fn decisions(front: Vec<u8>, back: Option<Vec<u8>>) -> Result<Value> {
    explained(front, back, false)
}

fn explained(front: Vec<u8>, back: Option<Vec<u8>>, explain: bool) -> Result<Value> {
    let request = InspectRequest {
        front,
        back,
        selfie: None,
        country: None,
        id_type: None,
        explain,
        now: SystemClock.now(),
    };
    Ok(runtime()?.block_on(inspect(&settings(), request))?)
}

/// `(decision type, label, data)` of `capability` in an inspection's result.
fn capability(result: &Value, capability: &str) -> Result<(String, String, Value)> {
    let found = result
        .pointer(&format!("/capabilities/{capability}/0"))
        .ok_or_else(|| anyhow!("no {capability} in {result}"))?;
    let text = |pointer: &str| {
        found
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok((
        text("/decision/type"),
        text("/decision/details/label"),
        found.get("data").cloned().unwrap_or(Value::Null),
    ))
}

fn scan(entry: &Entry) -> Result<RgbImage> {
    Ok(image::open(&entry.path)
        .with_context(|| format!("cannot open {}", entry.path.display()))?
        .to_rgb8())
}

/// Real scans that the engine reads with every field as the manifest has it. A regression
/// guard: the benchmark (`cargo bench -p verifyd-server --bench real_documents`) reports the
/// whole set, including what is not read yet.
const READ_RIGHT: [&str; 17] = [
    "lva_id_td1_scan.png",
    "lie_id_td1_scan.png",
    "ltu_id_td1_scan.png",
    "mco_id_td1_scan.png",
    "srb_id_td1_scan.png",
    "swe_id_td1_scan.png",
    "esp_id_td1_scan.png",
    "deu_residence_td1_scan.png",
    "fra_residence_td1_scan.png",
    "prt_residence_td1_scan.png",
    "gbr_brp_td1_scan.png",
    "inp_pass_td3_scan.png",
    "jpn_pass_td3_scan.png",
    "ukr_pass_td3_scan.png",
    "fra_visa_mrvb_scan.png",
    "usa_visa_mrva_scan.png",
    "uto_visa_mrvb_render.png",
];

#[test]
fn real_scans_read_with_every_field_right() -> Result<()> {
    let mut failures = Vec::new();
    for file in READ_RIGHT {
        let entry = entry(file)?;
        let reading = reading(std::fs::read(&entry.path)?)?;
        let wrong = manifest::wrong_fields(&entry, &reading);
        if !wrong.is_empty() || reading.check_digits_pass != Some(true) {
            let format = entry.format.as_deref().unwrap_or("?");
            failures.push(format!(
                "{file} ({format}, {}): wrong {wrong:?}",
                entry.capture
            ));
        }
    }
    ensure!(failures.is_empty(), "{failures:#?}");
    Ok(())
}

#[test]
fn a_scan_that_reads_is_never_refused_for_its_quality() -> Result<()> {
    let mut refused = Vec::new();
    for entry in manifest::entries()?
        .into_iter()
        .filter(|entry| entry.kind == "mrz")
    {
        let bytes = std::fs::read(&entry.path)?;
        let reading = reading(bytes.clone())?;
        if reading.check_digits_pass != Some(true) {
            continue;
        }
        let result = decisions(bytes, None)?;
        let (_, label, data) = capability(&result, "usability")?;
        if label == "BAD_QUALITY" {
            refused.push(format!("{}: {data}", entry.file));
        }
    }
    ensure!(refused.is_empty(), "read, yet refused: {refused:#?}");
    Ok(())
}

#[test]
fn a_scan_on_a_white_scanner_bed_is_read_and_passes() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let page = on_white(&scan(&entry)?, 250);
    let result = decisions(encode(&page, ImageFormat::Png)?, None)?;
    for name in ["usability", "imageChecks", "extraction"] {
        let (decision, label, _) = capability(&result, name)?;
        ensure!(decision == "PASSED", "{name}: {decision}/{label}: {result}");
    }
    let number = result
        .pointer("/capabilities/extraction/0/data/documentNumber")
        .and_then(Value::as_str);
    ensure!(number == Some("PA9992921"), "{result}");
    Ok(())
}

#[test]
fn specimens_are_refused_as_samples_not_for_their_quality() -> Result<()> {
    let entry = entry("uto_visa_mrvb_render.png")?;
    let result = decisions(std::fs::read(&entry.path)?, None)?;
    let (_, usability, _) = capability(&result, "usability")?;
    ensure!(usability == "OK", "{result}");
    let (decision, label, _) = capability(&result, "imageChecks")?;
    ensure!(decision == "REJECTED" && label == "SAMPLE", "{result}");
    Ok(())
}

/// An unreadable copy of a real scan is refused as BAD_QUALITY, and the reason says why.
fn refused_with(image: &RgbImage, reason: &str) -> Result<()> {
    let result = decisions(encode(image, ImageFormat::Png)?, None)?;
    let (decision, label, data) = capability(&result, "usability")?;
    ensure!(
        decision == "REJECTED" && label == "BAD_QUALITY",
        "{reason}: {decision}/{label}"
    );
    let reasons = data.get("reasons").cloned().unwrap_or(Value::Null);
    ensure!(
        reasons
            .as_array()
            .is_some_and(|reasons| reasons.iter().any(|r| r == reason)),
        "expected {reason} among {reasons}"
    );
    Ok(())
}

#[test]
fn an_unreadable_copy_is_refused_with_its_reason() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let scan = scan(&entry)?;
    // Out of focus: a Gaussian blur of 4 px merges the MRZ's strokes.
    refused_with(&image::imageops::blur(&scan, 4.0), "BLURRED")?;
    // Under-exposed: a twentieth of the light.
    let mut dark = scan.clone();
    dark.pixels_mut()
        .for_each(|pixel| pixel.0 = pixel.0.map(|channel| channel / 20));
    refused_with(&dark, "TOO_DARK")?;
    // Over-exposed: everything but the darkest ink clipped.
    let mut bright = scan.clone();
    bright
        .pixels_mut()
        .for_each(|pixel| pixel.0 = pixel.0.map(|channel| channel.saturating_add(235)));
    refused_with(&bright, "TOO_BRIGHT")?;
    // A reflection over the lower half, where the MRZ is.
    let mut glare = scan.clone();
    let height = glare.height();
    for (_, y, pixel) in glare.enumerate_pixels_mut() {
        if y > height / 2 {
            *pixel = Rgb([255, 255, 255]);
        }
    }
    refused_with(&glare, "GLARE")?;
    Ok(())
}

#[test]
fn a_greyscale_copy_is_black_and_white_even_when_it_reads() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let grey = DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(scan(&entry)?).to_luma8());
    let result = decisions(encode(&grey.to_rgb8(), ImageFormat::Png)?, None)?;
    let (decision, label, data) = capability(&result, "usability")?;
    ensure!(decision == "REJECTED" && label == "BLACK_WHITE", "{result}");
    let reasons = data["reasons"].as_array().cloned().unwrap_or_default();
    ensure!(
        reasons.contains(&serde_json::json!("BLACK_WHITE")),
        "{data}"
    );
    Ok(())
}

/// `jpeg` with an EXIF segment that says its pixels are stored turned: orientation 6, "turn
/// clockwise to view", as a phone held upright writes them.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Result<Vec<u8>> {
    ensure!(jpeg.starts_with(&[0xFF, 0xD8]), "not a JPEG");
    let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // one value
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding of the value field
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let length = u16::try_from(payload.len() + 2)?;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(jpeg.get(2..).unwrap_or_default());
    Ok(out)
}

#[test]
fn a_photo_stored_sideways_is_read_upright_by_its_exif_orientation() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let upright = scan(&entry)?;
    // Stored a quarter turn anticlockwise; orientation 6 turns it back.
    let sideways = image::imageops::rotate270(&upright);
    let jpeg = with_exif_orientation(&encode(&sideways, ImageFormat::Jpeg)?, 6)?;
    let read = reading(jpeg.clone())?;
    let wrong = manifest::wrong_fields(&entry, &read);
    ensure!(wrong.is_empty(), "wrong: {wrong:?}");
    let result = explained(jpeg, None, true)?;
    let decoded = result
        .pointer("/explain/images/0/stages/0")
        .ok_or_else(|| anyhow!("no decode stage: {result}"))?;
    ensure!(
        decoded["width"] == upright.width() && decoded["height"] == upright.height(),
        "not upright: {decoded}"
    );
    Ok(())
}

#[test]
fn a_jpeg_without_its_end_marker_is_read_and_one_cut_short_is_refused() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let jpeg = encode(&scan(&entry)?, ImageFormat::Jpeg)?;
    ensure!(
        jpeg.ends_with(&[0xFF, 0xD9]),
        "the encoder wrote no end marker"
    );
    let unmarked = jpeg.get(..jpeg.len() - 2).unwrap_or_default().to_vec();
    let read = reading(unmarked.clone())?;
    let wrong = manifest::wrong_fields(&entry, &read);
    ensure!(wrong.is_empty(), "wrong: {wrong:?}");
    let (decision, label, _) = capability(&decisions(unmarked, None)?, "extraction")?;
    ensure!(decision == "PASSED", "{decision}/{label}");
    let cut = jpeg.get(..jpeg.len() / 2).unwrap_or_default().to_vec();
    let refused = runtime()?.block_on(inspect(
        &settings(),
        InspectRequest {
            front: cut,
            back: None,
            selfie: None,
            country: None,
            id_type: None,
            explain: false,
            now: SystemClock.now(),
        },
    ));
    match refused {
        Err(error) => ensure!(error.to_string().contains("damaged"), "{error}"),
        Ok(result) => return Err(anyhow!("a half JPEG was inspected: {result}")),
    }
    Ok(())
}

#[test]
fn a_small_document_in_a_large_photo_is_too_small() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let card = image::imageops::resize(
        &scan(&entry)?,
        180,
        230,
        image::imageops::FilterType::Triangle,
    );
    // A dark wooden desk, the card a ninth of the photo's width.
    let mut photo = RgbImage::from_fn(1600, 1200, |x, y| {
        let grain = ((x / 7 + y / 41) % 5) as u8 * 4;
        Rgb([96 + grain, 64 + grain, 40 + grain])
    });
    image::imageops::replace(&mut photo, &card, 700, 480);
    refused_with(&photo, "TOO_SMALL")
}

#[test]
fn a_licence_back_scanned_on_white_is_read() -> Result<()> {
    use verifyd_engine::documents::synthetic::{licence_back, licence_front, LicenceHolder, OcrB};
    let holder = LicenceHolder::sample();
    let front = licence_front(&OcrB::load()?, &holder, 12.0);
    let back = on_white(&licence_back(&holder)?, 220);
    let result = decisions(
        encode(&front, ImageFormat::Jpeg)?,
        Some(encode(&back, ImageFormat::Png)?),
    )?;
    for name in ["usability", "extraction"] {
        let (decision, label, _) = capability(&result, name)?;
        ensure!(decision == "PASSED", "{name}: {decision}/{label}: {result}");
    }
    let number = result
        .pointer("/capabilities/extraction/0/data/documentNumber")
        .and_then(Value::as_str);
    ensure!(number == Some(holder.number.as_str()), "{result}");
    Ok(())
}

#[test]
fn a_page_of_both_sides_is_whole_and_the_back_alone_is_a_missing_page() -> Result<()> {
    let entry = entry("lva_id_td1_scan.png")?;
    let page = scan(&entry)?;
    let result = decisions(encode(&page, ImageFormat::Png)?, None)?;
    let (_, label, _) = capability(&result, "usability")?;
    ensure!(label == "OK", "both sides: {result}");
    // The scan shows the front above the back; the back alone holds the MRZ.
    let (width, height) = page.dimensions();
    let back =
        image::imageops::crop_imm(&page, 0, height / 2, width, height - height / 2).to_image();
    let result = decisions(encode(&on_white(&back, 20), ImageFormat::Png)?, None)?;
    let (decision, label, _) = capability(&result, "usability")?;
    ensure!(
        decision == "REJECTED" && label == "MISSING_PAGE",
        "the back alone: {result}"
    );
    Ok(())
}

/// The glyph reader fitted a line of marks on this photographed colour copy of the US passport
/// card (no MRZ) so flat at one end that the marks' cell indices ran off to infinity, and
/// adding two of them overflowed: a panic in debug builds, a wrong number in release. The
/// degradations and seed are the benchmark's for that image.
#[test]
fn a_line_of_marks_fitted_to_infinity_is_no_fault() -> Result<()> {
    let entry = entry("usa_passcard_front_composite.png")?;
    let mut image = scan(&entry)?;
    for degradation in [
        Degradation::Resize(2.5),
        Degradation::ColourCopy(4.2),
        Degradation::Perspective(0.04),
        Degradation::Blur(0.8),
        Degradation::Jpeg(85),
    ] {
        image = degrade(&image, degradation, 22)?;
    }
    let read = reading(encode(&image, ImageFormat::Jpeg)?)?;
    ensure!(
        read.source.is_none(),
        "a passport card has no MRZ: {read:?}"
    );
    Ok(())
}

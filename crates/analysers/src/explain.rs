//! `verifyd inspect --explain`: every stage of the document engine run on each image on its
//! own, with what it measured or read and its time, whatever the decision chain makes of it.
//! The chain stops at its first refusal (a specimen is SAMPLE and its extraction is not
//! executed), but a user asking why needs to see the reading behind that refusal, and a
//! developer needs the time each stage takes on a real image.

use std::time::Instant;

use chrono::Datelike;
use serde_json::{json, Value};
use verifyd_domain::analysers::PartImage;
use verifyd_engine::documents::barcode;
use verifyd_engine::documents::metadata;
use verifyd_engine::documents::mrz::{self, Mrz, MrzReading};
use verifyd_engine::forensics;
use verifyd_engine::ocr::TextReader;
use verifyd_engine::quality::{assess, QualityThresholds};
use verifyd_engine::upload::{decode_image, ImageLimits};

/// Milliseconds since `start`, to a tenth.
fn elapsed_ms(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
}

/// The stages of every image, in the order processing runs them.
pub fn explain(
    images: &[PartImage],
    limits: &ImageLimits,
    reader: Option<&TextReader>,
    today: chrono::NaiveDate,
) -> Value {
    let year = u16::try_from(today.year()).unwrap_or(u16::MAX);
    let explained: Vec<Value> = images
        .iter()
        .map(|image| {
            json!({
                "classifier": image.classifier.to_string(),
                "stages": stages(&image.bytes, limits, reader, year),
            })
        })
        .collect();
    json!({ "images": explained })
}

fn stages(bytes: &[u8], limits: &ImageLimits, reader: Option<&TextReader>, year: u16) -> Value {
    let mut stages = Vec::new();
    let start = Instant::now();
    let decoded = decode_image(bytes, limits);
    let picture = match decoded {
        Ok((info, picture)) => {
            stages.push(json!({
                "stage": "decode",
                "ms": elapsed_ms(start),
                "stored": {"width": info.width, "height": info.height},
                "orientation": format!("{:?}", info.orientation),
                "width": picture.width(),
                "height": picture.height(),
                "format": format!("{:?}", info.format),
                "editedWith": metadata::editing_software(bytes),
            }));
            picture
        }
        Err(error) => {
            stages.push(
                json!({"stage": "decode", "ms": elapsed_ms(start), "error": error.to_string()}),
            );
            return Value::Array(stages);
        }
    };

    let start = Instant::now();
    let quality = assess(&picture, &QualityThresholds::default());
    let measures = quality.measures;
    stages.push(json!({
        "stage": "quality",
        "ms": elapsed_ms(start),
        "measures": {
            "sharpness": measures.sharpness,
            "meanLuma": measures.mean_luma,
            "darkFraction": measures.dark_fraction,
            "brightFraction": measures.bright_fraction,
            "colourfulness": measures.colourfulness,
        },
        "reasons": quality.issues.iter().map(|issue| issue.reason()).collect::<Vec<_>>(),
        "document": {
            "width": measures.width,
            "height": measures.height,
            "located": format!("{:?}", quality.located.kind),
            "corners": quality.located.corners,
            "confidence": quality.located.confidence,
        },
    }));

    let start = Instant::now();
    let scanned = mrz::scan_mrz(&picture, year);
    stages.push(json!({
        "stage": "mrzGlyphs",
        "ms": elapsed_ms(start),
        "read": scanned.as_ref().map(mrz_reading),
    }));
    if let Some(reader) = reader {
        let start = Instant::now();
        let read = mrz::read_mrz_detecting(reader, &picture, year);
        stages.push(match read {
            Ok((found, detected)) => json!({
                "stage": "mrz",
                "ms": elapsed_ms(start),
                "textBoxes": detected.map(|boxes| boxes.len()),
                "read": found.as_ref().map(mrz_reading),
                "cardAreas": found.as_ref().and_then(|found| mrz::card_areas(&picture.to_rgb8(), found)),
            }),
            Err(error) => {
                json!({"stage": "mrz", "ms": elapsed_ms(start), "error": error.to_string()})
            }
        });
    }

    let start = Instant::now();
    let record = barcode::read_aamva(&picture);
    stages.push(match record {
        Ok(record) => json!({
            "stage": "barcode",
            "ms": elapsed_ms(start),
            "read": record.map(|record| json!({
                "jurisdiction": record.state,
                "documentNumber": record.document_number,
                "lastName": record.last_name,
                "firstName": record.first_name,
                "dateOfBirth": record.date_of_birth,
                "expiryDate": record.expiry_date,
            })),
        }),
        Err(error) => {
            json!({"stage": "barcode", "ms": elapsed_ms(start), "error": error.to_string()})
        }
    });

    if let Some(reader) = reader {
        let start = Instant::now();
        let lines = reader.read_lines(&picture);
        stages.push(match lines {
            Ok(lines) => json!({
                "stage": "visualZone",
                "ms": elapsed_ms(start),
                "lines": lines.iter().map(|line| json!({
                    "text": line.text,
                    "confidence": (line.confidence * 1000.0).round() / 1000.0,
                })).collect::<Vec<_>>(),
            }),
            Err(error) => {
                json!({"stage": "visualZone", "ms": elapsed_ms(start), "error": error.to_string()})
            }
        });
    }

    let start = Instant::now();
    let rgb = picture.to_rgb8();
    let reproduction = forensics::reproduction(&rgb);
    stages.push(json!({
        "stage": "forensics",
        "ms": elapsed_ms(start),
        "reproduction": reproduction.map(|found| format!("{found:?}")),
    }));
    Value::Array(stages)
}

fn mrz_reading(reading: &MrzReading) -> Value {
    let found: &Mrz = &reading.mrz;
    let checks = found.checks;
    json!({
        "format": format!("{:?}", found.format),
        "lines": found.lines,
        "confidence": (reading.confidence * 1000.0).round() / 1000.0,
        "checkDigits": {
            "documentNumber": checks.document_number,
            "dateOfBirth": checks.birth_date,
            "expiryDate": checks.expiry_date,
            "personalNumber": checks.personal_number,
            "composite": checks.composite,
        },
        "corrections": found.corrections.len(),
        "problems": found.problems.len(),
    })
}

//! The document engine behind the domain's `DocumentAnalyser`: the MRZ (read with the OCR
//! models) and the AAMVA barcode, each against the printed fields, plus the metadata,
//! specimen and reproduction checks. Runs on the blocking pool, bounded in concurrency and
//! time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use image::DynamicImage;
use verifyd_domain::analysers::{
    AnalysisError, DocumentAnalyser, DocumentReading, ExtractedFields, PartImage, ReadingSource,
    VisualZoneCheck,
};
use verifyd_domain::catalogue::IdType;
use verifyd_domain::model::Classifier;
use verifyd_domain::rules::{document_checks, document_code};
use verifyd_engine::documents::barcode::{self, AamvaRecord, DocumentKind, JurisdictionCountry};
use verifyd_engine::documents::mrz::{self, Mrz, MrzDate, MrzFormat, Sex};
use verifyd_engine::documents::{locate, metadata, specimen, visual_zone};
use verifyd_engine::forensics;
use verifyd_engine::ocr::{TextBox, TextLine, TextReader};
use verifyd_engine::upload::{decode_image, ImageLimits};

use crate::pool::CpuPool;

pub struct EngineDocuments {
    limits: ImageLimits,
    timeout: Duration,
    pool: CpuPool,
    /// None when the OCR models are not installed: barcodes are still read.
    reader: Option<Arc<TextReader>>,
}

impl EngineDocuments {
    pub fn new(
        limits: ImageLimits,
        timeout: Duration,
        reader: Option<Arc<TextReader>>,
        pool: CpuPool,
    ) -> Self {
        Self {
            limits,
            timeout,
            pool,
            reader,
        }
    }
}

#[async_trait]
impl DocumentAnalyser for EngineDocuments {
    async fn read(
        &self,
        images: Vec<PartImage>,
        today: NaiveDate,
    ) -> Result<DocumentReading, AnalysisError> {
        let (limits, reader) = (self.limits, self.reader.clone());
        self.pool
            .run(self.timeout, "document", move || {
                read_document(&images, &limits, reader.as_deref(), today)
            })
            .await
    }
}

/// Milliseconds each stage of one document's reading took, logged (no personal data) so that
/// an operator sees where the time of a slow job went.
#[derive(Debug, Default)]
struct StageTimes {
    decode: u128,
    forensics: u128,
    mrz: u128,
    barcode: u128,
    visual_zone: u128,
}

impl StageTimes {
    fn log(&self, read_by: &str) {
        tracing::info!(
            decode_ms = self.decode,
            forensics_ms = self.forensics,
            mrz_ms = self.mrz,
            barcode_ms = self.barcode,
            visual_zone_ms = self.visual_zone,
            read_by,
            "document read"
        );
    }
}

fn since(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// One uploaded side, decoded, with the OCR's text boxes once they have been detected.
struct Side {
    classifier: Classifier,
    picture: DynamicImage,
    boxes: Option<Vec<TextBox>>,
}

/// The same reading `verifyd inspect` prints: MRZ first (on every image), then the barcode
/// (back first, where licences print it).
pub fn read_document(
    images: &[PartImage],
    limits: &ImageLimits,
    reader: Option<&TextReader>,
    today: NaiveDate,
) -> Result<DocumentReading, AnalysisError> {
    let mut times = StageTimes::default();
    let start = Instant::now();
    let mut sides: Vec<Side> = Vec::new();
    for image in images {
        let (_, picture) = decode_image(&image.bytes, limits)
            .map_err(|error| AnalysisError(format!("{}: {error}", image.classifier)))?;
        sides.push(Side {
            classifier: image.classifier,
            picture,
            boxes: None,
        });
    }
    times.decode = since(start);
    let edited_with = images
        .iter()
        .find_map(|image| metadata::editing_software(&image.bytes));
    let start = Instant::now();
    let reproductions: Vec<forensics::Reproduction> = sides
        .iter()
        .filter_map(|side| match side.picture.as_rgb8() {
            // JPEG photos decode to RGB already: no copy.
            Some(rgb) => forensics::reproduction(rgb),
            None => forensics::reproduction(&side.picture.to_rgb8()),
        })
        .collect();
    times.forensics = since(start);
    let photo_of_screen = reproductions.contains(&forensics::Reproduction::Screen);
    let photocopy = reproductions.contains(&forensics::Reproduction::ColourCopy);
    let evidence = Evidence {
        edited_with: edited_with.clone(),
        photo_of_screen,
        photocopy,
    };
    // A licence's back whose barcode decodes at the first, cheapest attempt says what the
    // document is: the MRZ search over every side, which finds nothing on a licence, would be
    // most of its reading (1.6 of 2.3 s in a debug build of a rendered licence).
    let backs: Vec<usize> = (0..sides.len())
        .filter(|&index| {
            sides
                .get(index)
                .is_some_and(|side| side.classifier == Classifier::Back)
        })
        .collect();
    let first_try = barcode::read_aamva_at_first_try;
    if let Some(reading) = barcode_on(backs, first_try, &mut sides, reader, &evidence, &mut times) {
        return Ok(reading);
    }
    let year = u16::try_from(today.year()).unwrap_or(u16::MAX);
    let mut text_boxes = 0;
    if let Some(reader) = reader {
        for index in 0..sides.len() {
            let Some(side) = sides.get_mut(index) else {
                continue;
            };
            let start = Instant::now();
            let (found, boxes) = mrz::read_mrz_detecting(reader, &side.picture, year)
                .map_err(|error| AnalysisError(format!("OCR failed: {error}")))?;
            times.mrz += since(start);
            text_boxes += boxes
                .as_ref()
                .map_or_else(|| found.as_ref().map_or(0, |f| f.lines.len()), Vec::len);
            side.boxes = boxes;
            let classifier = side.classifier;
            if let Some(found) = found {
                let mut reading = from_mrz(&found.mrz);
                reading.read_from = Some(classifier);
                reading.both_sides_shown = sides
                    .get(index)
                    .is_some_and(|side| both_sides_shown(&side.picture, &found));
                reading.edited_with = edited_with;
                reading.photo_of_screen = photo_of_screen;
                reading.photocopy = photocopy;
                if document_checks::compares_visual_zone(&reading) {
                    let start = Instant::now();
                    // The MRZ's own lines are read already and are no printed field.
                    let in_mrz = |side: &Side, text_box: &TextBox| {
                        side.classifier == classifier && found.zone.contains(text_box.quad.centre())
                    };
                    // The MRZ's size tells the print's on its own image.
                    let scale = |side: &Side| {
                        if side.classifier == classifier {
                            (DETECTED_MRZ_HEIGHT / mrz_height(&found)).min(1.0)
                        } else {
                            1.0
                        }
                    };
                    reading.visual_zone =
                        printed_fields(reader, sides.iter_mut(), in_mrz, scale, |lines| {
                            visual_zone::compare_with_mrz(lines, &found.mrz)
                        });
                    times.visual_zone = since(start);
                }
                times.log("mrz");
                return Ok(reading);
            }
        }
    }
    let mut order: Vec<usize> = (0..sides.len()).collect();
    order.sort_by_key(|&index| {
        sides
            .get(index)
            .is_none_or(|side| side.classifier != Classifier::Back)
    });
    let every_try = barcode::read_aamva;
    if let Some(reading) = barcode_on(order, every_try, &mut sides, reader, &evidence, &mut times) {
        return Ok(reading);
    }
    times.log("nothing");
    // Every image went through the MRZ reader, whose detection counted the text on it.
    let text_lines = reader.map(|_| text_boxes);
    Ok(DocumentReading {
        source: None,
        id_type: None,
        sub_type: None,
        issuing_country: None,
        fields: ExtractedFields::default(),
        check_digits_pass: None,
        specimen: false,
        edited_with,
        read_from: None,
        both_sides_shown: false,
        text_lines,
        visual_zone: None,
        photo_of_screen,
        photocopy,
    })
}

/// What every reading carries whatever it was read from.
struct Evidence {
    edited_with: Option<String>,
    photo_of_screen: bool,
    photocopy: bool,
}

/// The reading of the first side of `indices` on which `read` finds an AAMVA record.
fn barcode_on(
    indices: Vec<usize>,
    read: fn(&DynamicImage) -> Result<Option<AamvaRecord>, barcode::BarcodeError>,
    sides: &mut [Side],
    reader: Option<&TextReader>,
    evidence: &Evidence,
    times: &mut StageTimes,
) -> Option<DocumentReading> {
    for index in indices {
        let Some(side) = sides.get(index) else {
            continue;
        };
        let start = Instant::now();
        let record = read(&side.picture);
        times.barcode += since(start);
        if let Ok(Some(record)) = record {
            let reading = barcode_reading(&record, index, sides, reader, evidence, times);
            times.log("barcode");
            return Some(reading);
        }
    }
    None
}

/// The reading of the AAMVA `record` found on `sides[index]`, with the printed fields of the
/// other side read against it.
fn barcode_reading(
    record: &AamvaRecord,
    index: usize,
    sides: &mut [Side],
    reader: Option<&TextReader>,
    evidence: &Evidence,
    times: &mut StageTimes,
) -> DocumentReading {
    let classifier = sides
        .get(index)
        .map_or(Classifier::Back, |side| side.classifier);
    let mut reading = from_aamva(record);
    reading.read_from = Some(classifier);
    reading.edited_with = evidence.edited_with.clone();
    reading.photo_of_screen = evidence.photo_of_screen;
    reading.photocopy = evidence.photocopy;
    if let Some(reader) = reader.filter(|_| document_checks::compares_visual_zone(&reading)) {
        // The data is printed on the other side than the barcode, if there is one.
        let alone = sides.len() == 1;
        let printed = sides
            .iter_mut()
            .filter(|side| alone || side.classifier != classifier);
        let start = Instant::now();
        reading.visual_zone = printed_fields(
            reader,
            printed,
            |_, _| false,
            |_| 1.0,
            |lines| visual_zone::compare_with_barcode(lines, record),
        );
        times.visual_zone = since(start);
    }
    reading
}

/// How many cards' area, at least, make a page of both sides. Two ID-1 cards are twice one,
/// but the MRZ's measured length carries the reader's margins, so the ratio comes out lower.
/// Measured by `verifyd inspect --explain` (`cardAreas`) on `../shared/real-documents`: the
/// 13 real TD1 scans of both sides on one page 1.43-2.22; the back alone cut out of three of
/// them (FRA, DEU, NLD), on a white margin, 0.79-1.09. The threshold sits between.
const BOTH_SIDES_AREA: f32 = 1.3;

fn both_sides_shown(picture: &DynamicImage, found: &mrz::MrzReading) -> bool {
    mrz::card_areas(&picture.to_rgb8(), found).is_some_and(|areas| areas >= BOTH_SIDES_AREA)
}

/// The MRZ lines' height, in pixels, at which the text detector still finds the visual zone's
/// smallest print (captions about half an MRZ character's height, so about 12 pixels): a
/// larger MRZ means the detector may see the document shrunk, at a fraction of its cost (it
/// grows with the pixels).
const DETECTED_MRZ_HEIGHT: f32 = 24.0;

/// The mean height of the MRZ's lines as read, in the image's pixels.
fn mrz_height(found: &mrz::MrzReading) -> f32 {
    let heights: Vec<f32> = found.lines.iter().map(|line| line.quad.height()).collect();
    let mean = heights.iter().sum::<f32>() / heights.len().max(1) as f32;
    if mean.is_finite() && mean > 0.0 {
        mean
    } else {
        DETECTED_MRZ_HEIGHT
    }
}

/// The captioned fields printed on `sides` read against the machine-readable data by
/// `compare` (a TD1 card prints the name on the front and the MRZ on the back; a licence its
/// data on the front and the barcode on the back), leaving out the lines `skip` names: the
/// recognition of each line is most of a document's reading time. None, logged, when the OCR
/// fails: the machine-readable reading stands without the comparison. `scale` shrinks what the
/// detector sees of a side.
fn printed_fields<'a>(
    reader: &TextReader,
    sides: impl Iterator<Item = &'a mut Side>,
    skip: impl Fn(&Side, &TextBox) -> bool,
    scale: impl Fn(&Side) -> f32,
    compare: impl FnOnce(&[TextLine]) -> visual_zone::VisualZoneComparison,
) -> Option<VisualZoneCheck> {
    let mut lines = Vec::new();
    for side in sides {
        let boxes = match side.boxes.take() {
            Some(boxes) => Ok(boxes),
            None => {
                let rgb = side.picture.to_rgb8();
                let located = locate::locate(&rgb);
                locate::detect_on_document_scaled(reader, &rgb, &located, scale(side))
            }
        };
        let read = boxes.and_then(|mut boxes| {
            boxes.retain(|text_box| !skip(side, text_box));
            reader.read_boxes(&side.picture, &boxes)
        });
        match read {
            Ok(read) => lines.extend(read),
            Err(error) => {
                tracing::warn!(%error, "printed fields not compared: OCR failed");
                return None;
            }
        }
    }
    let comparison = compare(&lines);
    let names = |fields: &[visual_zone::VisualField]| {
        fields
            .iter()
            .map(|field| field.reason().to_owned())
            .collect()
    };
    Some(VisualZoneCheck {
        compared: names(&comparison.compared),
        mismatched: names(&comparison.mismatched),
    })
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn from_mrz(found: &Mrz) -> DocumentReading {
    let code = found.document_code.as_str();
    let visa_format = matches!(found.format, MrzFormat::MrvA | MrzFormat::MrvB);
    let id_type = document_code::id_type(visa_format, code);
    let sub_type = document_code::sub_type(id_type, code);
    let (personal, optional_1, optional_2) = match found.format {
        MrzFormat::Td3 => (non_empty(&found.optional_data_1), None, None),
        _ => (
            None,
            non_empty(&found.optional_data_1),
            non_empty(&found.optional_data_2),
        ),
    };
    DocumentReading {
        source: Some(ReadingSource::Mrz),
        id_type: Some(id_type),
        sub_type: sub_type.map(str::to_owned),
        issuing_country: Some(found.issuing_state_alpha3().to_owned()),
        fields: ExtractedFields {
            first_name: non_empty(&found.given_names),
            last_name: non_empty(&found.surname),
            date_of_birth: found.birth_date.and_then(MrzDate::naive),
            expiry_date: found.expiry_date.and_then(MrzDate::naive),
            document_number: non_empty(&found.document_number),
            personal_number: personal,
            optional_mrz_field_1: optional_1,
            optional_mrz_field_2: optional_2,
            gender: match found.sex {
                Some(Sex::Male) => Some("M".to_owned()),
                Some(Sex::Female) => Some("F".to_owned()),
                Some(Sex::Unspecified) => Some("X".to_owned()),
                None => None,
            },
            nationality: non_empty(found.nationality_alpha3()),
            ..ExtractedFields::default()
        },
        check_digits_pass: Some(found.all_checks_pass()),
        specimen: specimen::is_specimen(
            &found.issuing_state,
            &found.surname,
            &found.given_names,
            &found.document_number,
        ),
        edited_with: None,
        read_from: None,
        both_sides_shown: false,
        text_lines: None,
        visual_zone: None,
        photo_of_screen: false,
        photocopy: false,
    }
}

fn from_aamva(record: &AamvaRecord) -> DocumentReading {
    let id_type = match record.document_kind {
        DocumentKind::DrivingLicence => IdType::DrivingLicense,
        DocumentKind::IdCard => IdType::IdCard,
    };
    let country = match record.jurisdiction_country {
        JurisdictionCountry::Usa => "USA",
        JurisdictionCountry::Canada => "CAN",
    };
    let address = record.address.as_ref().map(|address| {
        let mut object = serde_json::Map::new();
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(value) = value.as_deref().and_then(non_empty) {
                object.insert(key.to_owned(), serde_json::Value::String(value));
            }
        };
        put("line1", &address.street_1);
        put("line2", &address.street_2);
        put("city", &address.city);
        put("subdivision", &address.state);
        put("postalCode", &address.postal_code);
        object.insert("country".to_owned(), serde_json::json!(country));
        serde_json::Value::Object(object)
    });
    let first_name = match (&record.first_name, &record.middle_names) {
        (Some(first), Some(middle)) if !middle.trim().is_empty() => {
            Some(format!("{first} {middle}"))
        }
        (first, _) => first.clone(),
    };
    DocumentReading {
        source: Some(ReadingSource::Barcode),
        id_type: Some(id_type),
        sub_type: Some(
            match id_type {
                IdType::DrivingLicense => "REGULAR_DRIVING_LICENSE",
                _ => "OTHER_ID",
            }
            .to_owned(),
        ),
        issuing_country: Some(country.to_owned()),
        fields: ExtractedFields {
            first_name,
            last_name: record.last_name.clone(),
            date_of_birth: record.date_of_birth,
            expiry_date: record.expiry_date,
            issuing_date: record.issue_date,
            document_number: record.document_number.clone(),
            gender: record.sex.map(|sex| {
                match sex {
                    barcode::Sex::Male => "M",
                    barcode::Sex::Female => "F",
                    barcode::Sex::Unspecified => "X",
                }
                .to_owned()
            }),
            state: record.state.clone(),
            address,
            dl_categories: record.dl_categories.clone(),
            ..ExtractedFields::default()
        },
        check_digits_pass: None,
        specimen: specimen::is_specimen(
            "",
            record.last_name.as_deref().unwrap_or_default(),
            record.first_name.as_deref().unwrap_or_default(),
            record.document_number.as_deref().unwrap_or_default(),
        ),
        edited_with: None,
        read_from: None,
        both_sides_shown: false,
        text_lines: None,
        visual_zone: None,
        photo_of_screen: false,
        photocopy: false,
    }
}

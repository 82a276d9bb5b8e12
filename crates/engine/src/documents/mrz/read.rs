//! The MRZ of a photographed document: the OCR's lines, the MRZ among them, parsed.

use image::{DynamicImage, RgbImage};

use super::find::{candidate, groups, has_mrz_length, read_group, score, Candidate};
use super::Mrz;
use crate::documents::locate::{
    detect_on_document, locate, rectify, unrectify, Located, LocatedKind,
};
use crate::ocr::{Alphabet, OcrError, Quad, TextBox, TextLine, TextReader};

/// An MRZ line is 19 (TD1) to 26 (TD3) times as long as its box is high; visual-zone text
/// rarely reaches 10, so shorter boxes are not worth recognising.
const MIN_ASPECT: f32 = 10.0;
/// MRZ lines are read twice as wide as they are: measured on rendered documents, this keeps
/// the recogniser from merging neighbouring characters (clean renders read exactly: 3 of 20
/// at 1x, 9 at 1.5x, 11 at 2x, the rest mostly O read as 0 where no check digit tells them
/// apart).
const STRETCH: f32 = 2.0;
/// Widenings tried on an MRZ-like line whose length is off: a dropped or doubled character
/// changes the length, and at another width the recogniser often reads it right. Names have
/// no check digit, so a reading of the right length beats one padded to it.
const OTHER_STRETCHES: [f32; 3] = [2.5, 1.6, 3.0];
/// Room added at each end of a line, in line heights: the detector's box can end at the edge
/// of the first or last character, and the recogniser drops a character it sees cut.
const END_MARGIN: f32 = 0.6;

/// An MRZ found on a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct MrzReading {
    pub mrz: Mrz,
    /// The lines as the recogniser read them, top first.
    pub lines: Vec<TextLine>,
    /// The zone, in reading order (corner 0 is the first line's start).
    pub zone: Quad,
    /// The recogniser's mean confidence over the lines.
    pub confidence: f32,
}

fn best_reading(
    lines: &[TextLine],
    reference_year: u16,
) -> Option<(MrzReading, (bool, usize, isize))> {
    let candidates: Vec<Candidate> = lines.iter().filter_map(candidate).collect();
    let mut best: Option<(MrzReading, (bool, usize, isize))> = None;
    for group in groups(&candidates) {
        let Some((mrz, score)) = read_group(&group, reference_year) else {
            continue;
        };
        if best
            .as_ref()
            .is_some_and(|(_, best_score)| score <= *best_score)
        {
            continue;
        }
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let [a, b, _, _] = first.line.quad.0;
        let [_, _, c, d] = last.line.quad.0;
        let confidence = group.iter().map(|c| c.line.confidence).sum::<f32>() / group.len() as f32;
        let reading = MrzReading {
            mrz,
            lines: group.iter().map(|c| c.line.clone()).collect(),
            zone: Quad([a, b, c, d]),
            confidence,
        };
        best = Some((reading, score));
    }
    best
}

/// Check digits that pass on a zone prove it was read the right way up: a line read upside
/// down passes one by chance once in ten, two once in a hundred. Reading every line turned
/// as well (hundreds of milliseconds on a photo) then cannot find a better zone, only the same
/// characters misread; a specimen whose check digit is wrong on purpose keeps its reading.
/// Only the three check digits every format has count: an empty personal number's filler
/// passes its check whichever way up it is read.
fn way_up_proven(reading: &MrzReading) -> bool {
    let checks = reading.mrz.checks;
    [
        checks.document_number,
        checks.birth_date,
        checks.expiry_date,
    ]
    .iter()
    .filter(|pass| **pass)
    .count()
        >= 2
}

/// Whether every line was read the way up of `reading`'s zone, so that none of them (the
/// names line of a TD1 has no check digit) can be one the classifier turned wrongly.
fn same_way_up(reading: &MrzReading, lines: &[TextLine]) -> bool {
    let Some(first) = reading.lines.first() else {
        return false;
    };
    let [x, y] = first.quad.direction();
    lines.iter().all(|line| {
        let [u, v] = line.quad.direction();
        x * u + y * v > 0.0
    })
}

/// `line` read again at other widths when it is MRZ-like but not of an MRZ line's length.
fn reread_to_length(
    reader: &TextReader,
    image: &image::RgbImage,
    line: TextLine,
) -> Result<TextLine, OcrError> {
    if candidate(&line).is_none() || has_mrz_length(&line.text) {
        return Ok(line);
    }
    for stretch in OTHER_STRETCHES {
        if let Some(reread) = reader.read_upright_as(image, &line.quad, stretch, Alphabet::Mrz)? {
            if has_mrz_length(&reread.text) {
                return Ok(reread);
            }
        }
    }
    Ok(line)
}

/// Finds and parses the MRZ on `image`, a photo or scan of a document in any orientation.
/// `Ok(None)` when no MRZ is found; an MRZ whose check digits fail is returned with its
/// failing checks (see [`Mrz::checks`]), the best of the readings tried.
///
/// Two-digit years are placed relative to `reference_year`, as in [`super::parse`].
pub fn read_mrz(
    reader: &TextReader,
    image: &DynamicImage,
    reference_year: u16,
) -> Result<Option<MrzReading>, OcrError> {
    read_mrz_detecting(reader, image, reference_year).map(|(reading, _)| reading)
}

/// A glyph reading whose check digits fail is still taken over the OCR's when it matched the
/// glyphs this well (mean correlation): a forged check digit must be reported as such, while
/// rows of marks that are no MRZ match poorly.
pub(super) const MIN_GLYPH_CONFIDENCE: f32 = 0.6;

/// [`read_mrz`], and the text boxes of the whole image when the OCR's detection ran (the glyph
/// reader found no MRZ whose check digits pass), so that a caller reading the rest of the page
/// does not detect it twice.
pub fn read_mrz_detecting(
    reader: &TextReader,
    image: &DynamicImage,
    reference_year: u16,
) -> Result<(Option<MrzReading>, Option<Vec<TextBox>>), OcrError> {
    let scanned = super::scan_mrz(image, reference_year)
        .filter(|reading| reading.confidence >= MIN_GLYPH_CONFIDENCE);
    if scanned.as_ref().is_some_and(|r| r.mrz.all_checks_pass()) {
        return Ok((scanned, None));
    }
    let image = image.to_rgb8();
    let located = locate(&image);
    if let Some(reading) = scan_rectified(&image, &located, reference_year) {
        return Ok((Some(reading), None));
    }
    let text_boxes = detect_on_document(reader, &image, &located)?;
    let found = read_mrz_in(reader, &image, &text_boxes, reference_year)?;
    let chosen = match (scanned, found) {
        (Some(scanned), Some(found)) => Some(if score(&found.mrz, 0) > score(&scanned.mrz, 0) {
            found
        } else {
            scanned
        }),
        (scanned, found) => scanned.or(found),
    };
    Ok((chosen, Some(text_boxes)))
}

/// The glyph reader again on the document alone, located and its perspective undone: a card
/// photographed at an angle on a desk has lines that no longer run at one pitch, and a small
/// card in a large photo keeps more of its pixels cut out than shrunk with the whole frame.
/// Only a reading whose check digits all pass is taken; its zone and lines are placed back on
/// the photo, as every other reading's are.
fn scan_rectified(rgb: &RgbImage, located: &Located, reference_year: u16) -> Option<MrzReading> {
    if located.kind == LocatedKind::WholeFrame {
        return None;
    }
    let document = rectify(rgb, located, RECTIFIED_SIDE);
    let back = unrectify(rgb, located, document.dimensions())?;
    let mut reading =
        super::scan_mrz(&DynamicImage::ImageRgb8(document), reference_year).filter(|reading| {
            reading.confidence >= MIN_GLYPH_CONFIDENCE && reading.mrz.all_checks_pass()
        })?;
    let place = |quad: &Quad| {
        Quad(quad.0.map(|[x, y]| {
            let (x, y) = back * (x, y);
            [x, y]
        }))
    };
    reading.zone = place(&reading.zone);
    for line in &mut reading.lines {
        line.quad = place(&line.quad);
    }
    Some(reading)
}

/// The glyph reader works on at most 1600 px (see `scan`); the rectified document need not
/// be larger.
const RECTIFIED_SIDE: u32 = 1600;

fn read_mrz_in(
    reader: &TextReader,
    image: &image::RgbImage,
    text_boxes: &[TextBox],
    reference_year: u16,
) -> Result<Option<MrzReading>, OcrError> {
    let mut long_boxes = Vec::new();
    for text_box in text_boxes {
        let quad = text_box.quad;
        if quad.width() >= MIN_ASPECT * quad.height() {
            long_boxes.push(quad.grown(END_MARGIN * quad.height(), 0.0));
        }
    }
    // Each line once first: most photos read in full from these, and a line of the wrong
    // length is only worth re-reading at other widths when they do not.
    let mut lines = Vec::new();
    for quad in &long_boxes {
        if let Some(line) = reader.read_quad_stretched(image, quad, STRETCH, Alphabet::Mrz)? {
            lines.push(line);
        }
    }
    let best = best_reading(&lines, reference_year);
    if best.as_ref().is_some_and(|(_, (all_pass, _, _))| *all_pass) {
        return Ok(best.map(|(reading, _)| reading));
    }
    let mut reread = Vec::with_capacity(lines.len());
    for line in lines {
        reread.push(reread_to_length(reader, image, line)?);
    }
    let lines = reread;
    let best = best_reading(&lines, reference_year);
    if best.as_ref().is_some_and(|(reading, (all_pass, _, _))| {
        *all_pass || (way_up_proven(reading) && same_way_up(reading, &lines))
    }) {
        return Ok(best.map(|(reading, _)| reading));
    }
    // The classifier sees a long line squeezed, and can take it for upside down; read upside
    // down in the MRZ alphabet, a line comes out short and is no candidate. Read every long
    // line the other way up as well.
    let mut both = lines.clone();
    for line in &lines {
        if let Some(turned) =
            reader.read_upright_as(image, &line.quad.turned(), STRETCH, Alphabet::Mrz)?
        {
            both.push(reread_to_length(reader, image, turned)?);
        }
    }
    let retried = best_reading(&both, reference_year);
    let chosen = match (best, retried) {
        (Some(first), Some(second)) => Some(if second.1 > first.1 { second } else { first }),
        (first, second) => first.or(second),
    };
    Ok(chosen.map(|(reading, _)| reading))
}

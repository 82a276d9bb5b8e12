//! The visual zone read against the MRZ: a forger who changes the printed name or number must
//! also change the MRZ, and the MRZ's check digits do not cover the names.
//!
//! ICAO 9303 (part 3, 4.2) prints each field of the visual zone under a caption, in the
//! national language and English, French or Spanish. The value is found under the caption
//! (or after it on the same line), so only what the document itself says is the field is
//! compared; a field whose caption is not read is not compared, never counted as a mismatch.

use crate::documents::mrz::{Mrz, MrzDate};
use crate::ocr::TextLine;

/// The fields compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisualField {
    Surname,
    DocumentNumber,
    DateOfBirth,
}

impl VisualField {
    /// The name `data.reasons` gives it, as for the customer's prepared data.
    pub fn reason(self) -> &'static str {
        match self {
            VisualField::Surname => "LAST_NAME",
            VisualField::DocumentNumber => "DOCUMENT_NUMBER",
            VisualField::DateOfBirth => "DATE_OF_BIRTH",
        }
    }
}

/// What the comparison found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisualZoneComparison {
    /// Fields whose caption and value were read.
    pub compared: Vec<VisualField>,
    /// Of those, the ones whose printed value differs from the MRZ's.
    pub mismatched: Vec<VisualField>,
}

/// A line's value is only trusted when the recogniser was this sure of it: a misread of the
/// visual zone must not turn into a fraud signal.
const MIN_CONFIDENCE: f32 = 0.9;

/// Upper-case letters only, accented Latin letters folded as the MRZ transliterates them.
fn letters(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_uppercase().chars() {
        match c {
            'A'..='Z' => out.push(c),
            'Ä' | 'Æ' => out.push_str("AE"),
            'Ö' | 'Ø' | 'Œ' => out.push_str("OE"),
            'Ü' => out.push_str("UE"),
            'Å' => out.push_str("AA"),
            'ß' => out.push_str("SS"),
            'À' | 'Á' | 'Â' | 'Ã' => out.push('A'),
            'Ç' => out.push('C'),
            'È' | 'É' | 'Ê' | 'Ë' => out.push('E'),
            'Ì' | 'Í' | 'Î' | 'Ï' => out.push('I'),
            'Ñ' => out.push('N'),
            'Ò' | 'Ó' | 'Ô' | 'Õ' => out.push('O'),
            'Ù' | 'Ú' | 'Û' => out.push('U'),
            'Ý' | 'Ÿ' => out.push('Y'),
            _ => {}
        }
    }
    out
}

/// Letters and digits, with the glyphs OCR confuses in numbers made one.
fn number_key(text: &str) -> String {
    text.to_uppercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' => '1',
            'Z' => '2',
            'S' => '5',
            'B' => '8',
            _ => c,
        })
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.to_uppercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `line` is the caption of `field`, in English, French or Spanish (the languages
/// ICAO allows beside the national one).
fn is_caption(line: &str, field: VisualField) -> bool {
    let words = words(line);
    let has = |w: &str| words.iter().any(|word| word == w);
    match field {
        VisualField::Surname => {
            has("SURNAME") || has("APELLIDOS") || (has("NOM") && !has("PRENOMS"))
        }
        VisualField::DocumentNumber => {
            (has("DOCUMENT") || has("PASSPORT") || has("PASSEPORT") || has("CARD"))
                && (has("NO") || has("NUMBER") || has("NUMERO") || has("N"))
        }
        VisualField::DateOfBirth => {
            (has("BIRTH") || has("NAISSANCE") || has("NACIMIENTO")) && !has("PLACE")
        }
    }
}

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

/// The text printed under `caption`: the line starting about where it starts, at most three
/// caption heights below, with the boxes that continue it on its baseline (the detector cuts a
/// line at wide spaces). The confidence is the lowest of the boxes'.
fn value_under(caption: &TextLine, lines: &[TextLine]) -> Option<(String, f32)> {
    let direction = caption.quad.direction();
    let down = [-direction[1], direction[0]];
    let height = caption.quad.height().max(1.0);
    let start = caption.quad.0[0];
    let offset = |line: &TextLine, from: [f32; 2]| {
        let offset = [line.quad.0[0][0] - from[0], line.quad.0[0][1] - from[1]];
        (dot(offset, direction) / height, dot(offset, down) / height)
    };
    let first = lines
        .iter()
        .filter(|line| !std::ptr::eq(*line, caption))
        .filter_map(|line| {
            let (along, below) = offset(line, start);
            (below > 0.5 && below < 3.5 && along.abs() < 2.0).then_some((below, line))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, line)| line)?;
    let mut text = first.text.trim().to_owned();
    let mut confidence = first.confidence;
    let mut end = first.quad.0[1];
    let mut rest: Vec<(f32, &TextLine)> = lines
        .iter()
        .filter_map(|line| {
            let (along, below) = offset(line, first.quad.0[0]);
            (along > 0.0 && below.abs() < 0.5 && !std::ptr::eq(line, first))
                .then_some((along, line))
        })
        .collect();
    rest.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, line) in rest {
        let (gap, _) = offset(line, end);
        if gap > 4.0 {
            break;
        }
        text.push(' ');
        text.push_str(line.text.trim());
        confidence = confidence.min(line.confidence);
        end = line.quad.0[1];
    }
    Some((text, confidence))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row.get(j + 1).copied().unwrap_or(0);
            let insertion = row.get(j).copied().unwrap_or(0) + 1;
            let deletion = previous + 1;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = substitution.min(insertion).min(deletion);
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

const MONTHS: [[&str; 3]; 12] = [
    ["JAN", "JANV", "ENE"],
    ["FEB", "FEVR", "FEB"],
    ["MAR", "MARS", "MAR"],
    ["APR", "AVR", "ABR"],
    ["MAY", "MAI", "MAY"],
    ["JUN", "JUIN", "JUN"],
    ["JUL", "JUIL", "JUL"],
    ["AUG", "AOUT", "AGO"],
    ["SEP", "SEPT", "SEP"],
    ["OCT", "OCT", "OCT"],
    ["NOV", "NOV", "NOV"],
    ["DEC", "DEC", "DIC"],
];

/// A printed date: day, month (a name or a number) and a four-digit year, in that order.
fn printed_date(text: &str) -> Option<MrzDate> {
    let parts = words(&text.replace(['.', '/', '-'], " "));
    let [day, month, year] = parts.get(..3)? else {
        return None;
    };
    let day: u8 = day.parse().ok()?;
    let month: u8 = match month.parse::<u8>() {
        Ok(number) => number,
        Err(_) => {
            let name = letters(month);
            let found = MONTHS
                .iter()
                .position(|names| names.iter().any(|n| name.starts_with(n)))?;
            u8::try_from(found + 1).ok()?
        }
    };
    let year: u16 = year.get(..4)?.parse().ok()?;
    Some(MrzDate { year, month, day })
}

/// The text after the caption on the caption's own line, when the value is printed there.
fn same_line_value(caption: &str) -> Option<&str> {
    let (_, value) = caption.split_once(':')?;
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

/// Compares the fields of the visual zone that `lines` (the OCR's lines of every side of the
/// document) caption with the MRZ's.
pub fn compare_with_mrz(lines: &[TextLine], mrz: &Mrz) -> VisualZoneComparison {
    let mut comparison = VisualZoneComparison::default();
    for field in [
        VisualField::Surname,
        VisualField::DocumentNumber,
        VisualField::DateOfBirth,
    ] {
        let Some((value, confidence)) = lines
            .iter()
            .filter(|line| is_caption(&line.text, field))
            .find_map(|caption| match same_line_value(&caption.text) {
                Some(value) => Some((value.to_owned(), caption.confidence)),
                None => value_under(caption, lines),
            })
        else {
            continue;
        };
        if confidence < MIN_CONFIDENCE {
            continue;
        }
        let agrees = match field {
            VisualField::Surname => {
                let (printed, read) = (letters(&value), letters(&mrz.surname));
                if read.is_empty() || printed.is_empty() {
                    continue;
                }
                // The MRZ truncates long names; one letter may be misread.
                printed.starts_with(&read) || edit_distance(&printed, &read) <= 1
            }
            VisualField::DocumentNumber => {
                let read = number_key(&mrz.document_number);
                if read.is_empty() {
                    continue;
                }
                number_key(&value).contains(&read)
            }
            VisualField::DateOfBirth => {
                let (Some(printed), Some(read)) = (printed_date(&value), mrz.birth_date) else {
                    continue;
                };
                printed == read
            }
        };
        comparison.compared.push(field);
        if !agrees {
            comparison.mismatched.push(field);
        }
    }
    comparison
}

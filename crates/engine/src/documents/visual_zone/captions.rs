//! The captions that name a printed field, by kind of document.
//!
//! ICAO 9303 (part 3, 4.2) captions each field in the national language and English, French
//! or Spanish, and prints the value under the caption (or after a colon). North American
//! licences use the short captions of the AAMVA card design standard (DL, LN, DOB, EXP),
//! sometimes after the ISO/IEC 18013-1 field number (`4d DL`), with the value after the
//! caption on its line.

use super::normalise::words;
use super::placement::{value_beside, value_under, with_continuation};
use super::VisualField;
use crate::ocr::TextLine;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Captions {
    Icao,
    Aamva,
}

/// A caption found on a line, with the value that follows it there.
enum Caption {
    /// The value is on another box: under the caption, or after it.
    Alone,
    With(String),
}

/// The caption of `field` in English, French or Spanish that `line` holds, if it does.
fn icao_caption(line: &str, field: VisualField) -> Option<Caption> {
    let words = words(line);
    let has = |w: &str| words.iter().any(|word| word == w);
    let found = match field {
        // Not a French card's "Nom d'usage", the name in use beside the birth name.
        VisualField::Surname => {
            has("SURNAME") || has("APELLIDOS") || (has("NOM") && !has("PRENOMS") && !has("USAGE"))
        }
        VisualField::DocumentNumber => {
            (has("DOCUMENT") || has("PASSPORT") || has("PASSEPORT") || has("CARD"))
                && (has("NO") || has("NUMBER") || has("NUMERO") || has("N"))
        }
        VisualField::DateOfBirth => {
            (has("BIRTH") || has("NAISSANCE") || has("NACIMIENTO")) && !has("PLACE")
        }
        VisualField::ExpiryDate => {
            has("EXPIRY")
                || has("EXPIRATION")
                || has("CADUCIDAD")
                || has("VENCIMIENTO")
                || (has("VALID") && has("UNTIL"))
        }
    };
    if !found {
        return None;
    }
    // "Surname: DOE" carries its value.
    Some(match line.split_once(':').map(|(_, value)| value.trim()) {
        Some(value) if !value.is_empty() => Caption::With(value.to_owned()),
        _ => Caption::Alone,
    })
}

/// Words of the captions ICAO documents print over the fields not compared here (given
/// names, nationality, sex, places, issue, authority, signature), in English, French and
/// Spanish.
const OTHER_ICAO_CAPTION_WORDS: [&str; 17] = [
    "GIVEN",
    "PRENOMS",
    "NOMBRES",
    "NATIONALITY",
    "NATIONALITE",
    "NACIONALIDAD",
    "SEX",
    "SEXE",
    "SEXO",
    "PLACE",
    "LIEU",
    "LUGAR",
    "ISSUE",
    "DELIVRANCE",
    "EXPEDICION",
    "AUTHORITY",
    "SIGNATURE",
];

/// Whether `line` is the caption of any field: under a caption, such a line means its value
/// was not read.
fn any_icao_caption(line: &str) -> bool {
    let words = words(line);
    words
        .iter()
        .any(|word| OTHER_ICAO_CAPTION_WORDS.contains(&word.as_str()))
        || VisualField::ALL
            .iter()
            .any(|&field| icao_caption(line, field).is_some())
}

/// The AAMVA captions of each field, as words, and its ISO/IEC 18013-1 field number.
fn aamva_captions(field: VisualField) -> (&'static [&'static [&'static str]], &'static str) {
    match field {
        VisualField::Surname => (
            &[
                &["LN"],
                &["LAST", "NAME"],
                &["FAMILY", "NAME"],
                &["SURNAME"],
            ],
            "1",
        ),
        VisualField::DocumentNumber => (
            &[
                &["DL"],
                &["DLN"],
                &["LIC", "NO"],
                &["LIC"],
                &["LICENSE", "NO"],
                &["LICENSE", "NUMBER"],
                &["ID", "NO"],
                &["ID"],
            ],
            "4D",
        ),
        VisualField::DateOfBirth => (
            &[&["DOB"], &["DATE", "OF", "BIRTH"], &["BIRTH", "DATE"]],
            "3",
        ),
        VisualField::ExpiryDate => (
            &[
                &["EXP"],
                &["EXPIRES"],
                &["EXPIRATION", "DATE"],
                &["EXPIRATION"],
            ],
            "4B",
        ),
    }
}

/// A line that starts with a caption of `field`, optionally after its field number. A field
/// number alone is no caption: an address line starts with a house number as well.
fn aamva_caption(line: &str, field: VisualField) -> Option<Caption> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let key = |token: &str| {
        token
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_uppercase()
    };
    let (phrases, number) = aamva_captions(field);
    let skip = usize::from(tokens.first().is_some_and(|token| key(token) == number));
    let rest = tokens.get(skip..)?;
    let phrase = phrases.iter().find(|phrase| {
        phrase.len() <= rest.len()
            && phrase
                .iter()
                .zip(rest)
                .all(|(word, token)| key(token) == *word)
    })?;
    let value = rest.get(phrase.len()..).unwrap_or_default().join(" ");
    Some(if value.is_empty() {
        Caption::Alone
    } else {
        Caption::With(value)
    })
}

impl Captions {
    fn caption(self, text: &str, field: VisualField) -> Option<Caption> {
        match self {
            Captions::Icao => icao_caption(text, field),
            Captions::Aamva => aamva_caption(text, field),
        }
    }

    /// The values of the lines captioned `field`, in reading order, with the recogniser's
    /// confidence in each. A value on the caption's line takes the boxes that continue it;
    /// alone, an ICAO caption's value is under it, a licence's after it (under it is the
    /// next caption's row).
    pub(super) fn values_of(self, lines: &[TextLine], field: VisualField) -> Vec<(String, f32)> {
        lines
            .iter()
            .filter_map(|line| match self.caption(&line.text, field)? {
                Caption::With(_) => {
                    let (text, confidence) = with_continuation(line, line, lines);
                    match self.caption(&text, field)? {
                        Caption::With(value) => Some((value, confidence)),
                        Caption::Alone => None,
                    }
                }
                Caption::Alone => match self {
                    Captions::Icao => value_under(line, lines, any_icao_caption),
                    Captions::Aamva => value_beside(line, lines),
                },
            })
            .collect()
    }
}

//! The visual zone read against the document's machine-readable data: a forger who changes
//! the printed name or number must also change the MRZ or the barcode, and neither the MRZ's
//! check digits nor a barcode protect the names.
//!
//! Only what the document itself says is a field is compared: a value found under or after a
//! caption (`captions`). A field whose caption is not read is not compared, never counted as
//! a mismatch.

mod captions;
mod dates;
mod normalise;
mod placement;
#[cfg(test)]
mod tests;

use chrono::{Datelike, NaiveDate};

use self::captions::Captions;
use self::dates::{printed_date, DateOrder, Digits};
use self::normalise::{edit_distance, letters, letters_folded, number_key, Folding};
use crate::documents::barcode::{AamvaRecord, JurisdictionCountry};
use crate::documents::mrz::{Mrz, MrzDate};
use crate::ocr::TextLine;

/// The fields compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisualField {
    Surname,
    DocumentNumber,
    DateOfBirth,
    ExpiryDate,
}

impl VisualField {
    pub const ALL: [VisualField; 4] = [
        VisualField::Surname,
        VisualField::DocumentNumber,
        VisualField::DateOfBirth,
        VisualField::ExpiryDate,
    ];

    /// The name `data.reasons` gives it, as for the customer's prepared data.
    pub fn reason(self) -> &'static str {
        match self {
            VisualField::Surname => "LAST_NAME",
            VisualField::DocumentNumber => "DOCUMENT_NUMBER",
            VisualField::DateOfBirth => "DATE_OF_BIRTH",
            VisualField::ExpiryDate => "EXPIRY_DATE",
        }
    }
}

/// What the comparison found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisualZoneComparison {
    /// Fields whose caption and value were read and held against the machine-readable data
    /// (a value read with doubt counts only where it agrees).
    pub compared: Vec<VisualField>,
    /// Of those, the ones whose printed value differs from the machine-readable one.
    pub mismatched: Vec<VisualField>,
}

/// A value contradicts the machine-readable data only when the recogniser was this sure of it:
/// a misread of the visual zone must not turn into a fraud signal.
const MIN_CONFIDENCE: f32 = 0.9;

/// What the machine-readable data says, to hold the printed fields against.
struct Expected<'a> {
    surname: &'a str,
    /// Whether the surname may be cut short: the MRZ truncates long names, a barcode says
    /// whether it did.
    surname_truncated: bool,
    document_number: &'a str,
    birth: Option<NaiveDate>,
    expiry: Option<NaiveDate>,
    dates: DateOrder,
}

/// Compares the captioned fields of the visual zone that `lines` (the OCR's lines of every
/// side of the document) hold with the MRZ's.
pub fn compare_with_mrz(lines: &[TextLine], mrz: &Mrz) -> VisualZoneComparison {
    let expected = Expected {
        surname: &mrz.surname,
        surname_truncated: true,
        document_number: &mrz.document_number,
        birth: mrz.birth_date.and_then(MrzDate::naive),
        expiry: mrz.expiry_date.and_then(MrzDate::naive),
        dates: DateOrder::DayFirst,
    };
    compare(lines, Captions::Icao, &expected)
}

/// Compares the captioned fields printed on a licence or ID card (`lines`, from its front)
/// with its barcode's: US jurisdictions print dates month first; Canadian ones in either order
/// or year first, so theirs are read only where the order is certain.
pub fn compare_with_barcode(lines: &[TextLine], record: &AamvaRecord) -> VisualZoneComparison {
    let expected = Expected {
        surname: record.last_name.as_deref().unwrap_or_default(),
        // DDE: T truncated, N not, U unknown (absent before version 4).
        surname_truncated: record.elements.get("DDE").map(String::as_str) != Some("N"),
        document_number: record.document_number.as_deref().unwrap_or_default(),
        birth: record.date_of_birth,
        expiry: record.expiry_date,
        dates: match record.jurisdiction_country {
            JurisdictionCountry::Usa => DateOrder::MonthFirst,
            JurisdictionCountry::Canada => DateOrder::Unknown,
        },
    };
    compare(lines, Captions::Aamva, &expected)
}

/// Whether `printed` agrees with `expected`'s `field`; None when either side is unreadable.
fn agrees(field: VisualField, printed: &str, expected: &Expected<'_>) -> Option<bool> {
    match field {
        VisualField::Surname => {
            let read = letters(expected.surname);
            let whole = letters(printed);
            if read.is_empty() || whole.is_empty() {
                return None;
            }
            // One letter may be misread, umlauts spelled either way. The value may run on
            // into a neighbouring column's text: its first words are the name.
            let same = |printed: &str| {
                [Folding::Expanded, Folding::Stripped]
                    .iter()
                    .any(|&folding| {
                        let printed = letters_folded(printed, folding);
                        (expected.surname_truncated && printed.starts_with(&read))
                            || edit_distance(&printed, &read) <= 1
                    })
            };
            // A bilingual page prints the name in its own script and in Latin letters, split
            // by a slash (a Ukrainian passport: TKAYEHKO/TKACHENKO as read): either part may
            // be the name.
            let agrees_with = |part: &str| {
                let words: Vec<&str> = part.split_whitespace().collect();
                (1..=words.len()).any(|count| same(&words[..count].join(" ")))
            };
            if printed.split('/').any(agrees_with) {
                return Some(true);
            }
            // A name cut short or wrapped onto the next row on the card is no contradiction.
            if read.starts_with(&whole) {
                return None;
            }
            Some(false)
        }
        VisualField::DocumentNumber => {
            let read = number_key(expected.document_number);
            // Every licence and passport number holds a digit: text without one is a
            // caption's neighbour ("ID CARD"), not the number.
            if read.is_empty() || !printed.chars().any(|c| c.is_ascii_digit()) {
                return None;
            }
            Some(number_key(printed).contains(&read))
        }
        VisualField::DateOfBirth | VisualField::ExpiryDate => {
            let read = match field {
                VisualField::DateOfBirth => expected.birth,
                VisualField::ExpiryDate => expected.expiry,
                VisualField::Surname | VisualField::DocumentNumber => None,
            }?;
            if printed_date(printed, expected.dates, Digits::LookAlikes) == Some(read) {
                return Some(true);
            }
            let printed = printed_date(printed, expected.dates, Digits::Strict)?;
            // The MRZ writes years with two digits: a holder over 100 is read a century late.
            if printed.with_year(read.year()) == Some(read)
                && (printed.year() - read.year()).abs() == 100
            {
                return None;
            }
            Some(printed == read)
        }
    }
}

fn compare(
    lines: &[TextLine],
    captions: Captions,
    expected: &Expected<'_>,
) -> VisualZoneComparison {
    let mut comparison = VisualZoneComparison::default();
    for field in VisualField::ALL {
        // The first captioned value that can be compared; one read with doubt may confirm
        // the field, never contradict it.
        let Some(agrees) =
            captions
                .values_of(lines, field)
                .into_iter()
                .find_map(|(value, confidence)| {
                    let agrees = agrees(field, &value, expected)?;
                    (agrees || confidence >= MIN_CONFIDENCE).then_some(agrees)
                })
        else {
            continue;
        };
        comparison.compared.push(field);
        if !agrees {
            comparison.mismatched.push(field);
        }
    }
    comparison
}

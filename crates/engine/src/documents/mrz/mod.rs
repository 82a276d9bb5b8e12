//! The machine-readable zone (MRZ) of travel documents, as ICAO Doc 9303 prints it: TD1 identity
//! cards (3 lines of 30), TD2 (2 x 36), TD3 passports (2 x 44) and the visas MRV-A (2 x 44) and
//! MRV-B (2 x 36).
//!
//! On a photo, [`scan_mrz`] reads the zone glyph by glyph against OCR-B's own shapes, and
//! [`read_mrz`] falls back to the general OCR models where that finds no MRZ whose check
//! digits pass. Either way the text may hold misreads, so the reading goes in stages, each
//! undoing one kind of damage:
//!
//! 1. `text` tolerates what is not the MRZ's fault (whitespace, lower case, '«' for '<') and
//!    refuses, with an [`MrzError`], what cannot be an MRZ at all.
//! 2. `coerce` uses the type of each position: a date cannot hold an 'O', a name cannot hold
//!    a '0', so such characters are the confusable glyph of the right class.
//! 3. `filler` turns back into '<' the letters (K, mostly) that OCR reads in runs of fillers.
//! 4. `resolve` tries, for the fields that can hold both letters and digits (document and
//!    personal numbers) and fail their check digit, the readings that OCR confusions allow, and
//!    keeps one only when it is the single reading that satisfies the check digits.
//!
//! Every change is reported as a [`Correction`], and everything that could not be read as a
//! [`FieldProblem`]: a caller decides how much a corrected MRZ is worth.
//!
//! What check digits can and cannot prove: an ICAO check digit is a sum modulo 10, so it cannot
//! see a character replaced by one whose value differs by a multiple of 10. Among OCR's usual
//! confusions that is '<' read as K (0 and 20) and 6 read as G (6 and 16); 0 and A, 1 and B, and
//! so on, are further blind pairs. Such misreads pass every check: the filler K is recognised by
//! its place, a G for a 6 in a document number is not. And with one decimal digit, a reading
//! that is wrong for any other reason satisfies a check digit one time in ten.

mod card_area;
mod check_digit;
mod checked_field;
mod coerce;
mod confusion;
mod country;
mod date;
mod filler;
mod find;
mod fit;
mod grid;
mod layout;
mod locate;
mod names;
mod parse;
mod read;
mod report;
mod resolve;
mod scan;
mod text;

// The synthetic documents use only part of it; the property tests the rest.
#[cfg(any(test, feature = "synthetic"))]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod generate;
#[cfg(test)]
mod ocr_tests;
#[cfg(test)]
pub(crate) mod photo_tests;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod specimen_tests;

pub use card_area::card_areas;
pub use check_digit::check_digit;
pub use country::{alpha3, is_specimen_state};
pub use date::MrzDate;
#[cfg(any(test, feature = "synthetic"))]
pub use generate::Holder;
pub use layout::MrzFormat;
pub use parse::{parse, CheckDigits, Mrz, Sex};
pub use read::{read_mrz, read_mrz_detecting, MrzReading};
pub use report::{Correction, Field, FieldProblem};
pub use scan::scan_mrz;

/// Why a text is not an MRZ at all. A text that has the shape of an MRZ is parsed even when its
/// content is wrong: failing check digits and unreadable fields are reported in [`Mrz`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("the text holds no MRZ lines")]
    Empty,
    /// `lengths` are those of the first lines only (at most 4), so that a page of OCR text does
    /// not end up in the message.
    #[error(
        "an MRZ is 3 lines of 30 characters (TD1) or 2 lines of 36 (TD2, MRV-B) or 44 \
         (TD3, MRV-A); the text has {lines} line(s) of {lengths:?} characters"
    )]
    WrongShape { lines: usize, lengths: Vec<usize> },
    /// `line` and `column` count from 1, after whitespace is removed.
    #[error("line {line}, column {column}: {character:?} is not an MRZ character")]
    InvalidCharacter {
        line: usize,
        column: usize,
        character: char,
    },
}

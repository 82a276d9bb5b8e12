//! The PDF417 barcode on the back of US and Canadian driving licences and identity cards, as
//! the AAMVA DL/ID Card Design Standard lays out its content (versions 1 to 10).
//!
//! Two steps, usable apart:
//!
//! 1. [`decode_pdf417`] finds and decodes the symbol in a photo. The symbology is rxing's
//!    business; this module only decides which versions of the photo are worth showing it, and
//!    bounds the work, since a photo without a barcode is the common case for a failed attempt.
//! 2. [`parse_aamva`] reads the decoded text. Issuers deviate from the standard (offsets that
//!    point next to their subfile, dates in the other country's order, header fields missing),
//!    so the parser reads what it can and reports each deviation as an [`AamvaProblem`]:
//!    whether a deviating barcode is worth less is the caller's decision, as with the MRZ.
//!
//! [`read_aamva`] does both.

mod date;
mod decode;
mod elements;
mod header;
mod iin;
mod names;
mod parse;
mod prepare;
mod record;
mod skew;
mod subfile;

#[cfg(test)]
mod degrade;
#[cfg(test)]
mod generate;
#[cfg(test)]
mod image_tests;
#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod specimens;

pub use decode::{decode_pdf417, decode_pdf417_first_try, decode_pdf417_with, DecodeOptions};
pub use iin::{jurisdiction_of_iin, Jurisdiction};
pub use parse::{parse_aamva, parse_aamva_bytes};
pub use record::{AamvaProblem, AamvaRecord, Address, DocumentKind, JurisdictionCountry, Sex};

use image::DynamicImage;

/// Why a decoded barcode is not an AAMVA licence or card at all. A text that is one is parsed
/// even when parts of it are wrong: those are reported in [`AamvaRecord::problems`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    /// No "ANSI " or "AAMVA" file type near the start: another kind of PDF417 (boarding
    /// passes, shipping labels) or no AAMVA data.
    #[error(
        "the barcode holds no AAMVA header (no \"ANSI \" or \"AAMVA\" file type at its start)"
    )]
    NotAamva,
    /// The header stops, or holds something else, where a fixed-width number is due.
    #[error("the AAMVA header's {field} is not readable: {printed:?}")]
    InvalidHeader {
        field: &'static str,
        /// At most the few characters where the field was due.
        printed: String,
    },
    /// Version 0 does not exist; the other versions are read, those after 10 with a problem.
    #[error("AAMVA version {0} does not exist")]
    UnsupportedVersion(u8),
    /// The header is AAMVA's, but neither a DL nor an ID subfile is where the designators say
    /// or anywhere else in the text.
    #[error("the AAMVA data holds no driving licence (DL) or identity card (ID) subfile")]
    NoDocumentSubfile,
}

/// Decodes the PDF417 symbol in `image` and parses it as AAMVA data.
///
/// `Ok(None)` when the image holds no readable PDF417 symbol; an error when it holds one that
/// is not an AAMVA licence or card.
pub fn read_aamva(image: &DynamicImage) -> Result<Option<AamvaRecord>, BarcodeError> {
    decode_pdf417(image)
        .map(|text| parse_aamva(&text))
        .transpose()
}

/// [`read_aamva`] with only the first, cheapest attempt: a scan or a straight photo of a
/// licence back decodes there (a few milliseconds), and a side without a symbol costs one
/// binarization instead of every recovery attempt.
pub fn read_aamva_at_first_try(image: &DynamicImage) -> Result<Option<AamvaRecord>, BarcodeError> {
    decode_pdf417_first_try(image)
        .map(|text| parse_aamva(&text))
        .transpose()
}

//! The AAMVA parser of decoded PDF417 data (`parse_aamva`, `parse_aamva_bytes`): header,
//! subfile designators with their offsets and lengths, elements, dates, names, address. Its
//! input is whatever a barcode in a photo decodes to.
//!
//! Input: one selector byte, then the barcode data. Selector bit 0: read the data as text
//! (UTF-8, lossy) through `parse_aamva` instead of as bytes. Bit 1: the data ends at the first
//! NUL byte, and the lines after it are OCR lines of the card's front, compared with the record.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verifyd_engine::documents::barcode::{jurisdiction_of_iin, parse_aamva, parse_aamva_bytes};
use verifyd_engine::documents::visual_zone::compare_with_barcode;

#[path = "shared/ocr_column.rs"]
mod ocr_column;
use ocr_column::column;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (barcode, front) = if selector & 2 != 0 {
        match rest.iter().position(|&byte| byte == 0) {
            Some(nul) => (&rest[..nul], Some(&rest[nul + 1..])),
            None => (rest, None),
        }
    } else {
        (rest, None)
    };

    let parsed = if selector & 1 != 0 {
        parse_aamva(&String::from_utf8_lossy(barcode))
    } else {
        let parsed = parse_aamva_bytes(barcode);
        // The text entry point reads each character as one ISO 8859-1 byte: the same data as
        // Latin-1 text is the same barcode.
        let latin1: String = barcode.iter().map(|&byte| char::from(byte)).collect();
        assert_eq!(parse_aamva(&latin1), parsed);
        parsed
    };
    let Ok(record) = parsed else {
        return;
    };
    let _ = jurisdiction_of_iin(&record.iin);
    let _ = format!("{record:?}");
    if let Some(front) = front {
        let lines = column(&String::from_utf8_lossy(front));
        let _ = compare_with_barcode(&lines, &record);
    }
});

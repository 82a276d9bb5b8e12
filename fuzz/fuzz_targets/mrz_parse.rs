//! The MRZ text parser (`verifyd_engine::documents::mrz::parse`), which every stage of the MRZ
//! reading after OCR goes through: `text` (shape, characters), `coerce`, `filler`, `resolve`
//! (the check-digit search), then the fields. Its input is OCR output, so anything.
//!
//! Input: one byte choosing the reference year (1900 + byte), then UTF-8 text (lossy). The text
//! up to the first U+001E (record separator) is the MRZ; the lines after it are laid out as a
//! column of OCR lines of the visual zone and compared with the MRZ read, when there is one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verifyd_engine::documents::mrz::{alpha3, check_digit, is_specimen_state, parse};
use verifyd_engine::documents::specimen::{has_specimen_marking, is_specimen};
use verifyd_engine::documents::visual_zone::compare_with_mrz;

#[path = "shared/ocr_column.rs"]
mod ocr_column;
use ocr_column::column;

fuzz_target!(|data: &[u8]| {
    let Some((&year, rest)) = data.split_first() else {
        return;
    };
    let reference_year = 1900 + u16::from(year);
    let text = String::from_utf8_lossy(rest);
    let (mrz_text, visual) = match text.split_once('\u{1e}') {
        Some((mrz, visual)) => (mrz, Some(visual)),
        None => (&*text, None),
    };

    let _ = check_digit(mrz_text);
    let _ = has_specimen_marking(mrz_text.lines());
    let Ok(mrz) = parse(mrz_text, reference_year) else {
        return;
    };
    let _ = mrz.all_checks_pass();
    let _ = (mrz.issuing_state_alpha3(), mrz.nationality_alpha3());
    let _ = (
        is_specimen_state(&mrz.issuing_state),
        alpha3(&mrz.nationality),
    );
    let _ = is_specimen(
        &mrz.issuing_state,
        &mrz.surname,
        &mrz.given_names,
        &mrz.document_number,
    );
    for date in [mrz.birth_date, mrz.expiry_date].into_iter().flatten() {
        let _ = date.naive();
    }
    for line in &mrz.lines {
        let _ = check_digit(line);
    }
    let _ = format!("{mrz:?}");
    // The lines as read are "normalised and corrected": they have the shape of an MRZ, so
    // they parse again.
    let again = parse(&mrz.lines.join("\n"), reference_year);
    assert!(
        again.is_ok(),
        "the corrected lines {:?} no longer parse: {again:?}",
        mrz.lines
    );
    if let Some(visual) = visual {
        let lines = column(visual);
        let _ = compare_with_mrz(&lines, &mrz);
    }
});

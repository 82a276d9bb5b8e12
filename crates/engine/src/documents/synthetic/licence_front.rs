//! The front of a North American driving licence, printed as most US states print it: short
//! captions of the AAMVA card design standard (DL, EXP, LN, FN, DOB, ISS) each followed on
//! its line by the value, dates month first. A forgery prints other data on the front than
//! the barcode on the back holds: render the front of one holder and the back of another.

use chrono::NaiveDate;
use image::{Rgb, RgbImage};
use imageproc::drawing::{draw_filled_ellipse_mut, draw_filled_rect_mut};
use imageproc::rect::Rect;

use super::font::OcrB;
use super::licence::LicenceHolder;
use super::render::{card_on_table, text, Scale, INK, LABEL_INK, TABLE_MARGIN};

/// ISO/IEC 7810 ID-1, the size of every licence card.
const CARD_MM: (f32, f32) = (85.6, 53.98);
/// Where the captioned fields start, right of the portrait.
const FIELDS_LEFT_MM: f32 = 33.0;
/// Where a value starts after its caption.
const VALUE_OFFSET_MM: f32 = 8.0;
const ROW_PITCH_MM: f32 = 4.4;

/// As US licences print dates: month first.
fn printed_date(date: NaiveDate) -> String {
    date.format("%m/%d/%Y").to_string()
}

/// The front of `holder`'s licence at `pixels_per_mm` (15 gives a card of 1284 pixels across),
/// lying on a table.
pub fn licence_front(font: &OcrB, holder: &LicenceHolder, pixels_per_mm: f32) -> RgbImage {
    let scale = Scale(pixels_per_mm);
    let (card_width, card_height) = (scale.px(CARD_MM.0), scale.px(CARD_MM.1));
    let margin = (TABLE_MARGIN * card_width).round();
    let mut canvas = card_on_table((card_width, card_height), margin, [232.0, 236.0, 244.0]);
    // The card's corner is `margin` pixels from the photo's, both ways.
    let at = |mm: f32| margin + scale.px(mm);
    let title = format!("{} USA DRIVER LICENSE", holder.state);
    text(
        &mut canvas,
        font,
        LABEL_INK,
        (at(22.0), at(6.5)),
        3.0,
        &scale,
        &title,
    );

    let portrait = Rect::at(at(4.0) as i32, at(11.0) as i32)
        .of_size(scale.px(25.0) as u32, scale.px(32.0) as u32);
    draw_filled_rect_mut(&mut canvas, portrait, Rgb([190, 195, 205]));
    draw_filled_ellipse_mut(
        &mut canvas,
        (at(16.5) as i32, at(24.0) as i32),
        scale.px(7.5) as i32,
        scale.px(9.5) as i32,
        Rgb([150, 140, 135]),
    );

    let rows: [(&str, String); 8] = [
        ("DL", holder.number.clone()),
        ("EXP", printed_date(holder.expiry_date)),
        ("LN", holder.last_name.clone()),
        ("FN", holder.first_name.clone()),
        ("", holder.street.clone()),
        (
            "",
            format!("{}, {} {}", holder.city, holder.state, holder.postal_code),
        ),
        ("DOB", printed_date(holder.date_of_birth)),
        ("ISS", printed_date(holder.issue_date)),
    ];
    let mut baseline_mm = 14.0;
    for (caption, value) in rows {
        let value_left = if caption.is_empty() {
            FIELDS_LEFT_MM
        } else {
            text(
                &mut canvas,
                font,
                LABEL_INK,
                (at(FIELDS_LEFT_MM), at(baseline_mm)),
                1.6,
                &scale,
                caption,
            );
            FIELDS_LEFT_MM + VALUE_OFFSET_MM
        };
        text(
            &mut canvas,
            font,
            INK,
            (at(value_left), at(baseline_mm)),
            2.2,
            &scale,
            &value,
        );
        baseline_mm += ROW_PITCH_MM;
    }
    canvas
}

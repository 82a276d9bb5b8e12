//! One document drawn flat on a table: background, visual zone, face placeholder and MRZ.

use ab_glyph::{Font, PxScale, ScaleFont};
use image::{Rgb, RgbImage};
use imageproc::drawing::{draw_filled_ellipse_mut, draw_filled_rect_mut, draw_text_mut};
use imageproc::rect::Rect;

use super::font::OcrB;
use super::page::{Page, CAP_HEIGHT_MM, LINE_PITCH_MM, PITCH_MM};
use crate::documents::mrz::generate::{generate_for, Generated, Holder, XorShift};
use crate::documents::mrz::{MrzDate, MrzFormat, Sex};

/// A rendered document and what it says.
#[derive(Debug, Clone)]
pub struct Specimen {
    pub image: RgbImage,
    pub format: MrzFormat,
    /// The MRZ as printed, lines separated by '\n'.
    pub mrz: String,
    pub surname: String,
    pub document_number: String,
    /// The portrait's place on the image: left, top, width, height in pixels. The renderer
    /// draws a placeholder there; tests paste a real face over it.
    pub portrait: (u32, u32, u32, u32),
}

pub(super) const INK: Rgb<u8> = Rgb([25, 25, 30]);
pub(super) const LABEL_INK: Rgb<u8> = Rgb([70, 80, 110]);
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
/// Space around the document, as a share of its longer side: a photo of a document is never
/// cropped to its edges.
pub(super) const TABLE_MARGIN: f32 = 0.12;
/// Between the document's bottom edge and the last MRZ baseline.
const MRZ_BOTTOM_MM: f32 = 3.5;

fn printed_date(date: MrzDate) -> String {
    let month = MONTHS
        .get(usize::from(date.month).saturating_sub(1))
        .copied()
        .unwrap_or("JAN");
    format!("{:02} {month} {}", date.day, date.year)
}

fn sex_letter(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "M",
        Sex::Female => "F",
        Sex::Unspecified => "X",
    }
}

/// Millimetres to pixels.
pub(super) struct Scale(pub(super) f32);

impl Scale {
    pub(super) fn px(&self, mm: f32) -> f32 {
        mm * self.0
    }
    fn at(&self, mm: f32) -> i32 {
        (mm * self.0).round() as i32
    }
}

/// Draws `text` with its baseline at `baseline` (pixels), capitals `cap_mm` high.
pub(super) fn text(
    canvas: &mut RgbImage,
    font: &OcrB,
    colour: Rgb<u8>,
    (x, baseline): (f32, f32),
    cap_mm: f32,
    scale: &Scale,
    text: &str,
) {
    let px_scale: PxScale = font.scale_for_cap_height(scale.px(cap_mm));
    let ascent = font.font.as_scaled(px_scale).ascent();
    let top = (baseline - ascent).round() as i32;
    draw_text_mut(
        canvas,
        colour,
        x.round() as i32,
        top,
        px_scale,
        &font.font,
        text,
    );
}

/// A photo of a card (`card` pixels wide and high, paper of `tint`) lying on a table, with
/// `margin` pixels of table around it; the card's corner is at `margin.round()` both ways.
pub(super) fn card_on_table(card: (f32, f32), margin: f32, tint: [f32; 3]) -> RgbImage {
    let (width, height) = card;
    let mut canvas = RgbImage::new(
        (width + 2.0 * margin).round() as u32,
        (height + 2.0 * margin).round() as u32,
    );
    let corner = margin.round() as u32;
    background(
        &mut canvas,
        (corner, corner, width.round() as u32, height.round() as u32),
        tint,
    );
    canvas
}

/// The table the document lies on, and the document's paper with a faint guilloche.
fn background(canvas: &mut RgbImage, card: (u32, u32, u32, u32), tint: [f32; 3]) {
    let (left, top, width, height) = card;
    let (canvas_width, canvas_height) = canvas.dimensions();
    for (x, y, pixel) in canvas.enumerate_pixels_mut() {
        let inside = x >= left && x < left + width && y >= top && y < top + height;
        if inside {
            let (fx, fy) = (x as f32, y as f32);
            let wave = ((fx * 0.05 + 3.0 * (fy * 0.021).sin()).sin() * 0.5 + 0.5).powi(8);
            let shade = 1.0 - 0.06 * wave;
            *pixel = Rgb(tint.map(|c| (c * shade).clamp(0.0, 255.0) as u8));
        } else {
            let gradient = 0.8 + 0.2 * (x + y) as f32 / (canvas_width + canvas_height) as f32;
            *pixel = Rgb([120.0, 96.0, 72.0].map(|c: f32| (c * gradient) as u8));
        }
    }
}

/// Renders a document of `format` whose MRZ is generated from `seed`, at `pixels_per_mm`
/// (10 gives a TD3 page of 1250 pixels across, as a phone photo of a page filling most of the
/// frame).
pub fn render(
    font: &OcrB,
    format: MrzFormat,
    seed: u32,
    reference_year: u16,
    pixels_per_mm: f32,
) -> Specimen {
    render_altered(font, format, seed, reference_year, pixels_per_mm, |_| {})
}

/// As [`render`], with the MRZ changed by `alter` before it is printed (the visual zone keeps
/// the true data): a forged or misprinted MRZ, for the checks that must catch one. The
/// specimen's `mrz` is the altered text.
pub fn render_altered(
    font: &OcrB,
    format: MrzFormat,
    seed: u32,
    reference_year: u16,
    pixels_per_mm: f32,
    alter: impl FnOnce(&mut String),
) -> Specimen {
    render_spaced(
        font,
        format,
        seed,
        reference_year,
        pixels_per_mm,
        LINE_PITCH_MM,
        alter,
    )
}

/// As [`render_altered`], with the MRZ's baselines `line_pitch_mm` apart: passports and visas
/// place their two lines 6.28 mm apart rather than a TD1's 4.23 mm, which the glyph reader
/// must accept too.
pub fn render_spaced(
    font: &OcrB,
    format: MrzFormat,
    seed: u32,
    reference_year: u16,
    pixels_per_mm: f32,
    line_pitch_mm: f32,
    alter: impl FnOnce(&mut String),
) -> Specimen {
    render_document(
        font,
        format,
        seed,
        reference_year,
        pixels_per_mm,
        line_pitch_mm,
        None,
        alter,
    )
}

/// As [`render`], made out to `holder`: the same document as the seed gives, around another
/// person's names and date of birth, in both zones.
pub fn render_for(
    font: &OcrB,
    format: MrzFormat,
    seed: u32,
    reference_year: u16,
    pixels_per_mm: f32,
    holder: &Holder,
) -> Specimen {
    render_document(
        font,
        format,
        seed,
        reference_year,
        pixels_per_mm,
        LINE_PITCH_MM,
        Some(holder),
        |_| {},
    )
}

#[allow(clippy::too_many_arguments)]
fn render_document(
    font: &OcrB,
    format: MrzFormat,
    seed: u32,
    reference_year: u16,
    pixels_per_mm: f32,
    line_pitch_mm: f32,
    holder: Option<&Holder>,
    alter: impl FnOnce(&mut String),
) -> Specimen {
    let mut rng = XorShift(seed.max(1));
    let mut generated: Generated = generate_for(&mut rng, format, reference_year, holder);
    alter(&mut generated.text);
    let page = Page::of(format);
    let scale = Scale(pixels_per_mm);
    let (card_width, card_height) = (scale.px(page.width_mm), scale.px(page.height_mm));
    let margin = TABLE_MARGIN * card_width.max(card_height);
    let tint = [
        225.0 + rng.between(0, 25) as f32,
        225.0 + rng.between(0, 25) as f32,
        215.0 + rng.between(0, 25) as f32,
    ];
    let mut canvas = card_on_table((card_width, card_height), margin, tint);
    let (left, top) = (margin.round(), margin.round());
    let x = |mm: f32| left + scale.px(mm);
    let y = |mm: f32| top + scale.px(mm);

    let lines: Vec<&str> = generated.text.split('\n').collect();
    let line_count = lines.len() as f32;
    let first_baseline_mm = page.height_mm - MRZ_BOTTOM_MM - (line_count - 1.0) * line_pitch_mm;
    let mrz_top_mm = first_baseline_mm - CAP_HEIGHT_MM - 2.0;

    // Visual zone: title, face, fields, down to the MRZ.
    text(
        &mut canvas,
        font,
        LABEL_INK,
        (x(page.width_mm * 0.35), y(7.0)),
        3.5,
        &scale,
        page.title,
    );
    let face_top_mm = 10.0;
    let face_height_mm = (mrz_top_mm - face_top_mm - 2.0).min(page.height_mm * 0.5);
    let face_width_mm = face_height_mm * 0.78;
    let face = Rect::at(x(5.0) as i32, y(face_top_mm) as i32).of_size(
        scale.px(face_width_mm).max(1.0) as u32,
        scale.px(face_height_mm).max(1.0) as u32,
    );
    draw_filled_rect_mut(&mut canvas, face, Rgb([190, 195, 205]));
    let face_centre = (
        x(5.0 + face_width_mm / 2.0) as i32,
        y(face_top_mm + face_height_mm * 0.42) as i32,
    );
    draw_filled_ellipse_mut(
        &mut canvas,
        face_centre,
        scale.at(face_width_mm * 0.3),
        scale.at(face_height_mm * 0.3),
        Rgb([150, 140, 135]),
    );
    let fields = [
        ("Surname", generated.surname.clone()),
        ("Given names", generated.given_names.clone()),
        ("Nationality", generated.nationality.clone()),
        ("Date of birth", printed_date(generated.birth_date)),
        ("Sex", sex_letter(generated.sex).to_owned()),
        ("Date of expiry", printed_date(generated.expiry_date)),
        ("Document no", generated.document_number.clone()),
    ];
    let fields_left_mm = 5.0 + face_width_mm + 5.0;
    let mut baseline_mm = face_top_mm + 2.0;
    for (label, value) in fields {
        if baseline_mm + 4.0 > mrz_top_mm {
            break;
        }
        text(
            &mut canvas,
            font,
            LABEL_INK,
            (x(fields_left_mm), y(baseline_mm)),
            1.4,
            &scale,
            label,
        );
        text(
            &mut canvas,
            font,
            INK,
            (x(fields_left_mm), y(baseline_mm + 3.0)),
            2.2,
            &scale,
            &value,
        );
        baseline_mm += 5.2;
    }

    // The MRZ, one character per pitch as OCR-B size 1 prints it.
    let line_length = format.line_length() as f32;
    let mrz_left_mm = (page.width_mm - line_length * PITCH_MM) / 2.0;
    let px_scale = font.scale_for_cap_height(scale.px(CAP_HEIGHT_MM));
    let scaled = font.font.as_scaled(px_scale);
    for (index, line) in lines.iter().enumerate() {
        let baseline = y(first_baseline_mm + index as f32 * line_pitch_mm);
        for (column, character) in line.chars().enumerate() {
            let advance = scaled.h_advance(font.font.glyph_id(character));
            let cell_left = x(mrz_left_mm + column as f32 * PITCH_MM);
            let glyph_left = cell_left + (scale.px(PITCH_MM) - advance) / 2.0;
            let top = (baseline - scaled.ascent()).round() as i32;
            let mut buffer = [0_u8; 4];
            draw_text_mut(
                &mut canvas,
                INK,
                glyph_left.round() as i32,
                top,
                px_scale,
                &font.font,
                character.encode_utf8(&mut buffer),
            );
        }
    }
    Specimen {
        image: canvas,
        format,
        mrz: generated.text,
        surname: generated.surname,
        document_number: generated.document_number,
        portrait: (
            face.left().max(0) as u32,
            face.top().max(0) as u32,
            face.width(),
            face.height(),
        ),
    }
}

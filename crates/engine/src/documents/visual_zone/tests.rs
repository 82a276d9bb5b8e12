//! The visual zone of rendered documents, read by the real OCR models, against their MRZ or
//! barcode: genuine documents agree, an MRZ changed after printing or a licence front printed
//! with other data than its barcode does not.

use chrono::NaiveDate;
use image::{DynamicImage, RgbImage};

use super::captions::Captions;
use super::dates::{printed_date, DateOrder, Digits};
use super::{
    agrees, compare_with_barcode, compare_with_mrz, Expected, VisualField, VisualZoneComparison,
};
use crate::documents::barcode::{parse_aamva, read_aamva};
use crate::documents::mrz::photo_tests::{font, reader};
use crate::documents::mrz::{check_digit, parse, read_mrz, Mrz, MrzFormat};
use crate::documents::synthetic::{
    aamva_payload, degrade, licence_back, licence_front, render, render_altered, Degradation,
    LicenceHolder, Specimen,
};
use crate::ocr::{Quad, TextLine};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const YEAR: u16 = 2025;

fn compare(
    document: &Specimen,
    image: RgbImage,
) -> Result<VisualZoneComparison, Box<dyn std::error::Error>> {
    let reader = reader()?;
    let picture = DynamicImage::ImageRgb8(image);
    let reading = read_mrz(reader, &picture, YEAR)?.ok_or("no MRZ")?;
    assert!(reading.mrz.all_checks_pass(), "{:?}", document.mrz);
    let lines = reader.read_lines(&picture)?;
    Ok(compare_with_mrz(&lines, &reading.mrz))
}

#[test]
fn genuine_documents_agree_with_their_mrz() -> TestResult {
    let formats = [
        MrzFormat::Td1,
        MrzFormat::Td2,
        MrzFormat::Td3,
        MrzFormat::MrvA,
        MrzFormat::MrvB,
    ];
    for (index, format) in formats.into_iter().enumerate() {
        for seed in [10, 11] {
            let document = render(font()?, format, seed + 7 * index as u32, YEAR, 10.0);
            let photo = if seed == 11 {
                photographed(&document.image, seed)?
            } else {
                document.image.clone()
            };
            let comparison = compare(&document, photo)?;
            eprintln!("{format:?} {seed}: {comparison:?}");
            assert!(
                comparison.compared.contains(&VisualField::Surname),
                "{format:?}"
            );
            assert!(
                comparison.mismatched.is_empty(),
                "{format:?}: {comparison:?}"
            );
        }
    }
    Ok(())
}

#[test]
fn a_surname_changed_in_the_mrz_is_caught() -> TestResult {
    let document = render_altered(font()?, MrzFormat::Td3, 21, YEAR, 10.0, |text| {
        // Line 1 from column 6 holds the names, which no check digit covers.
        let names = text.get(5..44).unwrap_or_default().to_owned();
        let changed = format!("{:<<39}", "MALLORY<<EVE");
        *text = text.replacen(&names, &changed, 1);
    });
    let comparison = compare(&document, document.image.clone())?;
    assert_eq!(
        comparison.mismatched,
        vec![VisualField::Surname],
        "{comparison:?}"
    );
    Ok(())
}

/// A TD3 MRZ whose date at `start` (columns from 0 on line 2: birth 13, expiry 21) is a year
/// later, with its check digit and the composite recomputed: a forgery no check digit shows.
fn td3_with_a_later_year(text: &mut String, start: usize) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    if let Some(line) = lines.get_mut(1) {
        let mut bytes = line.clone().into_bytes();
        let year = bytes.get(start + 1).copied().unwrap_or(b'0');
        if let Some(slot) = bytes.get_mut(start + 1) {
            *slot = if year == b'9' { b'0' } else { year + 1 };
        }
        let field =
            String::from_utf8_lossy(bytes.get(start..start + 6).unwrap_or_default()).into_owned();
        if let (Some(slot), Some(digit)) = (bytes.get_mut(start + 6), check_digit(&field)) {
            *slot = b'0' + digit;
        }
        let composite: String = [0..10, 13..20, 21..43]
            .into_iter()
            .map(|range| String::from_utf8_lossy(bytes.get(range).unwrap_or_default()).into_owned())
            .collect();
        if let (Some(slot), Some(digit)) = (bytes.get_mut(43), check_digit(&composite)) {
            *slot = b'0' + digit;
        }
        *line = String::from_utf8_lossy(&bytes).into_owned();
    }
    *text = lines.join("\n");
}

#[test]
fn a_date_changed_in_the_mrz_with_its_check_digits_is_caught() -> TestResult {
    for (seed, start, field) in [
        (22, 13, VisualField::DateOfBirth),
        (24, 21, VisualField::ExpiryDate),
    ] {
        let document = render_altered(font()?, MrzFormat::Td3, seed, YEAR, 10.0, |text| {
            td3_with_a_later_year(text, start)
        });
        let comparison = compare(&document, document.image.clone())?;
        assert_eq!(comparison.mismatched, vec![field], "{comparison:?}");
    }
    Ok(())
}

/// `image` through `steps`, the n-th seeded with `base_seed + n`.
fn degraded(
    image: &RgbImage,
    steps: &[Degradation],
    base_seed: u32,
) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let mut photo = image.clone();
    for (step, &degradation) in steps.iter().enumerate() {
        photo = degrade(&photo, degradation, base_seed + step as u32)?;
    }
    Ok(photo)
}

/// Rotation, uneven light, blur and JPEG, as a phone photo has them.
fn photographed(image: &RgbImage, seed: u32) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let steps = [
        Degradation::Rotate(3.0),
        Degradation::UnevenLight(0.3),
        Degradation::Blur(0.8),
        Degradation::Jpeg(70),
    ];
    degraded(image, &steps, seed)
}

/// The front printed for `printed`, read by the OCR, against the barcode of `encoded` read
/// from its rendered back.
fn compare_licence(
    printed: &LicenceHolder,
    encoded: &LicenceHolder,
    pixels_per_mm: f32,
    photo: impl Fn(RgbImage) -> Result<RgbImage, Box<dyn std::error::Error>>,
) -> Result<VisualZoneComparison, Box<dyn std::error::Error>> {
    let back = DynamicImage::ImageRgb8(licence_back(encoded)?);
    let record = read_aamva(&back)?.ok_or("no barcode")?;
    let front = DynamicImage::ImageRgb8(photo(licence_front(font()?, printed, pixels_per_mm))?);
    let lines = reader()?.read_lines(&front)?;
    Ok(compare_with_barcode(&lines, &record))
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, Box<dyn std::error::Error>> {
    Ok(NaiveDate::from_ymd_opt(year, month, day).ok_or("date")?)
}

fn another_holder() -> Result<LicenceHolder, Box<dyn std::error::Error>> {
    Ok(LicenceHolder {
        first_name: "MARCUS".into(),
        last_name: "OKONKWO-BRIGHT".into(),
        date_of_birth: date(1979, 11, 23)?,
        issue_date: date(2021, 8, 9)?,
        expiry_date: date(2029, 11, 23)?,
        number: "Y0938815".into(),
        state: "NY".into(),
        iin: "636001".into(),
        street: "48 ELM AVE".into(),
        city: "ALBANY".into(),
        postal_code: "12203".into(),
    })
}

/// A phone photo of a card: turned (-4 to +4 degrees by `seed`), unevenly lit, blurred more
/// with every seed, noisy, JPEG 60.
fn phone_photo(front: &RgbImage, seed: u32) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let steps = [
        Degradation::Rotate(-4.0 + seed as f32 * 0.7),
        Degradation::UnevenLight(0.4),
        Degradation::Blur(0.5 + 0.1 * seed as f32),
        Degradation::Noise(6.0),
        Degradation::Jpeg(60),
    ];
    degraded(front, &steps, seed * 10)
}

#[test]
fn a_genuine_licence_front_agrees_with_its_barcode() -> TestResult {
    let holders = [LicenceHolder::sample(), another_holder()?];
    let every_field_agrees = VisualZoneComparison {
        compared: VisualField::ALL.to_vec(),
        mismatched: vec![],
    };
    for holder in &holders {
        let comparison = compare_licence(holder, holder, 15.0, Ok)?;
        assert_eq!(comparison, every_field_agrees, "{}", holder.last_name);
    }
    // Cards filling 770 to 2140 pixels across, photographed by phone.
    for seed in 0..12_u32 {
        let holder = &holders[seed as usize % 2];
        let pixels_per_mm = [9.0, 11.0, 13.0, 16.0, 20.0, 25.0][seed as usize % 6];
        let comparison = compare_licence(holder, holder, pixels_per_mm, |front| {
            phone_photo(&front, seed)
        })?;
        assert_eq!(comparison, every_field_agrees, "photo {seed}");
    }
    Ok(())
}

#[test]
fn a_licence_front_printed_with_other_data_than_its_barcode_is_caught() -> TestResult {
    let genuine = another_holder()?;
    let renamed = LicenceHolder {
        last_name: "MALLORY".into(),
        expiry_date: date(2033, 11, 23)?,
        ..genuine.clone()
    };
    let comparison = compare_licence(&renamed, &genuine, 15.0, |front| phone_photo(&front, 5))?;
    assert_eq!(
        comparison.mismatched,
        vec![VisualField::Surname, VisualField::ExpiryDate],
        "{comparison:?}"
    );
    // Another number, and the birth a month earlier.
    let renumbered = LicenceHolder {
        number: "Y0938816".into(),
        date_of_birth: date(1979, 10, 23)?,
        ..genuine.clone()
    };
    let comparison = compare_licence(&renumbered, &genuine, 15.0, Ok)?;
    assert_eq!(
        comparison,
        VisualZoneComparison {
            compared: VisualField::ALL.to_vec(),
            mismatched: vec![VisualField::DocumentNumber, VisualField::DateOfBirth],
        }
    );
    Ok(())
}

#[test]
fn printed_dates_are_read_in_the_documents_order() -> TestResult {
    let april_second = Some(date(1990, 4, 2)?);
    let november_23 = Some(date(1979, 11, 23)?);
    let strict = Digits::Strict;
    for (printed, order, digits, read) in [
        ("04/02/1990", DateOrder::MonthFirst, strict, april_second),
        ("02.04.1990", DateOrder::DayFirst, strict, april_second),
        ("02 APR 1990", DateOrder::DayFirst, strict, april_second),
        ("APR 02 1990", DateOrder::DayFirst, strict, april_second),
        // The year first leaves no doubt, whatever the order.
        ("1990-04-02", DateOrder::MonthFirst, strict, april_second),
        ("1990/04/02", DateOrder::DayFirst, strict, april_second),
        (
            "04/02/1990",
            DateOrder::DayFirst,
            strict,
            Some(date(1990, 2, 4)?),
        ),
        // In an unknown order, only a day over 12 tells.
        ("23/11/1979", DateOrder::Unknown, strict, november_23),
        ("11/23/1979", DateOrder::Unknown, strict, november_23),
        ("04/02/1990", DateOrder::Unknown, strict, None),
        // OCR's look-alikes in numbers, taken only when asked for.
        (
            "O4/O2/199O",
            DateOrder::MonthFirst,
            Digits::LookAlikes,
            april_second,
        ),
        ("O4/O2/199O", DateOrder::MonthFirst, strict, None),
        (
            "02 APR 199O",
            DateOrder::DayFirst,
            Digits::LookAlikes,
            april_second,
        ),
        (
            "14 0CT 2027",
            DateOrder::DayFirst,
            Digits::LookAlikes,
            Some(date(2027, 10, 14)?),
        ),
        ("14 0CT 2027", DateOrder::DayFirst, strict, None),
        ("13/31/1990", DateOrder::MonthFirst, strict, None),
        ("04/02", DateOrder::MonthFirst, strict, None),
    ] {
        assert_eq!(
            printed_date(printed, order, digits),
            read,
            "{printed} {order:?} {digits:?}"
        );
    }
    Ok(())
}

fn line(text: &str, (left, top): (f32, f32), (width, height): (f32, f32)) -> TextLine {
    TextLine {
        text: text.to_owned(),
        confidence: 0.99,
        quad: Quad([
            [left, top],
            [left + width, top],
            [left + width, top + height],
            [left, top + height],
        ]),
    }
}

fn values(captions: Captions, lines: &[TextLine], field: VisualField) -> Vec<String> {
    captions
        .values_of(lines, field)
        .into_iter()
        .map(|(value, _)| value)
        .collect()
}

#[test]
fn licence_captions_are_found_at_the_start_of_a_line() {
    let value = |text: &str, field| {
        values(
            Captions::Aamva,
            &[line(text, (0.0, 0.0), (300.0, 20.0))],
            field,
        )
    };
    assert_eq!(
        value("4d DL D1234567", VisualField::DocumentNumber),
        ["D1234567"]
    );
    assert_eq!(
        value("DOB: 04/02/1990", VisualField::DateOfBirth),
        ["04/02/1990"]
    );
    assert_eq!(value("LN DOE", VisualField::Surname), ["DOE"]);
    // A field number alone is a house number as often as a caption.
    assert!(value("1 MAIN ST", VisualField::Surname).is_empty());
    // A caption inside a line is not one.
    assert!(value("CA USA DRIVER LICENSE DL", VisualField::DocumentNumber).is_empty());
}

#[test]
fn a_captions_value_is_after_it_on_its_baseline_never_on_the_next_row() {
    // A small caption and its taller value share the bottom edge.
    let caption = line("DL", (0.0, 0.0), (40.0, 20.0));
    let value = line("D1234567", (60.0, -8.0), (240.0, 28.0));
    let next_row = line("EXP 04/02/2030", (0.0, 30.0), (300.0, 20.0));
    assert_eq!(
        values(
            Captions::Aamva,
            &[caption.clone(), value, next_row.clone()],
            VisualField::DocumentNumber
        ),
        ["D1234567"]
    );
    // Its value not read, a caption takes nothing from the row under it.
    assert!(values(
        Captions::Aamva,
        &[caption, next_row],
        VisualField::DocumentNumber
    )
    .is_empty());
    // Under an ICAO caption, a one-letter surname is a box as tall as wide.
    let surname = [
        line("Surname", (0.0, 0.0), (120.0, 20.0)),
        line("O", (0.0, 30.0), (20.0, 24.0)),
    ];
    assert_eq!(
        values(Captions::Icao, &surname, VisualField::Surname),
        ["O"]
    );
}

#[test]
fn doubtful_or_unusable_values_contradict_nothing() -> TestResult {
    let record = parse_aamva(&aamva_payload(&LicenceHolder::sample()))?;
    let mut doubtful_name = line("LN MALLORY", (0.0, 40.0), (300.0, 20.0));
    doubtful_name.confidence = 0.8;
    let mut doubtful_birth = line("DOB 04/02/1990", (0.0, 80.0), (300.0, 20.0));
    doubtful_birth.confidence = 0.8;
    let lines = [
        // "ID CARD" is a title, not an ID number.
        line("ID CARD", (0.0, 0.0), (300.0, 20.0)),
        line("ID D1234567", (0.0, 120.0), (300.0, 20.0)),
        doubtful_name,
        doubtful_birth,
    ];
    assert_eq!(
        compare_with_barcode(&lines, &record),
        VisualZoneComparison {
            compared: vec![VisualField::DocumentNumber, VisualField::DateOfBirth],
            mismatched: vec![],
        }
    );
    Ok(())
}

/// A TD3 MRZ of ERIKSSON, born on `birth` (YYMMDD), read with 2025 as the reference year.
fn eriksson(birth: &str) -> Result<Mrz, Box<dyn std::error::Error>> {
    let first = format!("{:<<44}", "P<UTOERIKSSON<<ANNA<MARIA");
    let number = "L898902C3";
    let expiry = "340415";
    let digit = |field: &str| {
        check_digit(field)
            .map(|d| char::from(b'0' + d))
            .ok_or("digit")
    };
    let composite = format!(
        "{number}{}{birth}{}{expiry}{}{:<<14}",
        digit(number)?,
        digit(birth)?,
        digit(expiry)?,
        ""
    );
    let second = format!(
        "{number}{}UTO{birth}{}F{expiry}{}{:<<14}<{}",
        digit(number)?,
        digit(birth)?,
        digit(expiry)?,
        "",
        digit(&composite)?
    );
    Ok(parse(&format!("{first}\n{second}"), 2025)?)
}

#[test]
fn what_the_card_cannot_show_is_no_contradiction() -> TestResult {
    let page = |surname: &str, birth: &str| {
        [
            line("Surname", (0.0, 0.0), (120.0, 20.0)),
            line(surname, (0.0, 30.0), (300.0, 24.0)),
            line("Date of birth", (0.0, 70.0), (200.0, 20.0)),
            line(birth, (0.0, 100.0), (300.0, 24.0)),
        ]
    };
    // Born in 1920: the MRZ's "20" reads as 2020, the card prints the century.
    let centenarian = eriksson("200101")?;
    assert_eq!(
        compare_with_mrz(&page("ERIKSSON", "01 JAN 1920"), &centenarian).mismatched,
        vec![]
    );
    assert_eq!(
        compare_with_mrz(&page("ERIKSSON", "01 JAN 1921"), &centenarian).mismatched,
        vec![VisualField::DateOfBirth]
    );
    // Umlauts dropped or expanded, a name cut short on the card: no mismatch; another name is.
    let mrz = eriksson("740812")?;
    for (printed, mismatched) in [
        ("ERIKSSON", vec![]),
        ("ÉRIKSSON", vec![]),
        ("ERIK", vec![]),
        ("ERICSON", vec![VisualField::Surname]),
    ] {
        let comparison = compare_with_mrz(&page(printed, "12 AUG 1974"), &mrz);
        assert_eq!(comparison.mismatched, mismatched, "{printed}");
    }
    // A surname box not read leaves the next caption under "Surname": no value, no mismatch.
    let unread = [
        line("Surname", (0.0, 0.0), (120.0, 20.0)),
        line("Given names / Prénoms", (0.0, 30.0), (300.0, 20.0)),
        line("ANNA MARIA", (0.0, 60.0), (300.0, 24.0)),
    ];
    assert_eq!(
        compare_with_mrz(&unread, &mrz),
        VisualZoneComparison::default()
    );
    Ok(())
}

#[test]
fn umlauts_are_spelled_either_way() -> TestResult {
    let holder = LicenceHolder {
        last_name: "JAASKELAINEN".into(),
        ..LicenceHolder::sample()
    };
    let record = parse_aamva(&aamva_payload(&holder))?;
    let lines = [line("LN JÄÄSKELÄINEN", (0.0, 0.0), (300.0, 20.0))];
    assert_eq!(
        compare_with_barcode(&lines, &record),
        VisualZoneComparison {
            compared: vec![VisualField::Surname],
            mismatched: vec![],
        }
    );
    Ok(())
}

/// The Ukrainian passport specimen of `../shared/real-documents` prints its holder's surname in
/// Cyrillic and Latin letters on one line; the OCR read it as below, and the Latin part is the
/// MRZ's name. A wholly different name after the slash still contradicts it.
#[test]
fn a_bilingual_surname_agrees_by_either_part() {
    let expected = Expected {
        surname: "TKACHENKO",
        surname_truncated: true,
        document_number: "",
        birth: None,
        expiry: None,
        dates: DateOrder::DayFirst,
    };
    assert_eq!(
        agrees(VisualField::Surname, "TKAYEHKO/TKACHENKO", &expected),
        Some(true)
    );
    assert_eq!(
        agrees(VisualField::Surname, "PETRENKO/PETRENKO", &expected),
        Some(false)
    );
}

//! The visual zone of rendered documents, read by the real OCR models, against their MRZ:
//! genuine documents agree, an MRZ changed after printing does not.

use image::DynamicImage;

use super::mrz::{check_digit, read_mrz, MrzFormat};
use super::synthetic::{degrade, render, render_altered, Degradation, Specimen};
use super::visual_zone::{compare_with_mrz, VisualField, VisualZoneComparison};
use crate::documents::mrz::photo_tests::{font, reader};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const YEAR: u16 = 2025;

fn compare(
    document: &Specimen,
    image: image::RgbImage,
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
            let mut photo = document.image.clone();
            if seed == 11 {
                for (step, degradation) in [
                    Degradation::Rotate(3.0),
                    Degradation::UnevenLight(0.3),
                    Degradation::Blur(0.8),
                    Degradation::Jpeg(70),
                ]
                .into_iter()
                .enumerate()
                {
                    photo = degrade(&photo, degradation, seed + step as u32)?;
                }
            }
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

#[test]
fn a_birth_date_changed_in_the_mrz_with_its_check_digits_is_caught() -> TestResult {
    let document = render_altered(font()?, MrzFormat::Td3, 22, YEAR, 10.0, |text| {
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        if let Some(line) = lines.get_mut(1) {
            // Birth date at columns 14-19, its check digit at 20, the composite at 44.
            let mut bytes = line.clone().into_bytes();
            let year = bytes.get(13).copied().unwrap_or(b'0');
            if let Some(slot) = bytes.get_mut(13) {
                *slot = if year == b'9' { b'8' } else { year + 1 };
            }
            let field = String::from_utf8_lossy(bytes.get(13..19).unwrap_or_default()).into_owned();
            if let (Some(slot), Some(digit)) = (bytes.get_mut(19), check_digit(&field)) {
                *slot = b'0' + digit;
            }
            let composite: String = [0..10, 13..20, 21..43]
                .into_iter()
                .map(|range| {
                    String::from_utf8_lossy(bytes.get(range).unwrap_or_default()).into_owned()
                })
                .collect();
            if let (Some(slot), Some(digit)) = (bytes.get_mut(43), check_digit(&composite)) {
                *slot = b'0' + digit;
            }
            *line = String::from_utf8_lossy(&bytes).into_owned();
        }
        *text = lines.join("\n");
    });
    let comparison = compare(&document, document.image.clone())?;
    assert_eq!(
        comparison.mismatched,
        vec![VisualField::DateOfBirth],
        "{comparison:?}"
    );
    Ok(())
}

//! Properties over a few hundred generated MRZs, reproducible from fixed seeds.

use super::generate::{generate, Generated, XorShift};
use super::*;

const REFERENCE_YEAR: u16 = 2025;
const SAMPLES: usize = 500;

fn samples(seed: u32) -> impl Iterator<Item = Generated> {
    let mut rng = XorShift(seed);
    (0..SAMPLES).map(move |_| generate(&mut rng, REFERENCE_YEAR))
}

fn assert_fields(mrz: &Mrz, expected: &Generated) {
    let context = &expected.text;
    assert_eq!(mrz.format, expected.format, "{context}");
    assert_eq!(mrz.document_code, expected.document_code, "{context}");
    assert_eq!(mrz.issuing_state, expected.issuing_state, "{context}");
    assert_eq!(mrz.surname, expected.surname, "{context}");
    assert_eq!(mrz.given_names, expected.given_names, "{context}");
    assert_eq!(mrz.document_number, expected.document_number, "{context}");
    assert_eq!(mrz.nationality, expected.nationality, "{context}");
    assert_eq!(mrz.birth_date, Some(expected.birth_date), "{context}");
    assert_eq!(mrz.sex, Some(expected.sex), "{context}");
    assert_eq!(mrz.expiry_date, Some(expected.expiry_date), "{context}");
    assert_eq!(mrz.optional_data_1, expected.optional_data_1, "{context}");
    assert_eq!(mrz.optional_data_2, expected.optional_data_2, "{context}");
}

/// `text` with the character at (line, column), from 0, replaced.
fn replaced(text: &str, line: usize, column: usize, by: char) -> String {
    text.lines()
        .enumerate()
        .map(|(line_index, content)| {
            content
                .chars()
                .enumerate()
                .map(|(index, c)| {
                    if line_index == line && index == column {
                        by
                    } else {
                        c
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn character_at(text: &str, line: usize, column: usize) -> Option<char> {
    text.lines()
        .nth(line)
        .and_then(|line| line.chars().nth(column))
}

#[test]
fn generated_mrzs_round_trip() -> Result<(), MrzError> {
    let mut formats = std::collections::HashSet::new();
    let mut long_numbers = 0;
    for expected in samples(0x2545_F491) {
        let mrz = parse(&expected.text, REFERENCE_YEAR)?;
        assert_fields(&mrz, &expected);
        assert!(mrz.all_checks_pass(), "{}: {:?}", expected.text, mrz.checks);
        assert!(
            mrz.corrections.is_empty(),
            "{}: {:?}",
            expected.text,
            mrz.corrections
        );
        assert!(
            mrz.problems.is_empty(),
            "{}: {:?}",
            expected.text,
            mrz.problems
        );
        assert_eq!(mrz.lines.join("\n"), expected.text);
        formats.insert(mrz.format);
        if mrz.document_number.len() > 9 {
            long_numbers += 1;
        }
    }
    assert_eq!(formats.len(), 5);
    assert!(long_numbers > 20, "{long_numbers}");
    Ok(())
}

/// The generator's check digits verify (see `generated_mrzs_round_trip`), and they see a change:
/// with the first character of the document number replaced by the next one in the alphabet,
/// the number fails its check digit, unless a correction is reported.
#[test]
fn generated_check_digits_verify_and_catch_a_change() -> Result<(), MrzError> {
    for expected in samples(0x1234_5678) {
        let Some(&(line, column)) = expected.document_number_cells.first() else {
            continue;
        };
        let Some(first) = character_at(&expected.text, line, column) else {
            continue;
        };
        let changed = match first {
            '9' => '0',
            'Z' => 'A',
            other => char::from(other as u8 + 1),
        };
        let mrz = parse(
            &replaced(&expected.text, line, column, changed),
            REFERENCE_YEAR,
        )?;
        assert!(
            !mrz.checks.document_number || !mrz.corrections.is_empty(),
            "{}",
            expected.text
        );
    }
    Ok(())
}

/// What the confusions of OCR do to a document number is undone exactly or left failing: with
/// the true reading among those tried, a single satisfying reading can only be the true one.
/// (6 read as G, or G as 6, is left out: no check digit can see it.)
#[test]
fn a_confusable_misread_in_the_document_number_is_restored_or_left_failing() -> Result<(), MrzError>
{
    const GROUPS: [&str; 5] = ["0ODQ", "1I", "2Z", "5S", "8B"];
    let mut rng = XorShift(0x0BAD_5EED);
    let (mut restored, mut failing) = (0, 0);
    for expected in samples(0x5EED_0001) {
        let confusable: Vec<(usize, usize, &str, char)> = expected
            .document_number_cells
            .iter()
            .filter_map(|&(line, column)| {
                let c = character_at(&expected.text, line, column)?;
                let group = GROUPS.iter().find(|group| group.contains(c))?;
                Some((line, column, *group, c))
            })
            .collect();
        if confusable.is_empty() {
            continue;
        }
        let pick = rng.between(0, confusable.len() - 1);
        let Some(&(line, column, group, original)) = confusable.get(pick) else {
            continue;
        };
        let others: Vec<char> = group.chars().filter(|&c| c != original).collect();
        let misread = rng.pick(&others, original);
        let mrz = parse(
            &replaced(&expected.text, line, column, misread),
            REFERENCE_YEAR,
        )?;
        if mrz.checks.document_number {
            assert_eq!(
                mrz.document_number, expected.document_number,
                "{}",
                expected.text
            );
            assert_eq!(mrz.corrections.len(), 1, "{}", expected.text);
            assert!(mrz.all_checks_pass(), "{}", expected.text);
            restored += 1;
        } else {
            assert!(mrz.corrections.is_empty(), "{}", expected.text);
            failing += 1;
        }
    }
    // Measured: 216 restored, 249 left failing (ambiguous, or too many readings). A mod-10
    // check digit cannot do better with numbers that have many confusable characters.
    assert!(restored > 100 && failing > 100, "{restored} {failing}");
    Ok(())
}

/// Digits read as letters in dates, and letters read as digits in names and state codes, are
/// always restored: the class of the field decides, without any check digit.
#[test]
fn confusable_misreads_in_dates_names_and_codes_are_always_restored() -> Result<(), MrzError> {
    const DIGIT_LOOKS_LIKE: [(char, &str); 6] = [
        ('0', "ODQ"),
        ('1', "I"),
        ('2', "Z"),
        ('5', "S"),
        ('6', "G"),
        ('8', "B"),
    ];
    const LETTER_LOOKS_LIKE: [(char, char); 6] = [
        ('O', '0'),
        ('I', '1'),
        ('Z', '2'),
        ('S', '5'),
        ('G', '6'),
        ('B', '8'),
    ];
    let mut rng = XorShift(0xC0FF_EE11);
    let mut total_misreads = 0;
    for expected in samples(0x5EED_0002) {
        let (names_line, names_start, names_length) = match expected.format {
            MrzFormat::Td1 => (2, 0, 30),
            MrzFormat::Td2 | MrzFormat::MrvB => (0, 5, 31),
            MrzFormat::Td3 | MrzFormat::MrvA => (0, 5, 39),
        };
        let dates: Vec<(usize, usize)> = match expected.format {
            MrzFormat::Td1 => (0..6).chain(8..14).map(|column| (1, column)).collect(),
            _ => (13..19).chain(21..27).map(|column| (1, column)).collect(),
        };
        let mut text = expected.text.clone();
        let mut misreads = 0;
        for (line, column) in dates {
            let Some(c) = character_at(&text, line, column) else {
                continue;
            };
            let Some((_, letters)) = DIGIT_LOOKS_LIKE.iter().find(|(digit, _)| *digit == c) else {
                continue;
            };
            if rng.between(0, 2) == 0 {
                let letters: Vec<char> = letters.chars().collect();
                text = replaced(&text, line, column, rng.pick(&letters, c));
                misreads += 1;
            }
        }
        let letters = (names_start..names_start + names_length)
            .map(|column| (names_line, column))
            .chain((2..5).map(|column| (0, column)));
        for (line, column) in letters {
            let Some(c) = character_at(&text, line, column) else {
                continue;
            };
            let Some(&(_, digit)) = LETTER_LOOKS_LIKE.iter().find(|(letter, _)| *letter == c)
            else {
                continue;
            };
            if rng.between(0, 2) == 0 {
                text = replaced(&text, line, column, digit);
                misreads += 1;
            }
        }
        let mrz = parse(&text, REFERENCE_YEAR)?;
        assert_fields(&mrz, &expected);
        assert!(mrz.all_checks_pass(), "{text}");
        assert_eq!(mrz.corrections.len(), misreads, "{text}");
        assert_eq!(mrz.lines.join("\n"), expected.text);
        total_misreads += misreads;
    }
    assert!(total_misreads > 1000, "{total_misreads}");
    Ok(())
}

/// Any text parses or is refused with an error, and any text of an MRZ's shape over the MRZ's
/// characters parses.
#[test]
fn random_text_never_panics() {
    const NOISE: &[char] = &[
        'A', 'K', 'O', 'Z', '0', '1', '6', '8', '<', '<', '<', 'a', 'o', '«', '‹', ' ', '\t', '.',
        'é', '€', '\r', '\n',
    ];
    const MRZ_CHARACTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<KKK";
    let mut rng = XorShift(0xDEAD_BEEF);
    for _ in 0..2000 {
        let length = rng.between(0, 140);
        let text: String = (0..length).map(|_| rng.pick(NOISE, ' ')).collect();
        let _ = parse(&text, REFERENCE_YEAR);
    }
    for _ in 0..2000 {
        let (lines, length) = rng.pick(&[(3, 30), (2, 36), (2, 44)], (2, 44));
        let text: Vec<String> = (0..lines)
            .map(|_| {
                (0..length)
                    .map(|_| char::from(rng.pick(MRZ_CHARACTERS, b'<')))
                    .collect()
            })
            .collect();
        let text = text.join("\n");
        let year = u16::try_from(rng.between(0, usize::from(u16::MAX))).unwrap_or(0);
        let mrz = parse(&text, year);
        assert!(mrz.is_ok(), "{text}: {mrz:?}");
    }
}

//! MRZs as OCR damages them: confusable glyphs, fillers read as K, whitespace and case, and
//! text that is no MRZ at all.

use super::specimen_tests::{read, GERMAN_TD3, LONG_NUMBER_TD1, MRV_B, REFERENCE_YEAR, TD1, TD3};
use super::*;

type TestResult = Result<(), MrzError>;

fn digit(field: &str) -> char {
    check_digit(field).map_or('?', |value| char::from(b'0' + value))
}

/// Line 2 of a TD3 with these fields and correct check digits, nationality UTO, sex F.
fn td3_line2(number: &str, birth: &str, expiry: &str, personal: &str) -> String {
    let number = format!("{number:<<9}");
    let personal = format!("{personal:<<14}");
    let start = format!(
        "{number}{}UTO{birth}{}F{expiry}{}{personal}{}",
        digit(&number),
        digit(birth),
        digit(expiry),
        digit(&personal)
    );
    let composite = format!("{}{}{}", &start[0..10], &start[13..20], &start[21..43]);
    format!("{start}{}", digit(&composite))
}

const TD3_LINE1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";

/// `line` with the character at `column` (from 1, as in corrections) replaced.
fn misread(line: &str, column: usize, read_as: char) -> String {
    line.chars()
        .enumerate()
        .map(|(index, c)| if index + 1 == column { read_as } else { c })
        .collect()
}

fn correction(field: Field, line: usize, column: usize, read: char, corrected: char) -> Correction {
    Correction {
        field,
        line,
        column,
        read,
        corrected,
    }
}

#[test]
fn the_helper_builds_the_specimen() {
    assert_eq!(
        td3_line2("L898902C3", "740812", "120415", "ZE184226B"),
        TD3[1]
    );
}

#[test]
fn o_read_as_zero_in_a_name_is_corrected() -> TestResult {
    let line1 = misread(TD3_LINE1, 12, '0');
    assert!(line1.contains("ERIKSS0N"));
    let mrz = read(&[&line1, TD3[1]])?;
    assert_eq!(mrz.surname, "ERIKSSON");
    assert_eq!(mrz.corrections, [correction(Field::Names, 1, 12, '0', 'O')]);
    assert_eq!(mrz.lines, TD3);
    assert!(mrz.all_checks_pass());
    Ok(())
}

#[test]
fn digits_in_names_and_state_codes_become_their_letters() -> TestResult {
    let line1 = "P<UT0ER1KSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<";
    let mrz = read(&[line1, TD3[1]])?;
    assert_eq!(mrz.issuing_state, "UTO");
    assert_eq!(mrz.surname, "ERIKSSON");
    assert_eq!(mrz.given_names, "ANNA MARIA");
    assert_eq!(
        mrz.corrections,
        [
            correction(Field::IssuingState, 1, 5, '0', 'O'),
            correction(Field::Names, 1, 8, '1', 'I'),
            correction(Field::Names, 1, 24, '1', 'I'),
        ]
    );
    Ok(())
}

#[test]
fn a_digit_without_a_lookalike_letter_stays_and_is_reported() -> TestResult {
    let line1 = misread(TD3_LINE1, 12, '3');
    let mrz = read(&[&line1, TD3[1]])?;
    assert_eq!(mrz.surname, "ERIKSS3N");
    assert!(mrz.corrections.is_empty());
    assert_eq!(
        mrz.problems,
        [FieldProblem::UnexpectedCharacter {
            field: Field::Names,
            line: 1,
            column: 12,
            character: '3'
        }]
    );
    Ok(())
}

#[test]
fn zero_read_as_o_in_a_date_is_corrected() -> TestResult {
    // 740812: the 0 is column 16 of line 2.
    let line2 = misread(TD3[1], 16, 'O');
    assert!(line2.contains("74O812"));
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(
        mrz.birth_date,
        Some(MrzDate {
            year: 1974,
            month: 8,
            day: 12
        })
    );
    assert_eq!(
        mrz.corrections,
        [correction(Field::BirthDate, 2, 16, 'O', '0')]
    );
    assert!(mrz.all_checks_pass());
    assert_eq!(mrz.lines, TD3);
    Ok(())
}

#[test]
fn letters_in_dates_and_check_digits_become_their_digits() -> TestResult {
    // 1204159 read as IZO4IS9, the birth date's check digit 2 as Z, the composite 0 as D.
    let line2 = "L898902C36UTO740812ZFIZO4IS9ZE184226B<<<<<1D";
    let mrz = read(&[TD3_LINE1, line2])?;
    assert_eq!(mrz.lines, TD3);
    assert!(mrz.all_checks_pass());
    assert_eq!(mrz.corrections.len(), 7);
    assert!(mrz.problems.is_empty());
    Ok(())
}

#[test]
fn a_letter_without_a_lookalike_digit_makes_the_date_invalid() -> TestResult {
    let line2 = misread(TD3[1], 16, 'X');
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(mrz.birth_date, None);
    assert!(!mrz.checks.birth_date);
    assert_eq!(
        mrz.problems,
        [
            FieldProblem::UnexpectedCharacter {
                field: Field::BirthDate,
                line: 2,
                column: 16,
                character: 'X'
            },
            FieldProblem::InvalidDate {
                field: Field::BirthDate,
                printed: "74X812".to_owned()
            }
        ]
    );
    Ok(())
}

/// "PA3470X49" has one confusable character, the 0. Read as O, it has three other readings
/// (0, D, Q), and only the 0 satisfies the check digit.
#[test]
fn a_document_number_with_one_consistent_reading_is_corrected() -> TestResult {
    let line2 = td3_line2("PA3470X49", "740812", "120415", "");
    let misread_line2 = misread(&line2, 6, 'O');
    assert!(misread_line2.starts_with("PA347OX49"));
    let mrz = read(&[TD3_LINE1, &misread_line2])?;
    assert_eq!(mrz.document_number, "PA3470X49");
    assert!(mrz.all_checks_pass());
    assert_eq!(
        mrz.corrections,
        [correction(Field::DocumentNumber, 2, 6, 'O', '0')]
    );
    assert!(mrz.problems.is_empty());
    assert_eq!(mrz.lines, [TD3_LINE1, &line2]);
    Ok(())
}

#[test]
fn a_visa_number_with_one_consistent_reading_is_corrected() -> TestResult {
    // MRV-B has no composite: the number's own check digit decides alone.
    let number = "XA7T4J9P1";
    let line2 = format!("{number}{}XXX4009078F9612109<<<<<<<<", digit(number));
    let misread_line2 = misread(&line2, 9, 'I');
    let mrz = read(&[MRV_B[0], &misread_line2])?;
    assert_eq!(mrz.format, MrzFormat::MrvB);
    assert_eq!(mrz.document_number, number);
    assert_eq!(
        mrz.corrections,
        [correction(Field::DocumentNumber, 2, 9, 'I', '1')]
    );
    assert!(mrz.all_checks_pass());
    Ok(())
}

/// The specimen's "L898902C3" with its 0 read as O: the 0, and two other readings besides,
/// satisfy the check digit. The parser does not choose.
#[test]
fn an_ambiguous_document_number_is_left_failing() -> TestResult {
    let line2 = misread(TD3[1], 6, 'O');
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(mrz.document_number, "L8989O2C3");
    assert!(!mrz.checks.document_number);
    assert!(!mrz.all_checks_pass());
    assert!(mrz.corrections.is_empty());
    assert_eq!(
        mrz.problems,
        [FieldProblem::AmbiguousCorrection {
            field: Field::DocumentNumber,
            candidates: 3
        }]
    );
    Ok(())
}

/// A 3 read as 8 is no confusion the parser knows; no reading of "PA8470X49" satisfies the
/// check digit of "PA3470X49".
#[test]
fn an_uncorrectable_document_number_is_left_failing() -> TestResult {
    let line2 = td3_line2("PA3470X49", "740812", "120415", "");
    let misread_line2 = misread(&line2, 3, '8');
    let mrz = read(&[TD3_LINE1, &misread_line2])?;
    assert_eq!(mrz.document_number, "PA8470X49");
    assert!(!mrz.checks.document_number);
    assert!(mrz.corrections.is_empty());
    assert!(mrz.problems.is_empty(), "{:?}", mrz.problems);
    Ok(())
}

/// The document number's check digit 6 misread as another digit: readings of the number
/// satisfy the misread digit, but the composite was computed with the 6 and rules them out,
/// except when the misread digit is off by 5 (1): then the composite cannot tell, and here five
/// readings are left, so none is chosen. With a single one, it would be chosen, wrongly.
#[test]
fn a_misread_check_digit_is_not_corrected_against_the_composite() -> TestResult {
    for misread_digit in ['0', '1', '2', '3', '4', '5', '7', '8', '9'] {
        let line2 = misread(TD3[1], 10, misread_digit);
        let mrz = read(&[TD3_LINE1, &line2])?;
        assert_eq!(mrz.document_number, "L898902C3");
        assert!(mrz.corrections.is_empty(), "{:?}", mrz.corrections);
        assert!(!mrz.checks.document_number);
        assert_eq!(mrz.checks.composite, Some(false));
        let expected_problems = if misread_digit == '1' {
            vec![FieldProblem::AmbiguousCorrection {
                field: Field::DocumentNumber,
                candidates: 5,
            }]
        } else {
            Vec::new()
        };
        assert_eq!(mrz.problems, expected_problems, "{misread_digit}");
    }
    Ok(())
}

#[test]
fn a_number_with_too_many_confusables_is_not_tried() -> TestResult {
    let line2 = td3_line2("000000000", "740812", "120415", "");
    let misread_line2 = format!("OOOOOOOOO{}", &line2[9..]);
    let mrz = read(&[TD3_LINE1, &misread_line2])?;
    assert_eq!(mrz.document_number, "OOOOOOOOO");
    assert!(!mrz.checks.document_number);
    assert_eq!(
        mrz.problems,
        [FieldProblem::TooManyConfusables {
            field: Field::DocumentNumber
        }]
    );
    Ok(())
}

#[test]
fn o_read_as_zero_among_many_confusables_is_corrected_by_o_and_zero_alone() -> TestResult {
    // Every character but one has a lookalike: 2048 readings with all confusions, too many to
    // try, but only 4 with O and 0 swapped, and one of those passes.
    let line2 = td3_line2("B8O15S20Z", "740812", "120415", "");
    let misread_line2 = misread(&line2, 3, '0');
    let mrz = read(&[TD3_LINE1, &misread_line2])?;
    assert_eq!(mrz.document_number, "B8O15S20Z");
    assert!(mrz.checks.document_number);
    assert_eq!(
        mrz.corrections,
        [correction(Field::DocumentNumber, 2, 3, '0', 'O')]
    );
    Ok(())
}

#[test]
fn fillers_read_as_k_after_the_names_are_corrected() -> TestResult {
    let line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<K<<<<<<K<<<<<<<K";
    let mrz = read(&[line1, TD3[1]])?;
    assert_eq!(mrz.given_names, "ANNA MARIA");
    assert_eq!(
        mrz.corrections,
        [
            correction(Field::Names, 1, 29, 'K', '<'),
            correction(Field::Names, 1, 36, 'K', '<'),
            correction(Field::Names, 1, 44, 'K', '<'),
        ]
    );
    assert_eq!(mrz.lines, TD3);
    Ok(())
}

#[test]
fn fillers_read_as_k_in_optional_data_are_corrected() -> TestResult {
    let [line1, line2, line3] = TD1;
    let line1 = misread(line1, 20, 'K');
    let line2 = misread(line2, 25, 'K');
    let mrz = read(&[&line1, &line2, line3])?;
    assert_eq!(mrz.optional_data_1, "");
    assert_eq!(mrz.optional_data_2, "");
    assert_eq!(
        mrz.corrections,
        [
            correction(Field::OptionalData1, 1, 20, 'K', '<'),
            correction(Field::OptionalData2, 2, 25, 'K', '<'),
        ]
    );
    assert!(mrz.all_checks_pass());
    Ok(())
}

#[test]
fn a_filler_read_as_k_in_the_personal_number_is_corrected() -> TestResult {
    let line2 = misread(TD3[1], 40, 'K');
    assert!(line2.contains("ZE184226B<<K<<"));
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(mrz.optional_data_1, "ZE184226B");
    assert_eq!(
        mrz.corrections,
        [correction(Field::OptionalData1, 2, 40, 'K', '<')]
    );
    assert!(mrz.all_checks_pass());
    Ok(())
}

#[test]
fn fillers_read_as_k_in_codes_sex_and_check_digits_are_corrected() -> TestResult {
    // Germany's "D<<" as "D<K", the empty personal number's check digit as K, and no sex.
    let [line1, line2] = GERMAN_TD3;
    let line1 = misread(line1, 5, 'K');
    let line2 = misread(&misread(&misread(line2, 13, 'K'), 21, 'K'), 43, 'K');
    let mrz = read(&[&line1, &line2])?;
    assert_eq!(mrz.issuing_state, "D");
    assert_eq!(mrz.nationality, "D");
    assert_eq!(mrz.sex, Some(Sex::Unspecified));
    assert_eq!(mrz.checks.personal_number, Some(true));
    assert_eq!(
        mrz.corrections,
        [
            correction(Field::IssuingState, 1, 5, 'K', '<'),
            correction(Field::Nationality, 2, 13, 'K', '<'),
            correction(Field::Sex, 2, 21, 'K', '<'),
            correction(Field::OptionalData1, 2, 43, 'K', '<'),
        ]
    );
    // The sex was 'F': the composite does not cover it, so nothing else fails.
    assert!(mrz.all_checks_pass());
    Ok(())
}

#[test]
fn a_filler_read_as_k_in_a_short_document_number_is_corrected() -> TestResult {
    let line2 = td3_line2("AB1234", "740812", "120415", "");
    assert!(line2.starts_with("AB1234<<<"));
    let mrz = read(&[TD3_LINE1, &misread(&line2, 8, 'K')])?;
    assert_eq!(mrz.document_number, "AB1234");
    assert_eq!(
        mrz.corrections,
        [correction(Field::DocumentNumber, 2, 8, 'K', '<')]
    );
    assert!(mrz.all_checks_pass());
    // A K ending the number is part of it.
    let line2 = td3_line2("AB1234K", "740812", "120415", "");
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(mrz.document_number, "AB1234K");
    assert!(mrz.corrections.is_empty());
    Ok(())
}

/// K (20) for '<' (0), and G (16) for 6, change no check digit: such misreads pass every check.
/// The filler is recognised by its place; a G for a 6 in a document number cannot be, and is
/// left as read, passing.
#[test]
fn misreads_by_ten_pass_the_check_digits() -> TestResult {
    let line2 = td3_line2("AB1264", "740812", "120415", "");
    let mrz = read(&[TD3_LINE1, &misread(&line2, 5, 'G')])?;
    assert_eq!(mrz.document_number, "AB12G4");
    assert!(mrz.all_checks_pass());
    assert!(mrz.corrections.is_empty());
    Ok(())
}

#[test]
fn a_long_numbers_filler_read_as_k_is_corrected() -> TestResult {
    let [line1, line2, line3] = LONG_NUMBER_TD1;
    let line1 = misread(line1, 15, 'K');
    let mrz = read(&[&line1, line2, line3])?;
    assert_eq!(mrz.document_number, "D23145890734");
    assert_eq!(
        mrz.corrections,
        [correction(Field::DocumentNumber, 1, 15, 'K', '<')]
    );
    assert!(mrz.all_checks_pass());
    Ok(())
}

#[test]
fn whitespace_case_and_guillemets_are_not_corrections() -> TestResult {
    let clean = read(&TD3)?;
    let messy = "  \n p<utoeriksson<<anna<maria«««««««««««««««««««   \r\n\
                 \tL898902C36 UTO7408122F1204159ze184226b<<<<<10 \n\n";
    assert_eq!(parse(messy, REFERENCE_YEAR)?, clean);
    Ok(())
}

#[test]
fn sex_is_male_female_or_unspecified() -> TestResult {
    for (printed, sex) in [
        ('M', Some(Sex::Male)),
        ('F', Some(Sex::Female)),
        ('X', Some(Sex::Unspecified)),
        ('<', Some(Sex::Unspecified)),
        ('H', None),
    ] {
        let line2 = misread(TD3[1], 21, printed);
        let mrz = read(&[TD3_LINE1, &line2])?;
        assert_eq!(mrz.sex, sex, "{printed}");
        assert!(
            mrz.all_checks_pass(),
            "the composite does not cover the sex"
        );
        assert_eq!(mrz.problems.is_empty(), sex.is_some());
    }
    Ok(())
}

#[test]
fn an_invalid_calendar_date_is_a_field_problem() -> TestResult {
    for birth in ["741312", "740230", "740800", "010229"] {
        let line2 = td3_line2("L898902C3", birth, "120415", "ZE184226B");
        let mrz = read(&[TD3_LINE1, &line2])?;
        assert_eq!(mrz.birth_date, None, "{birth}");
        assert!(mrz.all_checks_pass(), "{birth}: the check digits are right");
        assert_eq!(
            mrz.problems,
            [FieldProblem::InvalidDate {
                field: Field::BirthDate,
                printed: birth.to_owned()
            }]
        );
    }
    let line2 = td3_line2("L898902C3", "740812", "121315", "ZE184226B");
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(mrz.expiry_date, None);
    assert!(mrz.birth_date.is_some());
    Ok(())
}

#[test]
fn an_unknown_birth_day_is_no_date_but_passes_its_check() -> TestResult {
    let line2 = td3_line2("L898902C3", "7408<<", "120415", "");
    let mrz = read(&[TD3_LINE1, &line2])?;
    assert_eq!(mrz.birth_date, None);
    assert!(mrz.checks.birth_date);
    assert_eq!(
        mrz.problems,
        [FieldProblem::InvalidDate {
            field: Field::BirthDate,
            printed: "7408<<".to_owned()
        }]
    );
    Ok(())
}

#[test]
fn what_is_no_mrz_is_an_error() {
    assert_eq!(parse("", REFERENCE_YEAR), Err(MrzError::Empty));
    assert_eq!(parse("\n \n\t", REFERENCE_YEAR), Err(MrzError::Empty));
    assert!(matches!(
        parse(
            "The quick brown fox\njumps over the lazy dog",
            REFERENCE_YEAR
        ),
        Err(MrzError::WrongShape { lines: 2, .. })
    ));
    assert!(matches!(
        parse(&TD3.join("\n").replacen('<', "", 1), REFERENCE_YEAR),
        Err(MrzError::WrongShape { .. })
    ));
    assert!(matches!(
        parse(&format!("{}\n{}", TD3[0], TD1[1]), REFERENCE_YEAR),
        Err(MrzError::WrongShape { .. })
    ));
    assert!(matches!(
        parse(&format!("{}\n{}", TD3.join("\n"), TD3[1]), REFERENCE_YEAR),
        Err(MrzError::WrongShape { lines: 3, .. })
    ));
    assert!(matches!(
        parse(
            &TD3.join("\n").replacen("ERIKSSON", "ERIK$SON", 1),
            REFERENCE_YEAR
        ),
        Err(MrzError::InvalidCharacter {
            line: 1,
            column: 10,
            character: '$'
        })
    ));
    let garbage = "#".repeat(44);
    assert!(matches!(
        parse(&format!("{garbage}\n{garbage}"), REFERENCE_YEAR),
        Err(MrzError::InvalidCharacter { .. })
    ));
}

#[test]
fn errors_explain_themselves() {
    let shape = parse("abc\nde", REFERENCE_YEAR).map(|_| ());
    assert_eq!(
        shape.map_err(|error| error.to_string()),
        Err(
            "an MRZ is 3 lines of 30 characters (TD1) or 2 lines of 36 (TD2, MRV-B) or 44 \
             (TD3, MRV-A); the text has 2 line(s) of [3, 2] characters"
                .to_owned()
        )
    );
}

#[test]
fn extreme_reference_years_read_without_panicking() -> TestResult {
    for reference_year in [0, 1, 99, 100, 1900, u16::MAX] {
        let mrz = parse(&TD3.join("\n"), reference_year)?;
        assert!(mrz.all_checks_pass());
    }
    let mrz = parse(&TD3.join("\n"), 0)?;
    assert_eq!(mrz.birth_date, None);
    Ok(())
}

const TD1_NAMES: &str = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

/// A TD1's optional data has no check digit but the composite's: an O read as 0 there (or a 0
/// as O) is put back when a single O/0 swap satisfies the composite.
#[test]
fn o_and_zero_in_td1_optional_data_are_settled_by_the_composite() -> TestResult {
    let line1 = "I<UTOD231458907BO7<<<<<<<<<<<<";
    let line2 = "7408122F1204159UTOO2<<<<<<<<<6";
    assert!(read(&[line1, line2, TD1_NAMES])?.all_checks_pass());
    for (line1_read, line2_read, column, read_as) in [
        (misread(line1, 17, '0'), line2.to_owned(), 17, '0'),
        (line1.to_owned(), misread(line2, 19, '0'), 19, '0'),
    ] {
        let mrz = read(&[&line1_read, &line2_read, TD1_NAMES])?;
        assert!(mrz.all_checks_pass(), "{:?}", mrz.lines);
        assert_eq!(
            (mrz.optional_data_1.as_str(), mrz.optional_data_2.as_str()),
            ("BO7", "O2")
        );
        let (field, line) = if line1_read == line1 {
            (Field::OptionalData2, 2)
        } else {
            (Field::OptionalData1, 1)
        };
        assert_eq!(
            mrz.corrections,
            [correction(field, line, column, read_as, 'O')]
        );
    }
    Ok(())
}

/// Three swaps of "O1O" and "0" satisfy the composite: none is chosen, and the field is
/// reported ambiguous.
#[test]
fn ambiguous_td1_optional_data_is_left_failing() -> TestResult {
    let line1 = misread("I<UTOD231458907O1O<<<<<<<<<<<<", 16, '0');
    let line2 = "7408122F1204159UTO0<<<<<<<<<<7";
    let mrz = read(&[&line1, line2, TD1_NAMES])?;
    assert_eq!(mrz.optional_data_1, "01O");
    assert_eq!(mrz.checks.composite, Some(false));
    assert!(mrz.corrections.is_empty());
    assert_eq!(
        mrz.problems,
        [
            FieldProblem::AmbiguousCorrection {
                field: Field::OptionalData1,
                candidates: 3
            },
            FieldProblem::AmbiguousCorrection {
                field: Field::OptionalData2,
                candidates: 3
            }
        ]
    );
    Ok(())
}

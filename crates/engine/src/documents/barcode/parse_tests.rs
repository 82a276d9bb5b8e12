//! The parser on its own, through the module's API: the specimens, then each deviation real
//! barcodes show, then arbitrary damage.

use super::generate::payload;
use super::specimens::{self, date};
use super::{
    parse_aamva, parse_aamva_bytes, AamvaProblem, BarcodeError, DocumentKind, JurisdictionCountry,
    Sex,
};

type TestResult = Result<(), BarcodeError>;

#[test]
fn every_specimen_parses_to_its_record() -> TestResult {
    for specimen in specimens::all() {
        assert_eq!(
            parse_aamva(&specimen.text)?,
            specimen.record,
            "{}",
            specimen.name
        );
    }
    Ok(())
}

#[test]
fn version_1_from_quebec_with_a_spaced_full_name_and_latin1_letters() -> TestResult {
    let text = payload(
        1,
        "604428",
        &[(
            "DL",
            &[
                ("DAQ", "B1234-567890-12"),
                ("DAA", "BÉLANGER FRANÇOISE MARIE"),
                ("DBB", "19791231"),
                ("DBA", "20291231"),
                ("DBC", "F"),
                ("DAK", "H2X 1Y4"),
            ],
        )],
    );
    let record = parse_aamva(&text)?;
    assert_eq!(record.jurisdiction_country, JurisdictionCountry::Canada);
    assert_eq!(record.state.as_deref(), Some("QC"));
    assert_eq!(record.last_name.as_deref(), Some("BÉLANGER"));
    assert_eq!(record.first_name.as_deref(), Some("FRANÇOISE"));
    assert_eq!(record.middle_names.as_deref(), Some("MARIE"));
    assert_eq!(record.date_of_birth, date(1979, 12, 31));
    assert_eq!(record.expiry_date, date(2029, 12, 31));
    assert_eq!(record.sex, Some(Sex::Female));
    assert_eq!(
        record
            .address
            .and_then(|address| address.postal_code)
            .as_deref(),
        Some("H2X 1Y4")
    );
    assert_eq!(record.problems, []);
    Ok(())
}

#[test]
fn bytes_parse_as_their_latin1_text() -> TestResult {
    let specimen = specimens::ontario_v9();
    let bytes: Vec<u8> = specimen.text.bytes().collect();
    assert_eq!(parse_aamva_bytes(&bytes)?, specimen.record);
    let record = parse_aamva_bytes(b"@\n\x1e\rANSI 636012090101DL00310014DLDCSB\xc9LANGER\r")?;
    assert_eq!(record.last_name.as_deref(), Some("BÉLANGER"));
    assert_eq!(record.problems, []);
    Ok(())
}

#[test]
fn version_1_dates_in_the_us_order_are_read_without_a_problem() -> TestResult {
    let text = payload(1, "636010", &[("DL", &[("DAQ", "1"), ("DBB", "02281970")])]);
    let record = parse_aamva(&text)?;
    assert_eq!(record.date_of_birth, date(1970, 2, 28));
    assert_eq!(record.problems, []);
    Ok(())
}

#[test]
fn canadian_dates_are_year_first_and_us_dates_month_first() -> TestResult {
    let canadian = payload(
        9,
        "636028",
        &[("DL", &[("DAQ", "1"), ("DBB", "20010203"), ("DCG", "CAN")])],
    );
    let record = parse_aamva(&canadian)?;
    assert_eq!(record.date_of_birth, date(2001, 2, 3));
    assert_eq!(record.problems, []);
    let american = payload(
        9,
        "636020",
        &[("DL", &[("DAQ", "1"), ("DBB", "02032001"), ("DCG", "USA")])],
    );
    let record = parse_aamva(&american)?;
    assert_eq!(record.date_of_birth, date(2001, 2, 3));
    assert_eq!(record.problems, []);
    Ok(())
}

#[test]
fn a_date_in_the_other_countrys_order_is_read_and_reported() -> TestResult {
    let text = payload(
        10,
        "636014",
        &[("DL", &[("DAQ", "1"), ("DBB", "19770831"), ("DCG", "USA")])],
    );
    let record = parse_aamva(&text)?;
    assert_eq!(record.date_of_birth, date(1977, 8, 31));
    assert_eq!(
        record.problems,
        [AamvaProblem::DateInOtherOrder {
            element: "DBB".into(),
            printed: "19770831".into()
        }]
    );
    Ok(())
}

#[test]
fn invalid_dates_are_none_and_reported() -> TestResult {
    let text = payload(
        10,
        "636014",
        &[(
            "DL",
            &[
                ("DAQ", "1"),
                ("DBB", "02301990"),
                ("DBA", "99999999"),
                ("DBD", "0101"),
            ],
        )],
    );
    let record = parse_aamva(&text)?;
    assert_eq!(record.date_of_birth, None);
    assert_eq!(record.expiry_date, None);
    assert_eq!(record.issue_date, None);
    let invalid = |element: &str, printed: &str| AamvaProblem::InvalidDate {
        element: element.into(),
        printed: printed.into(),
    };
    assert_eq!(
        record.problems,
        [
            invalid("DBB", "02301990"),
            invalid("DBA", "99999999"),
            invalid("DBD", "0101")
        ]
    );
    Ok(())
}

#[test]
fn wrong_offsets_are_reported_and_the_subfile_is_still_read() -> TestResult {
    let specimen = specimens::california_v10();
    // The DL designator's offset 0041 becomes 0040, the ZC one's points past the end.
    let text = specimen
        .text
        .replacen("DL0041", "DL0040", 1)
        .replacen("ZC0", "ZC9", 1);
    let record = parse_aamva(&text)?;
    assert_eq!(record.last_name.as_deref(), Some("SAMPLE"));
    assert_eq!(record.elements, specimen.record.elements);
    assert_eq!(record.problems.len(), 2);
    assert_eq!(
        record.problems.first(),
        Some(&AamvaProblem::SubfileMisplaced {
            subfile: "DL".into(),
            declared_offset: 40,
            found_at: Some(41)
        })
    );
    Ok(())
}

#[test]
fn wrong_lengths_do_not_matter() -> TestResult {
    let specimen = specimens::texas_id_v8();
    let at = specimen.text.find("ID0031").map_or(0, |at| at + 6);
    let mut text = specimen.text.clone();
    text.replace_range(at..at + 4, "0010");
    assert_eq!(parse_aamva(&text)?, specimen.record);
    Ok(())
}

#[test]
fn a_header_without_designators_still_finds_the_subfile() -> TestResult {
    let text = "@\n\x1e\rANSI 63601410\nDLDAQX1\nDCSDOE\nDACJANE\nDBB01021990\r";
    let record = parse_aamva(text)?;
    assert_eq!(record.document_number.as_deref(), Some("X1"));
    assert_eq!(record.last_name.as_deref(), Some("DOE"));
    assert_eq!(record.jurisdiction_version, None);
    assert_eq!(record.date_of_birth, date(1990, 1, 2));
    Ok(())
}

#[test]
fn the_aamva_file_type_of_early_barcodes() -> TestResult {
    let text = "@\n\x1e\rAAMVA6360000101DL00290020DLDAQ123\nDAASMITH,JO\r";
    let record = parse_aamva(text)?;
    assert_eq!(record.iin, "636000");
    assert_eq!(record.state.as_deref(), Some("VA"));
    assert_eq!(record.last_name.as_deref(), Some("SMITH"));
    assert_eq!(record.first_name.as_deref(), Some("JO"));
    assert_eq!(record.problems, []);
    Ok(())
}

#[test]
fn texts_that_are_not_aamva() {
    for text in [
        "",
        "hello",
        "M1DOE/JOHN EABC123 JFKLAX",
        "@\n\x1e\rANS",
        "https://example.org",
    ] {
        assert_eq!(parse_aamva(text), Err(BarcodeError::NotAamva), "{text:?}");
    }
}

#[test]
fn bad_headers() {
    assert_eq!(
        parse_aamva("@\n\x1e\rANSI 63X014100101DL"),
        Err(BarcodeError::InvalidHeader {
            field: "IIN",
            printed: "63X014".into()
        })
    );
    assert_eq!(
        parse_aamva("@\n\x1e\rANSI 636014"),
        Err(BarcodeError::InvalidHeader {
            field: "AAMVA version",
            printed: String::new()
        })
    );
    assert_eq!(
        parse_aamva("@\n\x1e\rANSI 63601400"),
        Err(BarcodeError::UnsupportedVersion(0))
    );
}

#[test]
fn a_header_with_no_document_subfile() {
    let text = payload(10, "636014", &[("ZC", &[("ZCA", "X")])]);
    assert_eq!(parse_aamva(&text), Err(BarcodeError::NoDocumentSubfile));
    assert_eq!(
        parse_aamva("@\n\x1e\rANSI 636014100101DL00310010"),
        Err(BarcodeError::NoDocumentSubfile)
    );
}

#[test]
fn the_country_comes_from_dcg_then_the_iin_then_the_state() -> TestResult {
    let parse =
        |iin: &str, elements: &[(&str, &str)]| parse_aamva(&payload(10, iin, &[("DL", elements)]));
    let record = parse("636014", &[("DAQ", "1"), ("DCG", "CAN")])?;
    assert_eq!(record.jurisdiction_country, JurisdictionCountry::Canada);
    let record = parse("636012", &[("DAQ", "1"), ("DCG", "MEX")])?;
    assert_eq!(record.jurisdiction_country, JurisdictionCountry::Canada);
    assert_eq!(
        record.problems,
        [AamvaProblem::UnknownCountry {
            printed: "MEX".into()
        }]
    );
    let record = parse("999999", &[("DAQ", "1"), ("DAJ", "MB")])?;
    assert_eq!(record.jurisdiction_country, JurisdictionCountry::Canada);
    assert_eq!(record.state.as_deref(), Some("MB"));
    let record = parse("999999", &[("DAQ", "1")])?;
    assert_eq!(record.jurisdiction_country, JurisdictionCountry::Usa);
    assert_eq!(record.state, None);
    assert_eq!(record.problems, [AamvaProblem::CountryAssumed]);
    Ok(())
}

#[test]
fn an_unknown_sex_is_none_and_reported() -> TestResult {
    let record = parse_aamva(&payload(10, "636014", &[("ID", &[("DBC", "3")])]))?;
    assert_eq!(record.document_kind, DocumentKind::IdCard);
    assert_eq!(record.sex, None);
    assert_eq!(
        record.problems,
        [AamvaProblem::InvalidSex {
            printed: "3".into()
        }]
    );
    Ok(())
}

#[test]
fn truncation_indicators_are_kept_as_elements() -> TestResult {
    let text = payload(
        10,
        "636014",
        &[(
            "DL",
            &[("DCS", "WOLFESCHLEGELSTEIN"), ("DDE", "T"), ("DDF", "N")],
        )],
    );
    let record = parse_aamva(&text)?;
    assert_eq!(record.last_name.as_deref(), Some("WOLFESCHLEGELSTEIN"));
    assert_eq!(record.elements.get("DDE").map(String::as_str), Some("T"));
    Ok(())
}

#[test]
fn characters_no_decoder_gives_are_read_as_question_marks() -> TestResult {
    let text = payload(10, "636014", &[("DL", &[("DCS", "ZHANG"), ("DAC", "WEI")])]);
    let text = text.replace("ZHANG", "ZH\u{4e2d}NG");
    let record = parse_aamva(&text)?;
    assert_eq!(record.last_name.as_deref(), Some("ZH?NG"));
    assert_eq!(record.first_name.as_deref(), Some("WEI"));
    Ok(())
}

/// Cut, overwritten and spliced specimens: the parser answers (a record or an error) and does
/// not panic, whatever the damage.
#[test]
fn damaged_texts_never_panic() {
    let specimens: Vec<Vec<char>> = specimens::all()
        .iter()
        .map(|specimen| specimen.text.chars().collect())
        .collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % below.max(1) as u64).unwrap_or(0)
    };
    let alphabet: Vec<char> = "@\n\r\x1e ANSIDLZC0123456789,-é\u{ff}".chars().collect();
    for round in 0..3000 {
        let Some(original) = specimens.get(round % specimens.len()) else {
            continue;
        };
        let mut text = original.clone();
        match next(3) {
            0 => text.truncate(next(text.len() + 1)),
            1 => {
                for _ in 0..=next(8) {
                    let at = next(text.len());
                    if let (Some(slot), Some(&c)) =
                        (text.get_mut(at), alphabet.get(next(alphabet.len())))
                    {
                        *slot = c;
                    }
                }
            }
            _ => {
                let from = next(text.len());
                let to = from + next(text.len() - from + 1);
                let piece: Vec<char> = text.get(from..to).map(<[char]>::to_vec).unwrap_or_default();
                let at = next(text.len() + 1);
                text.splice(at..at, piece);
            }
        }
        let text: String = text.into_iter().collect();
        let _ = parse_aamva(&text);
    }
}

//! Every refusal of an import, on small fixtures written here: empty, truncated, wrong format,
//! unparsable, and a replacement list that is empty or shrank beyond the share allowed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use verifyd_screening::{
    check_replacement, ftm, ofac, un, Entry, EntryKind, ImportError, ListVersion,
};

const SDN: &[u8] = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
2674,\"ABBAS, Abu\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 10 Dec 1948; alt. DOB circa 1950; nationality Iraq; Gender Male.\"\r\n\x1a";

const UN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>ERIC</FIRST_NAME>
      <SECOND_NAME>BADEGE</SECOND_NAME>
      <REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1972</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
"#;

fn list(name: &str, size: usize) -> ListVersion {
    ListVersion {
        name: name.into(),
        source: "test".into(),
        published: None,
        entries: (0..size)
            .map(|i| Entry::new(i.to_string(), EntryKind::Person, format!("Person {i}")))
            .collect(),
    }
}

#[test]
fn fixtures_parse() {
    let ofac = ofac::parse(SDN, None, None, None).unwrap();
    assert_eq!(ofac.entries.len(), 2);
    let abbas = ofac.entry("2674").unwrap();
    assert_eq!(abbas.nationalities, vec!["IQ".to_owned()]);
    assert_eq!(abbas.dates_of_birth.len(), 2);
    let un = un::parse(UN.as_bytes()).unwrap();
    assert_eq!(un.entries[0].primary_name(), "ERIC BADEGE");
}

#[test]
fn ofac_date_of_birth_forms() {
    use chrono::NaiveDate;
    use verifyd_screening::BirthDate;
    assert_eq!(ofac::parse_dob("1962"), vec![BirthDate::Year(1962)]);
    assert_eq!(
        ofac::parse_dob("Nov 1962"),
        vec![BirthDate::YearMonth {
            year: 1962,
            month: 11
        }]
    );
    assert_eq!(
        ofac::parse_dob("23 Nov 1962"),
        vec![BirthDate::Date(
            NaiveDate::from_ymd_opt(1962, 11, 23).unwrap()
        )]
    );
    assert_eq!(
        ofac::parse_dob("1962 to 1964"),
        vec![BirthDate::Range {
            from: 1962,
            to: 1964
        }]
    );
    assert_eq!(
        ofac::parse_dob("01 Jan 1962 to 31 Dec 1964."),
        vec![BirthDate::Range {
            from: 1962,
            to: 1964
        }]
    );
    assert_eq!(ofac::parse_dob("circa 1962"), vec![BirthDate::Circa(1962)]);
    assert!(ofac::parse_dob("sometime").is_empty());
}

#[test]
fn empty_files_are_refused() {
    assert!(matches!(
        ofac::parse(b"", None, None, None),
        Err(ImportError::Empty { .. })
    ));
    assert!(matches!(
        ofac::parse(b"\r\n\x1a", None, None, None),
        Err(ImportError::Empty { .. })
    ));
    assert!(matches!(un::parse(b"  \n"), Err(ImportError::Empty { .. })));
    assert!(matches!(
        ftm::parse(b"\n\n"),
        Err(ImportError::Empty { .. })
    ));
    // An empty delta file is a valid "nothing changed".
    let base = list("opensanctions", 3);
    assert_eq!(ftm::apply_delta(&base, b"").unwrap(), base);
}

#[test]
fn truncated_files_are_refused() {
    // The last OFAC row cut in the middle of its fields.
    let cut = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n2674,\"ABBAS, Abu\",\"individual\"";
    let error = ofac::parse(cut, None, None, None).unwrap_err();
    assert!(matches!(error, ImportError::Truncated { .. }), "{error}");
    // The UN XML cut before its root closes.
    let half = &UN.as_bytes()[..UN.len() / 2];
    let error = un::parse(half).unwrap_err();
    assert!(matches!(error, ImportError::Truncated { .. }), "{error}");
    let without_end = UN.replace("</CONSOLIDATED_LIST>", "");
    assert!(matches!(
        un::parse(without_end.as_bytes()),
        Err(ImportError::Truncated { .. })
    ));
    // The last FtM line cut inside its object.
    let lines = b"{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A B\"]}}\n{\"id\":\"b\",\"schema\":\"Pers";
    let error = ftm::parse(lines).unwrap_err();
    assert!(matches!(error, ImportError::Truncated { .. }), "{error}");
}

#[test]
fn wrong_formats_are_refused() {
    assert!(matches!(
        ofac::parse(UN.as_bytes(), None, None, None),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        ofac::parse(b"name,kind\nx,y\n", None, None, None),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        un::parse(SDN),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        un::parse(b"<html><body/></html>"),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        ftm::parse(SDN),
        Err(ImportError::WrongFormat { .. })
    ));
    let error = ofac::parse(SDN, Some(UN.as_bytes()), None, None).unwrap_err();
    assert!(matches!(error, ImportError::WrongFormat { .. }), "{error}");
}

#[test]
fn unparsable_records_name_their_number() {
    let bad = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\nX1,\"B\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n37,\"C\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    match ofac::parse(bad, None, None, None) {
        Err(ImportError::Unparsable { record, .. }) => assert_eq!(record, 2),
        other => panic!("{other:?}"),
    }
    let lines = b"{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A B\"]}}\n{\"id\":\"b\" \"schema\"}\n{\"id\":\"c\",\"schema\":\"Person\",\"properties\":{\"name\":[\"C\"]}}\n";
    match ftm::parse(lines) {
        Err(ImportError::Unparsable { record, .. }) => assert_eq!(record, 2),
        other => panic!("{other:?}"),
    }
    let base = list("opensanctions", 1);
    let error =
        ftm::apply_delta(&base, b"{\"op\":\"MERGE\",\"entity\":{\"id\":\"0\"}}\n").unwrap_err();
    assert!(
        matches!(error, ImportError::Delta { line: 1, .. }),
        "{error}"
    );
    let error = un::parse(b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>").unwrap_err();
    assert!(matches!(error, ImportError::Unparsable { .. }), "{error}");
}

#[test]
fn replacements_that_empty_or_shrink_the_list_are_refused() {
    let previous = list("ofac-sdn", 1000);
    assert!(check_replacement(None, &list("ofac-sdn", 1), 0.1).is_ok());
    assert!(check_replacement(Some(&previous), &list("ofac-sdn", 950), 0.1).is_ok());
    assert!(check_replacement(Some(&previous), &list("ofac-sdn", 1200), 0.1).is_ok());
    let error = check_replacement(Some(&previous), &list("ofac-sdn", 850), 0.1).unwrap_err();
    assert!(
        matches!(
            error,
            ImportError::Shrunk {
                previous: 1000,
                next: 850,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("15.0%"), "{error}");
    assert!(matches!(
        check_replacement(Some(&previous), &list("ofac-sdn", 0), 0.5),
        Err(ImportError::NoEntries { .. })
    ));
    assert!(matches!(
        check_replacement(None, &list("un", 0), 1.0),
        Err(ImportError::NoEntries { .. })
    ));
    // A nonsensical share refuses any shrink rather than none.
    assert!(check_replacement(Some(&previous), &list("ofac-sdn", 999), f64::NAN).is_err());
}

#[test]
fn fixtures_in_files_read_back() {
    // The server hands bytes it read from a file: the same through a temporary file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sdn.csv");
    std::fs::write(&path, SDN).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(
        ofac::parse(&bytes, None, None, None).unwrap().entries.len(),
        2
    );
}

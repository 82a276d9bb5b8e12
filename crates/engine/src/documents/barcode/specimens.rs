//! Invented licences and cards of several versions and both countries, as barcode text and as
//! the record the parser must make of it.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::generate::{payload, SubfileSpec};
use super::{AamvaRecord, Address, DocumentKind, JurisdictionCountry, Sex};

pub(super) struct Specimen {
    pub name: &'static str,
    pub text: String,
    pub record: AamvaRecord,
}

pub(super) fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn some(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// Every element of `subfiles`, as the record keeps them.
fn elements(subfiles: &[SubfileSpec<'_>]) -> BTreeMap<String, String> {
    subfiles
        .iter()
        .flat_map(|(_, elements)| elements.iter())
        .map(|(id, value)| ((*id).to_owned(), value.trim().to_owned()))
        .collect()
}

const CALIFORNIA_V10: [SubfileSpec<'static>; 2] = [
    (
        "DL",
        &[
            ("DCA", "C"),
            ("DCB", "NONE"),
            ("DCD", "NONE"),
            ("DBA", "08312029"),
            ("DCS", "SAMPLE"),
            ("DAC", "ANNA"),
            ("DAD", "MARIE"),
            ("DBD", "08312021"),
            ("DBB", "08311977"),
            ("DBC", "2"),
            ("DAY", "BRO"),
            ("DAU", "064 IN"),
            ("DAG", "2570 24TH STREET"),
            ("DAI", "SACRAMENTO"),
            ("DAJ", "CA"),
            ("DAK", "958180000  "),
            ("DAQ", "I1234568"),
            ("DCF", "08/31/2021612A3/CCFD/29"),
            ("DCG", "USA"),
            ("DDE", "N"),
            ("DDF", "N"),
            ("DDG", "N"),
        ],
    ),
    ("ZC", &[("ZCA", "BRN"), ("ZCB", "BLK")]),
];

pub(super) fn california_v10() -> Specimen {
    Specimen {
        name: "California DL, version 10",
        text: payload(10, "636014", &CALIFORNIA_V10),
        record: AamvaRecord {
            version: 10,
            jurisdiction_version: Some(1),
            iin: "636014".into(),
            document_kind: DocumentKind::DrivingLicence,
            jurisdiction_country: JurisdictionCountry::Usa,
            state: some("CA"),
            first_name: some("ANNA"),
            middle_names: some("MARIE"),
            last_name: some("SAMPLE"),
            name_suffix: None,
            date_of_birth: date(1977, 8, 31),
            expiry_date: date(2029, 8, 31),
            issue_date: date(2021, 8, 31),
            document_number: some("I1234568"),
            sex: Some(Sex::Female),
            address: Some(Address {
                street_1: some("2570 24TH STREET"),
                street_2: None,
                city: some("SACRAMENTO"),
                state: some("CA"),
                postal_code: some("95818"),
            }),
            dl_categories: vec!["C".into()],
            endorsements: None,
            restrictions: None,
            elements: elements(&CALIFORNIA_V10),
            problems: vec![],
        },
    }
}

const ONTARIO_V9: [SubfileSpec<'static>; 1] = [(
    "DL",
    &[
        ("DCA", "G"),
        ("DCB", "X"),
        ("DCD", "NONE"),
        ("DBA", "20300115"),
        ("DCS", "TREMBLAY"),
        ("DAC", "JEAN"),
        ("DAD", "LUC PIERRE"),
        ("DBD", "20250115"),
        ("DBB", "19850706"),
        ("DBC", "1"),
        ("DAY", "BLU"),
        ("DAU", "180 cm"),
        ("DAG", "123 QUEEN ST W"),
        ("DAH", "UNIT 4"),
        ("DAI", "TORONTO"),
        ("DAJ", "ON"),
        ("DAK", "M5H 2N2"),
        ("DAQ", "T7654-32109-50706"),
        ("DCF", "AB1234567"),
        ("DCG", "CAN"),
    ],
)];

pub(super) fn ontario_v9() -> Specimen {
    Specimen {
        name: "Ontario DL, version 9",
        text: payload(9, "636012", &ONTARIO_V9),
        record: AamvaRecord {
            version: 9,
            jurisdiction_version: Some(1),
            iin: "636012".into(),
            document_kind: DocumentKind::DrivingLicence,
            jurisdiction_country: JurisdictionCountry::Canada,
            state: some("ON"),
            first_name: some("JEAN"),
            middle_names: some("LUC PIERRE"),
            last_name: some("TREMBLAY"),
            name_suffix: None,
            date_of_birth: date(1985, 7, 6),
            expiry_date: date(2030, 1, 15),
            issue_date: date(2025, 1, 15),
            document_number: some("T7654-32109-50706"),
            sex: Some(Sex::Male),
            address: Some(Address {
                street_1: some("123 QUEEN ST W"),
                street_2: some("UNIT 4"),
                city: some("TORONTO"),
                state: some("ON"),
                postal_code: some("M5H 2N2"),
            }),
            dl_categories: vec!["G".into()],
            endorsements: None,
            restrictions: some("X"),
            elements: elements(&ONTARIO_V9),
            problems: vec![],
        },
    }
}

const TEXAS_ID_V8: [SubfileSpec<'static>; 1] = [(
    "ID",
    &[
        ("DCA", "NONE"),
        ("DCB", "NONE"),
        ("DCD", "NONE"),
        ("DBA", "04012031"),
        ("DCS", "GARCIA"),
        ("DAC", "MARIA"),
        ("DAD", "NONE"),
        ("DBD", "04012023"),
        ("DBB", "12251960"),
        ("DBC", "9"),
        ("DAG", "1 MAIN ST"),
        ("DAI", "AUSTIN"),
        ("DAJ", "TX"),
        ("DAK", "787011234"),
        ("DAQ", "12345678"),
        ("DCF", "12345678901234567890"),
        ("DCG", "USA"),
    ],
)];

pub(super) fn texas_id_v8() -> Specimen {
    Specimen {
        name: "Texas ID card, version 8",
        text: payload(8, "636015", &TEXAS_ID_V8),
        record: AamvaRecord {
            version: 8,
            jurisdiction_version: Some(1),
            iin: "636015".into(),
            document_kind: DocumentKind::IdCard,
            jurisdiction_country: JurisdictionCountry::Usa,
            state: some("TX"),
            first_name: some("MARIA"),
            middle_names: None,
            last_name: some("GARCIA"),
            name_suffix: None,
            date_of_birth: date(1960, 12, 25),
            expiry_date: date(2031, 4, 1),
            issue_date: date(2023, 4, 1),
            document_number: some("12345678"),
            sex: Some(Sex::Unspecified),
            address: Some(Address {
                street_1: some("1 MAIN ST"),
                street_2: None,
                city: some("AUSTIN"),
                state: some("TX"),
                postal_code: some("78701-1234"),
            }),
            dl_categories: vec![],
            endorsements: None,
            restrictions: None,
            elements: elements(&TEXAS_ID_V8),
            problems: vec![],
        },
    }
}

/// Version 3 has the given names together in DCT and no DAJ here: the state comes from the
/// IIN.
const NEW_YORK_V3: [SubfileSpec<'static>; 1] = [(
    "DL",
    &[
        ("DCA", "D"),
        ("DCB", "B"),
        ("DCD", "NONE"),
        ("DBA", "03152027"),
        ("DCS", "SMITH"),
        ("DCT", "JOHN,PAUL"),
        ("DCU", "JR"),
        ("DBD", "03152019"),
        ("DBB", "03151990"),
        ("DBC", "1"),
        ("DAG", "10 ATLANTIC AVE"),
        ("DAI", "BROOKLYN"),
        ("DAK", "112010000"),
        ("DAQ", "123456789"),
        ("DCG", "USA"),
    ],
)];

pub(super) fn new_york_v3() -> Specimen {
    Specimen {
        name: "New York DL, version 3",
        text: payload(3, "636001", &NEW_YORK_V3),
        record: AamvaRecord {
            version: 3,
            jurisdiction_version: Some(1),
            iin: "636001".into(),
            document_kind: DocumentKind::DrivingLicence,
            jurisdiction_country: JurisdictionCountry::Usa,
            state: some("NY"),
            first_name: some("JOHN"),
            middle_names: some("PAUL"),
            last_name: some("SMITH"),
            name_suffix: some("JR"),
            date_of_birth: date(1990, 3, 15),
            expiry_date: date(2027, 3, 15),
            issue_date: date(2019, 3, 15),
            document_number: some("123456789"),
            sex: Some(Sex::Male),
            address: Some(Address {
                street_1: some("10 ATLANTIC AVE"),
                street_2: None,
                city: some("BROOKLYN"),
                state: None,
                postal_code: some("11201"),
            }),
            dl_categories: vec!["D".into()],
            endorsements: None,
            restrictions: some("B"),
            elements: elements(&NEW_YORK_V3),
            problems: vec![],
        },
    }
}

/// Version 1: the full name in DAA, CCYYMMDD dates, sex as a letter, class in DAR, no DCG.
const FLORIDA_V1: [SubfileSpec<'static>; 1] = [(
    "DL",
    &[
        ("DAQ", "P123456789012"),
        ("DAA", "PUBLIC,JOHN,QUINCY"),
        ("DAG", "100 OCEAN DR"),
        ("DAI", "MIAMI"),
        ("DAJ", "FL"),
        ("DAK", "331390000"),
        ("DAR", "E"),
        ("DAS", "A"),
        ("DAT", "NONE"),
        ("DBA", "20280101"),
        ("DBB", "19700228"),
        ("DBC", "M"),
        ("DBD", "20200101"),
    ],
)];

pub(super) fn florida_v1() -> Specimen {
    Specimen {
        name: "Florida DL, version 1",
        text: payload(1, "636010", &FLORIDA_V1),
        record: AamvaRecord {
            version: 1,
            jurisdiction_version: None,
            iin: "636010".into(),
            document_kind: DocumentKind::DrivingLicence,
            jurisdiction_country: JurisdictionCountry::Usa,
            state: some("FL"),
            first_name: some("JOHN"),
            middle_names: some("QUINCY"),
            last_name: some("PUBLIC"),
            name_suffix: None,
            date_of_birth: date(1970, 2, 28),
            expiry_date: date(2028, 1, 1),
            issue_date: date(2020, 1, 1),
            document_number: some("P123456789012"),
            sex: Some(Sex::Male),
            address: Some(Address {
                street_1: some("100 OCEAN DR"),
                street_2: None,
                city: some("MIAMI"),
                state: some("FL"),
                postal_code: some("33139"),
            }),
            dl_categories: vec!["E".into()],
            endorsements: None,
            restrictions: some("A"),
            elements: elements(&FLORIDA_V1),
            problems: vec![],
        },
    }
}

pub(super) fn all() -> [Specimen; 5] {
    [
        california_v10(),
        ontario_v9(),
        texas_id_v8(),
        new_york_v3(),
        florida_v1(),
    ]
}

//! What a licence or card barcode says, in the terms a verification needs, next to every
//! element as printed so that nothing the parser does not interpret is lost.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// Which subfile holds the holder's data: a driving licence's (DL) or an identity card's (ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    DrivingLicence,
    IdCard,
}

/// The issuing jurisdiction's country. It decides the order of the dates' digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JurisdictionCountry {
    Usa,
    Canada,
}

/// The sex as DBC prints it: 1, 2 or 9 since version 2, M or F in version 1 and in some
/// jurisdictions' later barcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
    /// 9 ("not specified") or X.
    Unspecified,
}

/// The holder's residence (DAG to DAK), as printed apart from the postal code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub street_1: Option<String>,
    pub street_2: Option<String>,
    pub city: Option<String>,
    /// The jurisdiction code (two letters for states and provinces).
    pub state: Option<String>,
    /// US ZIP codes are 9 digits with the ZIP+4 extension zero-filled when the issuer has
    /// none: "123450000" is given as "12345" (zeros there are padding, not a code) and
    /// "123456789" as "12345-6789", the way the post writes it. Other codes (Canadian ones)
    /// are given as printed, trimmed.
    pub postal_code: Option<String>,
}

/// Something the parser found wrong or non-standard; the record's other fields are still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AamvaProblem {
    /// The header does not start with '@', LF, RS, CR before its file type.
    NonStandardHeader,
    /// A version after 10, read by the rules of version 10.
    UnknownVersion(u8),
    /// The header declares a number of subfiles and lists another.
    DesignatorCount { declared: u8, listed: usize },
    /// A subfile is not at the offset its designator gives. `found_at` is where the parser
    /// found it by looking for its type and first element, if it did.
    SubfileMisplaced {
        subfile: String,
        declared_offset: usize,
        found_at: Option<usize>,
    },
    /// Not a date in either order of digits.
    InvalidDate { element: String, printed: String },
    /// A date valid only in the order of the other country (MMDDCCYY for Canada, CCYYMMDD for
    /// the USA), and read that way.
    DateInOtherOrder { element: String, printed: String },
    /// DBC holds neither 1, 2, 9 nor M, F, X.
    InvalidSex { printed: String },
    /// DCG holds neither USA nor CAN; the country is taken from the IIN or the state.
    UnknownCountry { printed: String },
    /// Nothing tells the country (no DCG, an IIN and a state outside the known lists): the USA
    /// is assumed.
    CountryAssumed,
}

/// An AAMVA licence or identity card barcode, read.
///
/// Text fields are trimmed; "NONE" and "unavl", which AAMVA prescribes for absent and
/// unavailable values, are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AamvaRecord {
    /// The AAMVA version the barcode declares (1 for DL/ID-2000, 10 for DL/ID-2020).
    pub version: u8,
    /// Absent in version 1, which has no such header field.
    pub jurisdiction_version: Option<u8>,
    /// The issuer identification number, 6 digits: see [`super::jurisdiction_of_iin`].
    pub iin: String,
    pub document_kind: DocumentKind,
    pub jurisdiction_country: JurisdictionCountry,
    /// The jurisdiction code of the address (DAJ), which on a licence is the issuer's, or else
    /// the one the IIN is assigned to.
    pub state: Option<String>,
    pub first_name: Option<String>,
    /// Space-separated.
    pub middle_names: Option<String>,
    pub last_name: Option<String>,
    pub name_suffix: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub issue_date: Option<NaiveDate>,
    /// DAQ, the licence or card number.
    pub document_number: Option<String>,
    pub sex: Option<Sex>,
    pub address: Option<Address>,
    /// DCA (DAR in version 1), the vehicle classes ("C", "D", "5"...); empty for "NONE" and
    /// for ID cards.
    pub dl_categories: Vec<String>,
    /// DCD (DAT in version 1), as printed.
    pub endorsements: Option<String>,
    /// DCB (DAS in version 1), as printed.
    pub restrictions: Option<String>,
    /// Every element of every subfile read (the DL or ID subfile's and the jurisdiction's Z
    /// subfiles'), by its 3-character id, trimmed but otherwise as printed.
    pub elements: BTreeMap<String, String>,
    pub problems: Vec<AamvaProblem>,
}

//! From the decoded text to an [`AamvaRecord`]: header, subfiles, elements, then the fields
//! a verification uses, each from the element the holder's version puts it in.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::date::{read_date, DateOrder, ReadDate};
use super::elements::read_elements;
use super::header::read_header;
use super::iin::{is_canadian_code, jurisdiction_of_iin};
use super::names::{names, present};
use super::record::{AamvaProblem, AamvaRecord, Address, JurisdictionCountry, Sex};
use super::subfile::{document_kind, locate};
use super::BarcodeError;

/// Parses the text of an AAMVA barcode, as a PDF417 decoder gives it.
///
/// The text is taken as ISO 8859-1, each character one byte, which is how decoders turn the
/// symbol's bytes into text: so the header's offsets count the same bytes as the issuer's.
/// A character beyond U+00FF cannot come from such a decoder and is read as '?'.
pub fn parse_aamva(text: &str) -> Result<AamvaRecord, BarcodeError> {
    let data: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    parse_aamva_bytes(&data)
}

/// Parses the bytes of an AAMVA barcode, for decoders (a scanner, a phone's) that give bytes.
pub fn parse_aamva_bytes(data: &[u8]) -> Result<AamvaRecord, BarcodeError> {
    let mut problems = Vec::new();
    let header = read_header(data, &mut problems)?;
    let subfiles = locate(data, &header, &mut problems);
    let document = subfiles
        .iter()
        .find_map(|subfile| Some((document_kind(subfile.kind)?, subfile)))
        .ok_or(BarcodeError::NoDocumentSubfile)?;
    let (document_kind, document_subfile) = document;

    let mut elements = BTreeMap::new();
    read_elements(document_subfile.body, &mut elements);
    for subfile in subfiles
        .iter()
        .filter(|subfile| subfile.kind != document_subfile.kind)
    {
        read_elements(subfile.body, &mut elements);
    }
    let element = |id: &str| elements.get(id).and_then(|value| present(value));

    let issuer = jurisdiction_of_iin(&header.iin);
    let state = element("DAJ").or_else(|| issuer.map(|issuer| issuer.code.to_owned()));
    let jurisdiction_country = country(
        element("DCG").as_deref(),
        issuer.map(|issuer| issuer.country),
        state.as_deref(),
        &mut problems,
    );
    let (order, strict) = match (header.version, jurisdiction_country) {
        (1, _) => (DateOrder::YearMonthDay, false),
        (_, JurisdictionCountry::Canada) => (DateOrder::YearMonthDay, true),
        (_, JurisdictionCountry::Usa) => (DateOrder::MonthDayYear, true),
    };
    let mut date = |id: &str| {
        let printed = element(id)?;
        match read_date(&printed, order) {
            ReadDate::Expected(date) => Some(date),
            ReadDate::OtherOrder(date) => {
                if strict {
                    problems.push(AamvaProblem::DateInOtherOrder {
                        element: id.to_owned(),
                        printed,
                    });
                }
                Some(date)
            }
            ReadDate::Invalid => {
                problems.push(AamvaProblem::InvalidDate {
                    element: id.to_owned(),
                    printed,
                });
                None
            }
        }
    };
    let dates: [Option<NaiveDate>; 3] = [date("DBB"), date("DBA"), date("DBD")];
    let [date_of_birth, expiry_date, issue_date] = dates;

    let sex = element("DBC").and_then(|printed| {
        let sex = read_sex(&printed);
        if sex.is_none() {
            problems.push(AamvaProblem::InvalidSex { printed });
        }
        sex
    });
    let names = names(&elements);
    let address = address(&element);
    // Version 1 has the class, restrictions and endorsements in DAR, DAS and DAT.
    let dl_categories = element("DCA")
        .or_else(|| element("DAR"))
        .map(|classes| {
            classes
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|class| !class.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();

    Ok(AamvaRecord {
        version: header.version,
        jurisdiction_version: header.jurisdiction_version,
        iin: header.iin,
        document_kind,
        jurisdiction_country,
        state,
        first_name: names.first,
        middle_names: names.middle,
        last_name: names.last,
        name_suffix: names.suffix,
        date_of_birth,
        expiry_date,
        issue_date,
        document_number: element("DAQ"),
        sex,
        address,
        dl_categories,
        endorsements: element("DCD").or_else(|| element("DAT")),
        restrictions: element("DCB").or_else(|| element("DAS")),
        problems,
        elements,
    })
}

/// DCG (version 2 on) if it names one of the two countries, else the IIN's, else the state's.
fn country(
    printed: Option<&str>,
    of_issuer: Option<JurisdictionCountry>,
    state: Option<&str>,
    problems: &mut Vec<AamvaProblem>,
) -> JurisdictionCountry {
    let declared = printed.and_then(|printed| match printed {
        "USA" => Some(JurisdictionCountry::Usa),
        "CAN" => Some(JurisdictionCountry::Canada),
        other => {
            problems.push(AamvaProblem::UnknownCountry {
                printed: other.to_owned(),
            });
            None
        }
    });
    let of_state = state.map(|state| {
        if is_canadian_code(state) {
            JurisdictionCountry::Canada
        } else {
            JurisdictionCountry::Usa
        }
    });
    declared.or(of_issuer).or(of_state).unwrap_or_else(|| {
        problems.push(AamvaProblem::CountryAssumed);
        JurisdictionCountry::Usa
    })
}

fn read_sex(printed: &str) -> Option<Sex> {
    match printed {
        "1" | "M" => Some(Sex::Male),
        "2" | "F" => Some(Sex::Female),
        "9" | "X" => Some(Sex::Unspecified),
        _ => None,
    }
}

fn address(element: &dyn Fn(&str) -> Option<String>) -> Option<Address> {
    let address = Address {
        street_1: element("DAG"),
        street_2: element("DAH"),
        city: element("DAI"),
        state: element("DAJ"),
        postal_code: element("DAK").map(|code| postal_code(&code)),
    };
    (address != Address::default()).then_some(address)
}

/// See [`Address::postal_code`].
fn postal_code(printed: &str) -> String {
    let digits: String = printed.chars().filter(|c| *c != '-').collect();
    let all_digits = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    match (digits.get(..5), digits.get(5..)) {
        (Some(zip), Some(plus4)) if all_digits && digits.len() == 9 => {
            if plus4 == "0000" {
                zip.to_owned()
            } else {
                format!("{zip}-{plus4}")
            }
        }
        _ => printed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_codes() {
        assert_eq!(postal_code("123450000"), "12345");
        assert_eq!(postal_code("123456789"), "12345-6789");
        assert_eq!(postal_code("12345-6789"), "12345-6789");
        assert_eq!(postal_code("12345"), "12345");
        assert_eq!(postal_code("K1A 0B1"), "K1A 0B1");
        assert_eq!(postal_code("M5V3L9"), "M5V3L9");
        assert_eq!(postal_code("1234500000"), "1234500000");
    }

    #[test]
    fn sexes() {
        assert_eq!(read_sex("1"), Some(Sex::Male));
        assert_eq!(read_sex("F"), Some(Sex::Female));
        assert_eq!(read_sex("9"), Some(Sex::Unspecified));
        assert_eq!(read_sex("3"), None);
    }
}

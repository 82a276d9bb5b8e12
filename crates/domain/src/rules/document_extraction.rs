//! The guide's data extraction, on the text read from a document's pages: name, address and
//! issue date for every type, and what each type adds (a bank statement's account number and
//! SWIFT code, a utility bill's due date, ...). Only what is printed under a label or in a
//! recognisable shape is taken; a data point not found is listed as not extracted, never
//! guessed.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use verifyd_types::values::{DocumentStatus, DocumentType};

use crate::model::{DocumentExtraction, RawAddress};

/// The data points the guide lists for a type (its "Data extraction" table; name, address and
/// issue date for every other type).
pub fn data_points(document_type: DocumentType) -> &'static [&'static str] {
    match document_type {
        DocumentType::Bs => &["name", "issueDate", "address", "accountNumber", "swiftCode"],
        DocumentType::Cc => &["name", "pan", "expiryDate"],
        DocumentType::Ub => &["name", "issueDate", "address", "dueDate"],
        DocumentType::Ccs => &["name", "issueDate", "address", "cardNumberLastFourDigits"],
        DocumentType::Ssc => &["firstName", "lastName", "ssn", "signatureAvailable"],
        DocumentType::Bc => &["name", "issueDate", "address", "dateOfBirth"],
        _ => &["name", "issueDate", "address"],
    }
}

fn regex(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

macro_rules! pattern {
    ($name:ident, $pattern:literal) => {
        static $name: LazyLock<Option<Regex>> = LazyLock::new(|| regex($pattern));
    };
}

pattern!(
    NAME_LABEL,
    r"(?i)^\s*(?:acc[o0]unt\s*h[o0]lder|cust[o0]mer\s*name|acc[o0]unt\s*name|name|bill\s*t[o0]|statement\s*f[o0]r|prepared\s*f[o0]r)\s*[:\-]?\s*(\S.*)$"
);
pattern!(
    TITLED_NAME,
    r"^\s*((?:Mr|Mrs|Ms|Miss|Dr|MR|MRS|MS|MISS|DR)\.?\s+[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*){1,3})\s*$"
);
pattern!(
    ADDRESS_LABEL,
    r"(?i)^\s*(?:service\s*address|billing\s*address|address)\s*[:\-]?\s*(\S.*)$"
);
pattern!(
    US_CITY_LINE,
    r"^\s*([A-Za-z][A-Za-z .'\-]*?)(?:,\s*|\s+)([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\s*$"
);
pattern!(
    UK_CITY_LINE,
    r"^\s*([A-Za-z][A-Za-z .'\-]*?)(?:,\s*|\s+)([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$"
);
pattern!(
    EU_CITY_LINE,
    r"^\s*(\d{4,5})\s+([A-Za-z][A-Za-z .'\-]*)\s*$"
);
pattern!(
    ISSUE_LABEL,
    r"(?i)^\s*(?:statement\s*date|issue\s*date|date\s*[o0]f\s*issue|issued\s*[o0]n|bill\s*date|inv[o0]ice\s*date|billing\s*date|date)\s*[:\-]?\s*(\S.*)$"
);
pattern!(
    DUE_LABEL,
    r"(?i)^\s*(?:due\s*date|payment\s*due(?:\s*date)?|pay\s*by|due\s*by|amount\s*due\s*by)\s*[:\-]?\s*(\S.*)$"
);
pattern!(
    BIRTH_LABEL,
    r"(?i)^\s*(?:date\s*[o0]f\s*birth|birth\s*date|b[o0]rn)\s*[:\-]?\s*(\S.*)$"
);
pattern!(
    ACCOUNT_LABEL,
    r"(?i)^\s*(?:acc[o0]unt\s*number|acc[o0]unt\s*n[o0]\.?|acct\.?\s*n[o0]\.?|iban)\s*[:\-]?\s*([A-Za-z0-9][A-Za-z0-9 \-]{3,40})$"
);
pattern!(
    SWIFT,
    r"(?i)(?:bic|swift)(?:\s*code)?(?:\s*/\s*(?:bic|swift))?\s*[:\-]?\s*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
);
pattern!(
    LAST_FOUR,
    r"(?i)(?:ending\s*(?:in)?|(?:[x*]{4}[ \-]?){3})\s*(\d{4})\b"
);
pattern!(SSN, r"\b(\d{3}-\d{2}-\d{4})\b");
pattern!(PAN, r"\b(\d{4})[ \-]?(\d{4})[ \-]?(\d{4})[ \-]?(\d{4})\b");
pattern!(CARD_EXPIRY, r"\b(0[1-9]|1[0-2])\s*/\s*(\d{2})\b");
pattern!(NUMERIC_DATE, r"\b(\d{1,4})[./\-](\d{1,2})[./\-](\d{2,4})\b");
pattern!(
    WORD_DATE,
    r"(?i)\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b"
);
pattern!(
    MONTH_FIRST_DATE,
    r"(?i)\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b"
);

fn captured(pattern: &LazyLock<Option<Regex>>, line: &str, group: usize) -> Option<String> {
    let found = pattern.as_ref()?.captures(line)?;
    Some(found.get(group)?.as_str().trim().to_owned())
}

fn first_captured(
    pattern: &LazyLock<Option<Regex>>,
    lines: &[String],
    group: usize,
) -> Option<String> {
    lines.iter().find_map(|line| captured(pattern, line, group))
}

/// The month of an English month name or its abbreviation.
fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    let position = MONTHS.iter().position(|prefix| lower.starts_with(prefix))?;
    u32::try_from(position + 1).ok()
}

/// A date as documents print it: ISO, numeric (month first in the USA, day first elsewhere),
/// or with the month's name.
pub fn parse_date(text: &str, month_first: bool) -> Option<NaiveDate> {
    let number = |text: &str| text.parse::<u32>().ok();
    if let Some(found) = NUMERIC_DATE.as_ref().and_then(|re| re.captures(text)) {
        let (a, b, c) = (&found[1], &found[2], &found[3]);
        let date = if a.len() == 4 {
            NaiveDate::from_ymd_opt(a.parse().ok()?, number(b)?, number(c)?)
        } else {
            let year: i32 = match c.len() {
                4 => c.parse().ok()?,
                2 => 2000 + c.parse::<i32>().ok()?,
                _ => return None,
            };
            let (day, month) = if month_first { (b, a) } else { (a, b) };
            NaiveDate::from_ymd_opt(year, number(month)?, number(day)?)
        };
        if date.is_some() {
            return date;
        }
    }
    if let Some(found) = WORD_DATE.as_ref().and_then(|re| re.captures(text)) {
        if let Some(date) = month(&found[2])
            .and_then(|m| NaiveDate::from_ymd_opt(found[3].parse().ok()?, m, number(&found[1])?))
        {
            return Some(date);
        }
    }
    let found = MONTH_FIRST_DATE.as_ref()?.captures(text)?;
    NaiveDate::from_ymd_opt(
        found[3].parse().ok()?,
        month(&found[1])?,
        number(&found[2])?,
    )
}

fn labelled_date(
    pattern: &LazyLock<Option<Regex>>,
    lines: &[String],
    month_first: bool,
) -> Option<String> {
    lines
        .iter()
        .filter(|line| {
            // "Due date" and "Date of birth" are not the issue date.
            !std::ptr::eq(pattern, &ISSUE_LABEL)
                || (captured(&DUE_LABEL, line, 1).is_none()
                    && captured(&BIRTH_LABEL, line, 1).is_none())
        })
        .filter_map(|line| captured(pattern, line, 1))
        .find_map(|value| parse_date(&value, month_first))
        .map(|date| date.format("%Y-%m-%d").to_string())
}

/// The line that closes an address: a city with its postal code.
fn city_line(line: &str) -> Option<RawAddress> {
    if let Some(found) = US_CITY_LINE.as_ref().and_then(|re| re.captures(line)) {
        return Some(RawAddress {
            city: Some(found[1].trim().to_owned()),
            subdivision: Some(found[2].to_owned()),
            postal_code: Some(found[3].to_owned()),
            ..RawAddress::default()
        });
    }
    if let Some(found) = UK_CITY_LINE.as_ref().and_then(|re| re.captures(line)) {
        return Some(RawAddress {
            city: Some(found[1].trim().to_owned()),
            postal_code: Some(found[2].to_owned()),
            ..RawAddress::default()
        });
    }
    let found = EU_CITY_LINE.as_ref()?.captures(line)?;
    Some(RawAddress {
        postal_code: Some(found[1].to_owned()),
        city: Some(found[2].trim().to_owned()),
        ..RawAddress::default()
    })
}

/// The address: after an "Address" label, or the lines under the name, up to the line with the
/// postal code and city (at most two street lines before it).
fn address(lines: &[String], name_line: Option<usize>) -> Option<RawAddress> {
    let labelled = lines
        .iter()
        .position(|line| captured(&ADDRESS_LABEL, line, 1).is_some());
    let (start, first) = match (labelled, name_line) {
        (Some(index), _) => (index, captured(&ADDRESS_LABEL, &lines[index], 1)),
        (None, Some(index)) => (index, None),
        (None, None) => return None,
    };
    let mut street: Vec<String> = first.into_iter().collect();
    for line in lines.iter().skip(start + 1).take(3) {
        if let Some(mut address) = city_line(line) {
            if street.is_empty() {
                return None;
            }
            address.line1 = street.first().cloned();
            address.line2 = street.get(1).cloned();
            return Some(address);
        }
        street.push(line.trim().to_owned());
    }
    // The label's own line may hold the whole address, city and postal code included.
    street.first().and_then(|line| {
        let (head, tail) = line.rsplit_once(',')?;
        let mut address = city_line(tail)?;
        address.line1 = Some(head.trim().to_owned());
        Some(address)
    })
}

fn name(lines: &[String]) -> Option<(usize, String)> {
    lines.iter().enumerate().find_map(|(index, line)| {
        if captured(&ADDRESS_LABEL, line, 1).is_some() {
            return None;
        }
        captured(&NAME_LABEL, line, 1)
            .or_else(|| captured(&TITLED_NAME, line, 1))
            .filter(|name| name.chars().any(char::is_alphabetic))
            .map(|name| (index, name))
    })
}

/// Extracts the type's data points from the pages' lines, in reading order. Labels are matched
/// with the OCR's usual confusion of O and 0 (OCR-B prints them alike).
pub fn extract(
    lines: &[String],
    document_type: DocumentType,
    country: Option<&str>,
) -> DocumentExtraction {
    let month_first = country == Some("USA");
    let found_name = name(lines);
    let mut extraction = DocumentExtraction {
        name: found_name.as_ref().map(|(_, name)| name.clone()),
        address: address(lines, found_name.as_ref().map(|(index, _)| *index)),
        issue_date: labelled_date(&ISSUE_LABEL, lines, month_first),
        ..DocumentExtraction::default()
    };
    match document_type {
        DocumentType::Bs => {
            extraction.account_number = first_captured(&ACCOUNT_LABEL, lines, 1)
                .map(|number| number.replace([' ', '-'], ""));
            extraction.swift_code = first_captured(&SWIFT, lines, 1);
        }
        DocumentType::Ub => {
            extraction.due_date = labelled_date(&DUE_LABEL, lines, month_first);
        }
        DocumentType::Ccs => {
            extraction.card_number_last_four_digits = first_captured(&LAST_FOUR, lines, 1);
        }
        DocumentType::Bc => {
            extraction.date_of_birth = labelled_date(&BIRTH_LABEL, lines, month_first);
        }
        DocumentType::Ssc => {
            extraction.ssn = first_captured(&SSN, lines, 1);
            if let Some((first, last)) = extraction.name.take().and_then(|name| {
                name.rsplit_once(' ')
                    .map(|(f, l)| (f.to_owned(), l.to_owned()))
            }) {
                extraction.first_name = Some(first);
                extraction.last_name = Some(last);
            }
        }
        DocumentType::Cc => {
            // Only the last four digits of a card number are kept (the guide's masked `pan`).
            extraction.card_number_last_four_digits = lines.iter().find_map(|line| {
                let found = PAN.as_ref()?.captures(line)?;
                Some(found[4].to_owned())
            });
            extraction.issue_date =
                first_captured(&CARD_EXPIRY, lines, 0).map(|expiry| expiry.replace(' ', ""));
        }
        _ => {}
    }
    let present = |point: &str| match point {
        "name" => extraction.name.is_some(),
        "firstName" => extraction.first_name.is_some(),
        "lastName" => extraction.last_name.is_some(),
        "address" => extraction.address.is_some(),
        "issueDate" | "expiryDate" => extraction.issue_date.is_some(),
        "dueDate" => extraction.due_date.is_some(),
        "accountNumber" => extraction.account_number.is_some(),
        "swiftCode" => extraction.swift_code.is_some(),
        "cardNumberLastFourDigits" | "pan" => extraction.card_number_last_four_digits.is_some(),
        "dateOfBirth" => extraction.date_of_birth.is_some(),
        "ssn" => extraction.ssn.is_some(),
        // verifyd does not look for signatures.
        _ => false,
    };
    let points = data_points(document_type);
    extraction.not_extracted = points
        .iter()
        .filter(|point| !present(point))
        .map(|point| (*point).to_owned())
        .collect();
    // The guide: CC and SSC need every data point; the others at least one.
    let complete_only = matches!(document_type, DocumentType::Cc | DocumentType::Ssc);
    let extracted = if complete_only {
        points
            .iter()
            .filter(|point| **point != "signatureAvailable")
            .all(|point| present(point))
    } else {
        points.iter().any(|point| present(point))
    };
    if extracted {
        extraction.status = Some(DocumentStatus::Extracted);
    } else {
        extraction = DocumentExtraction {
            status: Some(DocumentStatus::Discarded),
            not_extracted: extraction.not_extracted,
            ..DocumentExtraction::default()
        };
    }
    extraction
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn a_utility_bill_gives_its_four_data_points() {
        let bill = lines(
            "NORTHWIND ENERGY\nMr John Smith\n12 Easy Street\nSpringfield, IL 62704\nBill date: 03/11/2026\nDue date: 24 November 2026\nAmount due: 84.20",
        );
        let extraction = extract(&bill, DocumentType::Ub, Some("USA"));
        assert_eq!(extraction.status, Some(DocumentStatus::Extracted));
        assert_eq!(extraction.name.as_deref(), Some("Mr John Smith"));
        let address = extraction.address.unwrap_or_default();
        assert_eq!(address.line1.as_deref(), Some("12 Easy Street"));
        assert_eq!(address.city.as_deref(), Some("Springfield"));
        assert_eq!(address.subdivision.as_deref(), Some("IL"));
        assert_eq!(address.postal_code.as_deref(), Some("62704"));
        assert_eq!(extraction.issue_date.as_deref(), Some("2026-03-11"));
        assert_eq!(extraction.due_date.as_deref(), Some("2026-11-24"));
        assert!(
            extraction.not_extracted.is_empty(),
            "{:?}",
            extraction.not_extracted
        );
    }

    #[test]
    fn a_bank_statement_gives_account_and_swift_and_says_what_it_missed() {
        let statement = lines(
            "Account holder: Jane Doe\nAddress: 5 Rue Neuve\n75001 Paris\nIBAN: FR76 3000 6000 0112 3456 7890 189\nBIC: AGRIFRPP",
        );
        let extraction = extract(&statement, DocumentType::Bs, Some("FRA"));
        assert_eq!(extraction.name.as_deref(), Some("Jane Doe"));
        assert_eq!(
            extraction.account_number.as_deref(),
            Some("FR7630006000011234567890189")
        );
        assert_eq!(extraction.swift_code.as_deref(), Some("AGRIFRPP"));
        assert_eq!(
            extraction.address.and_then(|address| address.city),
            Some("Paris".to_owned())
        );
        assert_eq!(extraction.not_extracted, vec!["issueDate".to_owned()]);
    }

    #[test]
    fn text_without_any_data_point_is_discarded() {
        let extraction = extract(
            &lines("Lorem ipsum\ndolor sit amet"),
            DocumentType::Ub,
            None,
        );
        assert_eq!(extraction.status, Some(DocumentStatus::Discarded));
        assert_eq!(extraction.name, None);
        assert_eq!(extraction.not_extracted.len(), 4);
    }

    #[test]
    fn labels_are_read_through_the_ocrs_o_and_0_confusion() {
        let statement = lines(
            "HIGH STREET BANK\nACCOUNT HOLDER: JANE DOE\nADDRESS:5 HIGH STREET\nLONDON SW1A 1AA\nACC0UNT NUMBER:12345678\nSTATEMENT DATE: 03/11/2026",
        );
        let extraction = extract(&statement, DocumentType::Bs, Some("GBR"));
        assert_eq!(extraction.account_number.as_deref(), Some("12345678"));
        let bill = lines("MR JOHN SMITH\n12 EASY STREET\nSPRINGFIELD,IL 62704");
        let address = extract(&bill, DocumentType::Ub, Some("USA"))
            .address
            .unwrap_or_default();
        assert_eq!(address.subdivision.as_deref(), Some("IL"));
    }

    #[test]
    fn dates_are_read_in_the_countrys_order() {
        assert_eq!(
            parse_date("03/11/2026", true),
            NaiveDate::from_ymd_opt(2026, 3, 11)
        );
        assert_eq!(
            parse_date("03/11/2026", false),
            NaiveDate::from_ymd_opt(2026, 11, 3)
        );
        assert_eq!(
            parse_date("2026-11-03", false),
            NaiveDate::from_ymd_opt(2026, 11, 3)
        );
        assert_eq!(
            parse_date("Nov 3, 2026", false),
            NaiveDate::from_ymd_opt(2026, 11, 3)
        );
        assert_eq!(parse_date("31/02/2026", false), None);
    }
}

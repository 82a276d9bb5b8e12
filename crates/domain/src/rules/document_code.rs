//! The MRZ's document code (ICAO 9303: its first one or two characters) in the specification's
//! terms: which `idType` and `idSubtype` the extraction reports for it. A rule of the
//! product, not of the reading: the engine hands over the code as printed.

use crate::catalogue::IdType;

/// The document type of a code: a visa format (MRV-A, MRV-B) or a code starting with V is a
/// visa, a code starting with P a passport, anything else (I, A, C, ...) an ID card.
pub fn id_type(visa_format: bool, code: &str) -> IdType {
    match code.chars().next() {
        _ if visa_format => IdType::Visa,
        Some('V') => IdType::Visa,
        Some('P') => IdType::Passport,
        _ => IdType::IdCard,
    }
}

/// The sub-type of an ID card by its code: residence permits (IR, AR, RP, IP, CR), national
/// ID cards (I, ID, I<, IO, IT), else another ID; none for other types.
pub fn sub_type(id_type: IdType, code: &str) -> Option<&'static str> {
    match (id_type, code) {
        (IdType::IdCard, "IR" | "AR" | "RP" | "IP" | "CR") => Some("RESIDENT_PERMIT_ID"),
        (IdType::IdCard, "I" | "ID" | "I<" | "IO" | "IT") => Some("NATIONAL_ID"),
        (IdType::IdCard, _) => Some("OTHER_ID"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_name_the_types_and_sub_types_the_extraction_reports() {
        let typed = |visa, code| {
            let id_type = id_type(visa, code);
            (id_type, sub_type(id_type, code))
        };
        assert_eq!(typed(false, "P<"), (IdType::Passport, None));
        assert_eq!(typed(false, "PO"), (IdType::Passport, None));
        assert_eq!(typed(true, "V<"), (IdType::Visa, None));
        assert_eq!(typed(false, "VB"), (IdType::Visa, None));
        assert_eq!(typed(true, "P<"), (IdType::Visa, None));
        assert_eq!(typed(false, "ID"), (IdType::IdCard, Some("NATIONAL_ID")));
        assert_eq!(typed(false, "I<"), (IdType::IdCard, Some("NATIONAL_ID")));
        assert_eq!(
            typed(false, "IR"),
            (IdType::IdCard, Some("RESIDENT_PERMIT_ID"))
        );
        assert_eq!(typed(false, "AC"), (IdType::IdCard, Some("OTHER_ID")));
        assert_eq!(typed(false, ""), (IdType::IdCard, Some("OTHER_ID")));
    }
}

//! The issuer identification numbers (IIN) AAMVA assigns to the jurisdictions of the USA and
//! Canada. The header carries one even when the barcode leaves out the address's state (DAJ) or
//! the country (DCG, absent before version 2).
//!
//! Only the assignments this list is sure of: the 50 states, the District of Columbia, the
//! territories and the provinces and territories of Canada that issue AAMVA barcodes. Mexican
//! states and federal issuers are left out; their barcodes are read, without a state.

use super::record::JurisdictionCountry::{self, Canada, Usa};

/// A jurisdiction that issues AAMVA barcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Jurisdiction {
    /// The postal code of the state, province or territory: "CA", "ON".
    pub code: &'static str,
    pub name: &'static str,
    pub country: JurisdictionCountry,
}

const fn entry(
    iin: u32,
    code: &'static str,
    name: &'static str,
    country: JurisdictionCountry,
) -> (u32, Jurisdiction) {
    (
        iin,
        Jurisdiction {
            code,
            name,
            country,
        },
    )
}

/// In IIN order.
const JURISDICTIONS: [(u32, Jurisdiction); 67] = [
    entry(604426, "PE", "Prince Edward Island", Canada),
    entry(604427, "AS", "American Samoa", Usa),
    entry(604428, "QC", "Quebec", Canada),
    entry(604429, "YT", "Yukon", Canada),
    entry(604430, "MP", "Northern Mariana Islands", Usa),
    entry(604431, "PR", "Puerto Rico", Usa),
    entry(604432, "AB", "Alberta", Canada),
    entry(604433, "NU", "Nunavut", Canada),
    entry(636000, "VA", "Virginia", Usa),
    entry(636001, "NY", "New York", Usa),
    entry(636002, "MA", "Massachusetts", Usa),
    entry(636003, "MD", "Maryland", Usa),
    entry(636004, "NC", "North Carolina", Usa),
    entry(636005, "SC", "South Carolina", Usa),
    entry(636006, "CT", "Connecticut", Usa),
    entry(636007, "LA", "Louisiana", Usa),
    entry(636008, "MT", "Montana", Usa),
    entry(636009, "NM", "New Mexico", Usa),
    entry(636010, "FL", "Florida", Usa),
    entry(636011, "DE", "Delaware", Usa),
    entry(636012, "ON", "Ontario", Canada),
    entry(636013, "NS", "Nova Scotia", Canada),
    entry(636014, "CA", "California", Usa),
    entry(636015, "TX", "Texas", Usa),
    entry(636016, "NL", "Newfoundland and Labrador", Canada),
    entry(636017, "NB", "New Brunswick", Canada),
    entry(636018, "IA", "Iowa", Usa),
    entry(636019, "GU", "Guam", Usa),
    entry(636020, "CO", "Colorado", Usa),
    entry(636021, "AR", "Arkansas", Usa),
    entry(636022, "KS", "Kansas", Usa),
    entry(636023, "OH", "Ohio", Usa),
    entry(636024, "VT", "Vermont", Usa),
    entry(636025, "PA", "Pennsylvania", Usa),
    entry(636026, "AZ", "Arizona", Usa),
    entry(636028, "BC", "British Columbia", Canada),
    entry(636029, "OR", "Oregon", Usa),
    entry(636030, "MO", "Missouri", Usa),
    entry(636031, "WI", "Wisconsin", Usa),
    entry(636032, "MI", "Michigan", Usa),
    entry(636033, "AL", "Alabama", Usa),
    entry(636034, "ND", "North Dakota", Usa),
    entry(636035, "IL", "Illinois", Usa),
    entry(636036, "NJ", "New Jersey", Usa),
    entry(636037, "IN", "Indiana", Usa),
    entry(636038, "MN", "Minnesota", Usa),
    entry(636039, "NH", "New Hampshire", Usa),
    entry(636040, "UT", "Utah", Usa),
    entry(636041, "ME", "Maine", Usa),
    entry(636042, "SD", "South Dakota", Usa),
    entry(636043, "DC", "District of Columbia", Usa),
    entry(636044, "SK", "Saskatchewan", Canada),
    entry(636045, "WA", "Washington", Usa),
    entry(636046, "KY", "Kentucky", Usa),
    entry(636047, "HI", "Hawaii", Usa),
    entry(636048, "MB", "Manitoba", Canada),
    entry(636049, "NV", "Nevada", Usa),
    entry(636050, "ID", "Idaho", Usa),
    entry(636051, "MS", "Mississippi", Usa),
    entry(636052, "RI", "Rhode Island", Usa),
    entry(636053, "TN", "Tennessee", Usa),
    entry(636054, "NE", "Nebraska", Usa),
    entry(636055, "GA", "Georgia", Usa),
    entry(636058, "OK", "Oklahoma", Usa),
    entry(636059, "AK", "Alaska", Usa),
    entry(636060, "WY", "Wyoming", Usa),
    entry(636061, "WV", "West Virginia", Usa),
];

/// The jurisdiction AAMVA assigned `iin` (6 digits) to, if this list knows it.
pub fn jurisdiction_of_iin(iin: &str) -> Option<Jurisdiction> {
    if iin.len() != 6 || !iin.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let number = iin.parse::<u32>().ok()?;
    JURISDICTIONS
        .binary_search_by_key(&number, |&(iin, _)| iin)
        .ok()
        .and_then(|index| JURISDICTIONS.get(index))
        .map(|&(_, jurisdiction)| jurisdiction)
}

/// Whether `code` is a Canadian province or territory, for barcodes that say neither their
/// country nor a known IIN. The Northwest Territories are included, though absent from the
/// IIN list above.
pub(super) fn is_canadian_code(code: &str) -> bool {
    code == "NT"
        || JURISDICTIONS
            .iter()
            .any(|(_, jurisdiction)| jurisdiction.country == Canada && jurisdiction.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_unique_so_that_the_search_finds_every_entry() {
        assert!(JURISDICTIONS.windows(2).all(|pair| match pair {
            [(first, _), (second, _)] => first < second,
            _ => false,
        }));
        for (iin, jurisdiction) in JURISDICTIONS {
            assert_eq!(
                jurisdiction_of_iin(&iin.to_string()),
                Some(jurisdiction),
                "{iin}"
            );
        }
    }

    #[test]
    fn known_issuers() {
        let code = |iin: &str| jurisdiction_of_iin(iin).map(|jurisdiction| jurisdiction.code);
        assert_eq!(code("636014"), Some("CA"));
        assert_eq!(code("636015"), Some("TX"));
        assert_eq!(code("636001"), Some("NY"));
        assert_eq!(code("636020"), Some("CO"));
        assert_eq!(code("636012"), Some("ON"));
        assert_eq!(
            jurisdiction_of_iin("604428").map(|jurisdiction| jurisdiction.country),
            Some(Canada)
        );
    }

    #[test]
    fn unknown_or_malformed_iins_have_no_jurisdiction() {
        for iin in [
            "636027", "999999", "63601", "6360140", "63601A", "", "-63601",
        ] {
            assert_eq!(jurisdiction_of_iin(iin), None, "{iin:?}");
        }
    }

    #[test]
    fn canadian_codes() {
        assert!(is_canadian_code("ON"));
        assert!(is_canadian_code("QC"));
        assert!(is_canadian_code("NT"));
        assert!(!is_canadian_code("CA"));
        assert!(!is_canadian_code("NY"));
    }
}

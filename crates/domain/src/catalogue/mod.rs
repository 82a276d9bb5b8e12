//! Fixed reference data of the specification: countries and their documents, document types,
//! facemap types and locales.

mod countries;

pub use countries::{SupportedCountry, SupportedIdType, SUPPORTED_COUNTRIES};
pub use verifyd_types::values::IdType;

/// Facemap types a FACEMAP credential may ask for. verifyd runs its own liveness for all of them.
pub const FACEMAP_TYPES: [&str; 3] = ["IPROOV_STANDARD", "IPROOV_PREMIUM", "JUMIO_STANDARD"];

/// The locales of the web client.
pub const LOCALES: [&str; 39] = [
    "ar", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-MX", "et", "fi", "fr", "he", "hr",
    "hu", "hy", "id", "it", "ja", "ka", "km", "ko", "lt", "ms", "nl", "no", "pl", "pt", "pt-BR",
    "ro", "ru", "sk", "sv", "th", "tr", "vi", "zh-CN", "zh-HK",
];

pub fn is_locale(locale: &str) -> bool {
    LOCALES.contains(&locale)
}

/// The entry of an ISO 3166-1 alpha-3 code (or XKX).
pub fn country(code: &str) -> Option<&'static SupportedCountry> {
    SUPPORTED_COUNTRIES
        .binary_search_by(|entry| entry.code.cmp(code))
        .ok()
        .and_then(|index| SUPPORTED_COUNTRIES.get(index))
}

pub fn is_country(code: &str) -> bool {
    country(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_table_is_sorted_unique_and_complete() {
        assert!(SUPPORTED_COUNTRIES
            .windows(2)
            .all(|pair| pair[0].code < pair[1].code));
        assert_eq!(SUPPORTED_COUNTRIES.len(), 250);
        for code in ["NLD", "USA", "DEU", "XKX", "FRO"] {
            assert!(is_country(code), "{code}");
        }
        assert!(!is_country("XXX"));
        assert!(!is_country("nld"));
        assert!(SUPPORTED_COUNTRIES.iter().all(|c| c
            .id_types
            .iter()
            .any(|t| t.id_type == IdType::Passport && !t.back_side)));
    }
}

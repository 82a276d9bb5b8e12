//! Fixed reference data of the specification: countries and their documents, document types,
//! facemap types and locales.

mod countries;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use countries::{SupportedCountry, SupportedIdType, SUPPORTED_COUNTRIES};

/// Document types of an ID credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IdType {
    IdCard,
    DrivingLicense,
    Passport,
    Visa,
}

impl IdType {
    pub const ALL: [IdType; 4] = [
        IdType::IdCard,
        IdType::DrivingLicense,
        IdType::Passport,
        IdType::Visa,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdType::IdCard => "ID_CARD",
            IdType::DrivingLicense => "DRIVING_LICENSE",
            IdType::Passport => "PASSPORT",
            IdType::Visa => "VISA",
        }
    }
}

impl fmt::Display for IdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IdType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "ID_CARD" => IdType::IdCard,
            "DRIVING_LICENSE" => IdType::DrivingLicense,
            "PASSPORT" => IdType::Passport,
            "VISA" => IdType::Visa,
            other => {
                return Err(format!(
                    "unknown document type {other:?}; expected ID_CARD, DRIVING_LICENSE, PASSPORT or VISA"
                ))
            }
        })
    }
}

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

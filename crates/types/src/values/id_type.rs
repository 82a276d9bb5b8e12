//! Document types of an ID credential.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A type of identity document. The server's OpenAPI document describes this component from
/// the domain's catalogue, with the same values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
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

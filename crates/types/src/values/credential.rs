//! What a credential is, how it may be acquired, and how firmly its presets hold.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a credential holds: an identity document, a facemap, a document (PDF) or a selfie.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    Id,
    Facemap,
    Document,
    Selfie,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Id => "ID",
            Category::Facemap => "FACEMAP",
            Category::Document => "DOCUMENT",
            Category::Selfie => "SELFIE",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "ID" => Category::Id,
            "FACEMAP" => Category::Facemap,
            "DOCUMENT" => Category::Document,
            "SELFIE" => Category::Selfie,
            other => {
                return Err(format!(
                    "unknown category {other:?}; expected ID, FACEMAP, DOCUMENT or SELFIE"
                ))
            }
        })
    }
}

/// How a credential may be acquired; each workflow token belongs to one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Channel {
    Web,
    Api,
    Sdk,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "WEB",
            Channel::Api => "API",
            Channel::Sdk => "SDK",
        }
    }
}

impl FromStr for Channel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "WEB" => Channel::Web,
            "API" => Channel::Api,
            "SDK" => Channel::Sdk,
            other => return Err(format!("unknown channel {other:?}")),
        })
    }
}

/// Whether the end user may change a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum PredefinedType {
    /// The end user cannot change the value.
    Defined,
    /// Preselected; the end user may change it.
    Recommended,
}

impl PredefinedType {
    pub fn as_str(self) -> &'static str {
        match self {
            PredefinedType::Defined => "DEFINED",
            PredefinedType::Recommended => "RECOMMENDED",
        }
    }
}

//! Parts: the pieces of a credential (front, back, face, facemap, liveness frames, PDF, prepared data).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Category;
use crate::inspector::PartFormat;

/// The most liveness frames one capture sequence may hold.
pub const MAX_LIVENESS_FRAMES: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Classifier {
    Front,
    Back,
    Face,
    Facemap,
    Document,
    PreparedData,
    /// Frame n (1-based) of a liveness capture sequence.
    Liveness(u16),
}

impl Classifier {
    /// Which classifiers a credential of `category` takes.
    pub fn allowed_for(self, category: Category) -> bool {
        matches!(
            (category, self),
            (
                Category::Id,
                Classifier::Front | Classifier::Back | Classifier::PreparedData
            ) | (Category::Selfie, Classifier::Face)
                | (
                    Category::Facemap,
                    Classifier::Facemap | Classifier::Liveness(_)
                )
                | (
                    Category::Document,
                    Classifier::Document | Classifier::PreparedData
                )
        )
    }

    /// The classifiers announced in `api.parts` for a credential of `category`.
    pub fn announced_for(category: Category) -> &'static [Classifier] {
        match category {
            Category::Id => &[Classifier::Front, Classifier::Back],
            Category::Selfie => &[Classifier::Face],
            Category::Facemap => &[Classifier::Facemap],
            Category::Document => &[Classifier::Document],
        }
    }

    /// The bytes this part must hold; `None` for prepared data, which is JSON.
    pub fn format(self) -> Option<PartFormat> {
        match self {
            Classifier::Front | Classifier::Back | Classifier::Face | Classifier::Liveness(_) => {
                Some(PartFormat::Image)
            }
            Classifier::Document => Some(PartFormat::Pdf),
            Classifier::Facemap => Some(PartFormat::Facemap),
            Classifier::PreparedData => None,
        }
    }

    /// Lower-case key used in `api.parts`.
    pub fn key(self) -> String {
        self.to_string().to_ascii_lowercase()
    }
}

impl fmt::Display for Classifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Classifier::Front => f.write_str("FRONT"),
            Classifier::Back => f.write_str("BACK"),
            Classifier::Face => f.write_str("FACE"),
            Classifier::Facemap => f.write_str("FACEMAP"),
            Classifier::Document => f.write_str("DOCUMENT"),
            Classifier::PreparedData => f.write_str("PREPARED_DATA"),
            Classifier::Liveness(n) => write!(f, "LIVENESS_{n}"),
        }
    }
}

impl FromStr for Classifier {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "FRONT" => Classifier::Front,
            "BACK" => Classifier::Back,
            "FACE" => Classifier::Face,
            "FACEMAP" => Classifier::Facemap,
            "DOCUMENT" => Classifier::Document,
            "PREPARED_DATA" => Classifier::PreparedData,
            other => {
                // Only the canonical number: `u16::from_str` alone would also take `+5` and `05`.
                let frame = other
                    .strip_prefix("LIVENESS_")
                    .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
                    .and_then(|n| n.parse::<u16>().ok())
                    .filter(|n| (1..=MAX_LIVENESS_FRAMES).contains(n));
                match frame {
                    Some(n) => Classifier::Liveness(n),
                    None => {
                        return Err(format!(
                            "unknown classifier {other:?}; expected FRONT, BACK, FACE, FACEMAP, DOCUMENT, PREPARED_DATA or LIVENESS_1..LIVENESS_{MAX_LIVENESS_FRAMES}"
                        ))
                    }
                }
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Jpeg,
    Png,
    Pdf,
    Json,
    OctetStream,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Pdf => "application/pdf",
            MediaType::Json => "application/json",
            MediaType::OctetStream => "application/octet-stream",
        }
    }
}

impl FromStr for MediaType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "image/jpeg" => MediaType::Jpeg,
            "image/png" => MediaType::Png,
            "application/pdf" => MediaType::Pdf,
            "application/json" => MediaType::Json,
            "application/octet-stream" => MediaType::OctetStream,
            other => return Err(format!("unknown media type {other:?}")),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub credential_id: Uuid,
    pub classifier: Classifier,
    pub blob_key: String,
    pub media_type: MediaType,
    pub size_bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifiers_round_trip_and_refuse_out_of_range_frames() {
        for text in [
            "FRONT",
            "BACK",
            "FACE",
            "FACEMAP",
            "DOCUMENT",
            "PREPARED_DATA",
            "LIVENESS_1",
            "LIVENESS_64",
        ] {
            assert_eq!(
                text.parse::<Classifier>().map(|c| c.to_string()).as_deref(),
                Ok(text)
            );
        }
        for bad in [
            "front",
            "LIVENESS_0",
            "LIVENESS_05",
            "LIVENESS_+5",
            "LIVENESS_65",
            "LIVENESS_",
            "SELFIE",
        ] {
            assert!(
                bad.parse::<Classifier>().is_err(),
                "{bad} should be refused"
            );
        }
    }
}

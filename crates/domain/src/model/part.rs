//! Parts: the pieces of a credential (front, back, face, facemap, liveness frames, PDF, prepared data).

use std::str::FromStr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Category;
use crate::inspector::PartFormat;

pub use verifyd_types::values::{Classifier, MAX_LIVENESS_FRAMES};

/// The domain's rules on classifiers: the wire crate owns the type, so they come as a trait.
pub trait ClassifierRules: Sized {
    /// Which classifiers a credential of `category` takes.
    fn allowed_for(self, category: Category) -> bool;
    /// The classifiers announced in `api.parts` for a credential of `category`.
    fn announced_for(category: Category) -> &'static [Self];
    /// The bytes this part must hold; `None` for prepared data, which is JSON.
    fn format(self) -> Option<PartFormat>;
}

impl ClassifierRules for Classifier {
    fn allowed_for(self, category: Category) -> bool {
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

    fn announced_for(category: Category) -> &'static [Classifier] {
        match category {
            Category::Id => &[Classifier::Front, Classifier::Back],
            Category::Selfie => &[Classifier::Face],
            Category::Facemap => &[Classifier::Facemap],
            Category::Document => &[Classifier::Document],
        }
    }

    fn format(self) -> Option<PartFormat> {
        match self {
            Classifier::Front | Classifier::Back | Classifier::Face | Classifier::Liveness(_) => {
                Some(PartFormat::Image)
            }
            Classifier::Document => Some(PartFormat::Pdf),
            Classifier::Facemap => Some(PartFormat::Facemap),
            Classifier::PreparedData => None,
        }
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

//! The analysers processing calls. Each capability's analyser is optional: one that does not
//! exist yet makes its capability NOT_EXECUTED with TECHNICAL_ERROR, never PASSED.

use async_trait::async_trait;
use bytes::Bytes;

use crate::model::{Category, Classifier};

/// An image part handed to an analyser.
#[derive(Debug, Clone)]
pub struct PartImage {
    pub classifier: Classifier,
    pub bytes: Bytes,
}

/// A usability verdict on one credential's images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsabilityFinding {
    /// PASSED, WARNING or REJECTED.
    pub decision: crate::model::DecisionType,
    /// OK, BAD_QUALITY, BLACK_WHITE, ...
    pub label: String,
    /// Measurements worth showing in the capability's data.
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("analysis failed: {0}")]
pub struct AnalysisError(pub String);

#[async_trait]
pub trait UsabilityAnalyser: Send + Sync {
    async fn usability(
        &self,
        category: Category,
        images: Vec<PartImage>,
    ) -> Result<UsabilityFinding, AnalysisError>;
}

/// The analysers available to processing.
#[derive(Clone, Default)]
pub struct Analysers {
    pub usability: Option<std::sync::Arc<dyn UsabilityAnalyser>>,
}

//! What processing concludes: the capabilities it runs and the decision types they reach.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A check processing runs; its name keys the capability's array in the retrieval response.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Capability {
    Usability,
    ImageChecks,
    Extraction,
    DataChecks,
    Liveness,
    Similarity,
    Authentication,
    WatchlistScreening,
}

impl Capability {
    /// The key of the capability's array in the retrieval response.
    pub fn key(self) -> &'static str {
        match self {
            Capability::Usability => "usability",
            Capability::ImageChecks => "imageChecks",
            Capability::Extraction => "extraction",
            Capability::DataChecks => "dataChecks",
            Capability::Liveness => "liveness",
            Capability::Similarity => "similarity",
            Capability::Authentication => "authentication",
            Capability::WatchlistScreening => "watchlistScreening",
        }
    }
}

/// A capability's or the execution's decision: PASSED (risk 0-30), WARNING (31-70), REJECTED
/// (71-100), NOT_EXECUTED (-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecisionType {
    Passed,
    Warning,
    Rejected,
    NotExecuted,
}

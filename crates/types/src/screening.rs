//! Watchlist screening (a verifyd extension): the one-off search without a document, and the
//! report behind a workflow's `watchlistScreening.data.searchResultUrl`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/screening/searches`: a person to screen against the lists in force.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreeningSearchRequest {
    /// The full name, in any script and word order.
    #[schema(max_length = 300)]
    pub name: String,
    /// YYYY-MM-DD, or YYYY when only the year is known.
    #[serde(default)]
    #[schema(pattern = r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$")]
    pub date_of_birth: Option<String>,
    /// ISO 3166-1 alpha-3 (alpha-2 and country names are understood too).
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub gender: Option<ScreeningGender>,
}

/// The sex a document states, as the MRZ writes it.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub enum ScreeningGender {
    M,
    F,
}

/// One search: what was searched, in which list versions, and every match over the threshold
/// with the reasons for its score.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningSearchReport {
    pub id: String,
    /// YYYY-MM-DDThh:mm:ss.SSSZ
    pub search_date: String,
    pub search_reference: String,
    /// The name, date of birth, nationality and gender searched.
    #[schema(value_type = Object)]
    pub query: serde_json::Value,
    /// Matches scoring below this (0..1) are not reported.
    pub threshold: f64,
    pub lists: Vec<ScreenedList>,
    pub search_results: u64,
    /// Best first: `list`, `entryId`, `entryKind`, `entryName`, `matchedName`, `matchedKind`,
    /// `score`, `programmes`, `reasons`.
    #[schema(value_type = Vec<Object>)]
    pub matches: Vec<serde_json::Value>,
    /// Set when ongoing monitoring made the search: `list` and `version`, the import it
    /// followed. Its matches are those the holder's earlier search did not report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub monitoring: Option<serde_json::Value>,
}

/// A list version a search covered.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ScreenedList {
    pub id: String,
    pub name: String,
    pub source: String,
    pub published: Option<String>,
    pub imported_at: String,
    pub entries: u64,
}

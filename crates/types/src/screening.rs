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
    /// One of the tenant's named search profiles (its lists and threshold); the tenant's
    /// default profile when absent.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 100, pattern = r"^[A-Za-z0-9._-]+$")]
    pub search_profile: Option<String>,
}

/// `POST /api/v1/screening/searches/{searchId}/reviews`: one match of the search that the
/// tenant reviewed and found to be another person.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreeningReviewRequest {
    /// The match's `list`.
    #[schema(max_length = 100)]
    pub list: String,
    /// The match's `entryId`.
    #[schema(max_length = 100)]
    pub entry_id: String,
}

/// A reviewed false positive: later searches of the account set the entry aside (listing it
/// under `reviewed`) until the list publishes it changed (another `entryVersion`).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningReview {
    pub search_id: String,
    pub account_id: String,
    pub list: String,
    pub entry_id: String,
    pub entry_version: String,
    /// YYYY-MM-DDThh:mm:ss.SSSZ
    pub reviewed_at: String,
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
    /// `score`, `programmes`, `reasons`, `entryVersion` (a digest of the entry as listed).
    #[schema(value_type = Vec<Object>)]
    pub matches: Vec<serde_json::Value>,
    /// Matches set aside because the tenant reviewed them as false positives for this account
    /// (`POST .../reviews`) and the entry has not changed since; same fields as `matches`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub reviewed: Vec<serde_json::Value>,
    /// Set when ongoing monitoring made the search: `list` and `version`, the import it
    /// followed. Its matches are those the holder's earlier search did not report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub monitoring: Option<serde_json::Value>,
}

/// `GET /api/v1/accounts/{accountId}/screening/searches`: the account's searches, oldest first.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountScreeningSearches {
    pub searches: Vec<ScreeningSearchReport>,
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

//! Closed sets of verifyd's own resources (web session, callback records).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether the web client's journey may go on, and if not, why: so the client tells the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AcquisitionState {
    Open,
    TokenExpired,
    SessionExpired,
    Finalized,
}

/// Where a callback's delivery stands: FAILED once its retries are exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Delivery {
    Pending,
    Delivered,
    Failed,
}

use std::sync::Arc;

use verifyd_domain::rules::rate_limit::RateLimits;
use verifyd_domain::Verifyd;

use crate::auth::ClientVerifier;
use crate::config::Limits;
use crate::links::Links;
use crate::telemetry::Metrics;
use crate::tokens::TokenKeys;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub verifyd: Arc<Verifyd>,
    pub tokens: Arc<TokenKeys>,
    pub clients: ClientVerifier,
    pub links: Arc<Links>,
    pub limits: Arc<Limits>,
    /// The initiation limits, counted in the database across every node; None: unlimited.
    pub initiation_limits: Option<RateLimits>,
    pub metrics: Arc<Metrics>,
}

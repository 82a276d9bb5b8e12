use std::sync::Arc;

use verifyd_domain::Verifyd;

use crate::auth::ClientVerifier;
use crate::config::Limits;
use crate::links::Links;
use crate::rate_limit::RateLimiter;
use crate::tokens::TokenKeys;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub verifyd: Arc<Verifyd>,
    pub tokens: Arc<TokenKeys>,
    pub clients: ClientVerifier,
    pub links: Arc<Links>,
    pub limits: Arc<Limits>,
    pub rate_limiter: Arc<RateLimiter>,
}

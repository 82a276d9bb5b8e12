//! Authentication: HTTP Basic with API credentials, OAuth2 bearer access tokens, and workflow
//! tokens. Extractors turn a request into the domain's `Caller` (tenant) or `Acquirer`.

mod client_cache;
mod extract;
pub mod secrets;

pub use client_cache::ClientVerifier;
pub use extract::{
    presented as extract_presented, AcquirerAuth, InitiationTokenAuth, Presented, TenantAuth,
};
